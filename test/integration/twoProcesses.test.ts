/**
 * Two API processes (bin/api.ts, requests spread over them in turn by a proxy, as Caddy does) and
 * two worker processes (bin/worker.ts), with the mail process (bin/mailer.ts), against one
 * PostgreSQL, Redis and Temporal, under the fault workload's mixed load: approval cases submitted,
 * checked, assigned and decided, and hires whose deadlines remind, go overdue or are met. A person's
 * requests land on both API processes (sessions are in PostgreSQL, CSRF tokens signed with the
 * shared secret, uploads in a shared directory). Afterwards every case has exactly one outcome,
 * every email was delivered once, and no request was answered with a 5xx.
 *
 * Short by default (12 cases, 12 hires); TWO_PROCESS_CASES=200 (and TWO_PROCESS_HIRES, else the
 * same) for a longer run on demand.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startProcessRig, type ProcessRig } from '../support/processRig.js';
import { checkInvariants, runWorkload, settle } from '../support/faultWorkload.js';

const CASES = Number(process.env.TWO_PROCESS_CASES ?? 12);
const HIRES = Number(process.env.TWO_PROCESS_HIRES ?? CASES);
const long = CASES > 12 || HIRES > 12;
let rig: ProcessRig;

beforeAll(async () => {
  rig = await startProcessRig({
    name: 'two-processes',
    temporalAddress: inject('temporalAddress'),
    workflowBundlePath: inject('workflowBundlePath'),
    apis: 2,
    workers: 2,
  });
}, 360_000);
afterAll(async () => {
  await rig?.close();
});

describe('two API processes and two workers on the same services', () => {
  it(
    'give every case one outcome and send every email once, with no 5xx',
    async () => {
      const log = process.env.TWO_PROCESS_LOG ? (line: string) => process.stdout.write(`${line}\n`) : undefined;
      const result = await runWorkload(rig, { cases: CASES, deadlines: HIRES, concurrency: 8, log });
      await settle(rig, result, long ? 600_000 : 60_000);
      const report = await checkInvariants(rig, result);
      expect(report.violations).toEqual([]);
      expect(report.figures).toMatchObject({
        cases: CASES,
        deadlines: HIRES,
        workflows: CASES + HIRES,
      });
      expect(report.figures.delivered).toBe(report.figures.emails);

      // Both API processes answered, alternately, and none with a server error or a dropped connection.
      const [first, second] = rig.proxy.perBackend;
      expect(Math.abs(first! - second!)).toBeLessThanOrEqual(1);
      expect(first).toBeGreaterThan(CASES);
      expect(rig.proxy.failures).toEqual([]);
      expect([...rig.proxy.statuses.keys()].filter((status) => status >= 500)).toEqual([]);
      // Both workers ran activities of the run, and both are still running.
      const client = await rig.temporal();
      const identities = new Set<string>();
      for await (const w of client.workflow.list({ query: `TaskQueue = '${rig.taskQueue}'` })) {
        const history = await client.workflow.getHandle(w.workflowId).fetchHistory();
        for (const e of history.events ?? [])
          if (e.activityTaskStartedEventAttributes?.identity)
            identities.add(e.activityTaskStartedEventAttributes.identity);
      }
      const pids = rig.workers.running().map((child) => child.pid);
      expect(pids).toHaveLength(2);
      expect([...identities].map((identity) => Number(identity.split('@')[0])).sort()).toEqual(pids.sort());
      expect(rig.apis.every((api) => api.child.exitCode === null)).toBe(true);
      log?.(
        `answers by status: ${JSON.stringify(Object.fromEntries(rig.proxy.statuses))}; per API process: ${rig.proxy.perBackend.join(', ')}`,
      );
      log?.(`figures: ${JSON.stringify(report.figures)}`);
    },
    long ? 1_200_000 : 300_000,
  );
});
