/**
 * Issue 9, fault 5 (long, on demand: npm run faults:postgres): PostgreSQL is down for 20 seconds
 * under API traffic (readers, a writer of hires) and 40 deadline workflows started just before.
 * The API answers 503 with Retry-After meanwhile and recovers by itself; every workflow finishes
 * its activity; every hire the API confirmed exists and no other.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { projectRoot, startTemporalDevServer } from '../../bin/tools.js';
import { writeWorkflowBundle } from '../../bin/workflowBundle.js';
import { postgresOutage } from '../support/outageScenarios.js';

let temporal: Awaited<ReturnType<typeof startTemporalDevServer>>;
let bundle: string;

beforeAll(async () => {
  temporal = await startTemporalDevServer();
  bundle = await writeWorkflowBundle(path.join(projectRoot, `.data/faults-postgres-bundle-${process.pid}.js`));
});
afterAll(async () => {
  await temporal?.stop();
});

describe('PostgreSQL down for 20 seconds under traffic', () => {
  it('answers 503 with a retry hint while it is down, recovers by itself, and every workflow finishes', async () => {
    await postgresOutage({
      temporalAddress: temporal.address,
      workflowBundlePath: bundle,
      workflows: 40,
      apiHires: 60,
      outageAfterMs: 5_000,
      outageMs: 20_000,
    });
  });
});
