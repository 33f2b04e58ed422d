/**
 * Issue 9, fault 5 (short): a PostgreSQL cluster of the test's own is stopped for a few seconds
 * under API traffic and running deadline workflows. The API answers 503 with Retry-After meanwhile
 * and recovers by itself; the workflows' activities retry and finish; nothing is half-written.
 * The long version is test/faults/postgres.test.ts.
 */
import { describe, inject, it } from 'vitest';
import { postgresOutage } from '../support/outageScenarios.js';

describe('a PostgreSQL restart under traffic', () => {
  it('answers 503 with a retry hint while it is down, recovers by itself, and every workflow finishes', async () => {
    await postgresOutage({
      temporalAddress: inject('temporalAddress'),
      workflowBundlePath: inject('workflowBundlePath'),
      workflows: 10,
      apiHires: 20,
      outageAfterMs: 2_000,
      outageMs: 5_000,
    });
  }, 150_000);
});
