/**
 * Issue 9, fault 2 (short): a Temporal dev server of the test's own, on a SQLite file, stopped with
 * SIGTERM for five seconds while 20 approval cases and 20 hires go through the API, then started
 * again on the same file. Meanwhile workflow-starting requests are answered 503 with Retry-After
 * and nothing of them is kept; the worker process reconnects by itself; afterwards every case has
 * one outcome, every hire its deadline, every email went once. The shared server of the other
 * tests is never touched. The long version is test/faults/temporalRestart.test.ts.
 */
import { describe, expect, inject, it } from 'vitest';
import { RETRY_AFTER_SECONDS } from '../../api/errors.js';
import { temporalRestart } from '../support/temporalRestartScenario.js';

describe('a Temporal server restart during a run', () => {
  it('answers 503 with a retry hint while it is down, and afterwards nothing is lost or doubled', async () => {
    const report = await temporalRestart({
      name: 'temporal-restart',
      workflowBundlePath: inject('workflowBundlePath'),
      cases: 20,
      deadlines: 20,
      stopAfterCases: 6,
      downMs: 5_000,
      settleMs: 60_000,
    });
    expect(report.violations).toEqual([]);
    expect(report.figures).toMatchObject({ cases: 20, deadlines: 20, workflows: 40 });
    const refused = report.duringOutage.filter((a) => a.path === 'POST /api/employments');
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) expect(a).toMatchObject({ status: 503, retryAfter: String(RETRY_AFTER_SECONDS) });
    // What needs no workflow keeps answering; /health names Temporal as the one away.
    expect(report.duringOutage.filter((a) => a.path === 'GET /api/ping').every((a) => a.status === 200)).toBe(true);
    expect(report.duringOutage.filter((a) => a.path === 'GET /health').every((a) => a.status === 503)).toBe(true);
    expect(report.sameWorkerProcess).toBe(true);
    expect(report.workerExits).toBe(0);
  }, 110_000);
});
