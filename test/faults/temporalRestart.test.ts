/**
 * `npm run faults:temporal`: 300 approval cases and 300 hires with deadlines, driven through the
 * API, while the Temporal server (its own dev server on a SQLite file) is stopped with SIGTERM
 * mid-run, kept down for 20 seconds and started again on the same file; then the invariants of
 * test/support/faultWorkload.ts. Sizes: FAULT_CASES, FAULT_DEADLINES, FAULT_DOWN_SECONDS. Prints
 * the figures for the README.
 */
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeWorkflowBundle } from '../../bin/workflowBundle.js';
import { RETRY_AFTER_SECONDS } from '../../api/errors.js';
import { temporalRestart } from '../support/temporalRestartScenario.js';

const CASES = Number(process.env.FAULT_CASES ?? 300);
const DEADLINES = Number(process.env.FAULT_DEADLINES ?? 300);
const DOWN_SECONDS = Number(process.env.FAULT_DOWN_SECONDS ?? 20);
const say = (line: string) => process.stdout.write(`[faults:temporal] ${line}\n`);

let bundle: string;
beforeAll(async () => {
  bundle = await writeWorkflowBundle(path.join(os.tmpdir(), `mopd-faults-temporal-bundle-${process.pid}.js`));
});

describe(`the Temporal server stopped for ${DOWN_SECONDS} s during ${CASES} cases and ${DEADLINES} deadline workflows`, () => {
  it('answers 503 with Retry-After while it is down, and loses and doubles nothing', async () => {
    const report = await temporalRestart({
      name: 'faults-temporal',
      workflowBundlePath: bundle,
      cases: CASES,
      deadlines: DEADLINES,
      stopAfterCases: Math.ceil(CASES / 3),
      downMs: DOWN_SECONDS * 1000,
      settleMs: 15 * 60_000,
      log: say,
    });
    const refused = report.duringOutage.filter((a) => a.path === 'POST /api/employments');
    say(
      `stopped at ${report.seconds.stoppedAt} s, started at ${report.seconds.restartedAt} s, /health 200 ${report.healthyAfterSeconds} s later, finished at ${report.seconds.finished} s; ` +
        `workload answers 503: ${report.workload503}; probe hires during the outage: ${refused.map((a) => `${a.status} in ${a.ms} ms`).join(', ')}; ` +
        `same worker process: ${report.sameWorkerProcess}; figures ${JSON.stringify(report.figures)}; ${report.violations.length} violations`,
    );
    for (const v of report.violations) say(`violation: ${v}`);
    expect(report.violations).toEqual([]);
    expect(report.figures).toMatchObject({ cases: CASES, deadlines: DEADLINES, workflows: CASES + DEADLINES });
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) expect(a).toMatchObject({ status: 503, retryAfter: String(RETRY_AFTER_SECONDS) });
    for (const a of report.duringOutage.filter((p) => p.path === 'GET /api/ping')) expect(a.status).toBe(200);
    for (const a of report.duringOutage.filter((p) => p.path === 'GET /health')) expect(a.status).toBe(503);
    expect(report.workload503).toBeGreaterThan(0);
    expect(report.sameWorkerProcess).toBe(true);
  });
});
