/**
 * `npm run faults:worker`: 500 approval cases and 500 hires with deadlines, driven through the
 * API, while the worker process (bin/worker.ts) is SIGKILLed 20 times at random moments and
 * restarted each time; then the invariants of test/support/faultWorkload.ts. Sizes:
 * FAULT_CASES, FAULT_DEADLINES, FAULT_KILLS. Prints the figures for the README.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTemporalDevServer } from '../../bin/tools.js';
import { writeWorkflowBundle } from '../../bin/workflowBundle.js';
import { killWorkerRepeatedly, startFaultRig, type FaultRig } from '../support/faultRig.js';
import { checkInvariants, runWorkload, settle } from '../support/faultWorkload.js';

const CASES = Number(process.env.FAULT_CASES ?? 500);
const DEADLINES = Number(process.env.FAULT_DEADLINES ?? 500);
const KILLS = Number(process.env.FAULT_KILLS ?? 20);
const say = (line: string) => process.stdout.write(`[faults:worker] ${line}\n`);

let temporal: Awaited<ReturnType<typeof startTemporalDevServer>>;
let rig: FaultRig;

beforeAll(async () => {
  temporal = await startTemporalDevServer();
  const bundle = await writeWorkflowBundle(path.join(os.tmpdir(), `mopd-faults-worker-bundle-${process.pid}.js`));
  rig = await startFaultRig({ name: 'faults-worker', temporalAddress: temporal.address, workflowBundlePath: bundle });
});
afterAll(async () => {
  await rig?.close();
  await temporal?.stop();
});

describe(`the worker SIGKILLed ${KILLS} times during ${CASES} cases and ${DEADLINES} deadline workflows`, () => {
  it('loses and doubles nothing', async () => {
    const started = performance.now();
    const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
    let lastKillAt = '';
    const killing = killWorkerRepeatedly(rig.workers, {
      kills: KILLS,
      minMs: 1_000,
      maxMs: 8_000,
      onKill: (n) => {
        lastKillAt = seconds();
        say(`kill ${n} at ${lastKillAt} s`);
      },
    });
    const result = await runWorkload(rig, {
      cases: CASES,
      deadlines: DEADLINES,
      log: (line) => say(`${seconds()} s: ${line}`),
    });
    await killing;
    await settle(rig, result, 15 * 60_000);
    const finished = seconds();
    const report = await checkInvariants(rig, result);
    say(
      `finished at ${finished} s (last kill at ${lastKillAt} s); figures ${JSON.stringify(report.figures)}; ${report.violations.length} violations`,
    );
    for (const v of report.violations) say(`violation: ${v}`);
    expect(report.violations).toEqual([]);
    expect(report.figures).toMatchObject({ cases: CASES, deadlines: DEADLINES, workflows: CASES + DEADLINES });
  });
});
