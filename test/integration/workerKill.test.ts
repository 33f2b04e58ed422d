/**
 * The worker killed with SIGKILL while it works, three times, restarted each time (the short
 * version of `npm run faults:worker`): 30 approval cases and 30 hires with deadlines, driven
 * through the API; afterwards every case has one outcome and a timeline without doubled steps,
 * every deadline one state, every training record one credit decision, every email delivered
 * once, and every workflow closed or waiting as it should, none failed.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { killWorkerRepeatedly, startFaultRig, type FaultRig } from '../support/faultRig.js';
import { checkInvariants, runWorkload, settle } from '../support/faultWorkload.js';

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({
    name: 'worker-kill',
    temporalAddress: inject('temporalAddress'),
    workflowBundlePath: inject('workflowBundlePath'),
  });
});
afterAll(async () => {
  await rig?.close();
});

describe('a worker killed repeatedly during a run', () => {
  it('loses and doubles nothing: cases, deadlines, credit and email', async () => {
    let kills = 0;
    const killing = killWorkerRepeatedly(rig.workers, {
      kills: 3,
      minMs: 1_000,
      maxMs: 5_000,
      onKill: (n) => (kills = n),
    });
    const result = await runWorkload(rig, { cases: 30, deadlines: 30 });
    await killing;
    expect(kills).toBe(3);
    await settle(rig, result, 150_000);
    const report = await checkInvariants(rig, result);
    expect(report.violations).toEqual([]);
    expect(report.figures).toMatchObject({ cases: 30, deadlines: 30, workflows: 60, workflowsWaiting: 20 });
  }, 300_000);
});
