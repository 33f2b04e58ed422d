/**
 * Issue 9, fault 2: the Temporal server (a dev server of the scenario's own, on a SQLite file) is
 * stopped with SIGTERM in the middle of a run of approval cases and hires, kept down for a while,
 * and started again on the same port and file. Meanwhile the API refuses what needs Temporal with
 * 503 and Retry-After (it does not accept and start later: the case or hire is rolled back, and the
 * client, here the workload, sends it again), keeps answering what does not, and reports itself
 * degraded on /health. The worker process is not restarted: its polls retry until the server is
 * back. Afterwards the invariants of faultWorkload.ts: every request answered 201 has its row and
 * its workflow, every case one outcome, every email once, no workflow without its case or hire.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { aUser, signIn } from './app.js';
import { startFaultRig } from './faultRig.js';
import { checkInvariants, runWorkload, settle, waitFor, type InvariantReport } from './faultWorkload.js';
import { startPersistentTemporal } from './temporalServer.js';

export interface TemporalRestartOptions {
  name: string;
  workflowBundlePath: string;
  cases: number;
  deadlines: number;
  /** The server is stopped once this many case rows are saved. */
  stopAfterCases: number;
  downMs: number;
  settleMs: number;
  log?: (line: string) => void;
}

/** One request sent to the API while Temporal was down. */
export interface OutageAnswer {
  path: string;
  status: number;
  retryAfter: string | null;
  ms: number;
}

export interface TemporalRestartReport extends InvariantReport {
  /** Requests of the workload answered 503 (and sent again) in the whole run. */
  workload503: number;
  /** The probes sent while the server was down. */
  duringOutage: OutageAnswer[];
  /** Seconds from the server's start until /health answered 200 again. */
  healthyAfterSeconds: number;
  /** True when the one worker process started before the run is the one running after it. */
  sameWorkerProcess: boolean;
  /** Worker processes that exited during the run (none expected). */
  workerExits: number;
  seconds: { stoppedAt: number; restartedAt: number; finished: number };
}

export async function temporalRestart(options: TemporalRestartOptions): Promise<TemporalRestartReport> {
  const log = options.log ?? (() => undefined);
  const temporal = await startPersistentTemporal();
  const rig = await startFaultRig({
    name: options.name,
    temporalAddress: temporal.address,
    workflowBundlePath: options.workflowBundlePath,
  });
  try {
    const started = performance.now();
    const seconds = () => Number(((performance.now() - started) / 1000).toFixed(1));
    const worker = rig.workers.start();
    let workerExits = 0;
    worker.child.once('exit', () => workerExits++);
    await worker.ready;
    const { db } = rig.database;

    // A hire the probe tries while the server is down: a place and a person outside the workload's.
    const [center] = await db('organizations')
      .insert({ name: 'Probe Center', licensed: true, subsidized: false, serves_infants: false, county: 'Boone' })
      .returning('id');
    const [person] = await db('professionals')
      .insert({ mopd_id: 'MO0999999', first_name: 'Pat', last_name: 'Probe', email: 'pat.probe@example.org' })
      .returning('id');
    const admin = await signIn(rig.server, await aUser(db, ['admin']));
    const probeHire = {
      professionalId: Number(person.id),
      organizationId: Number(center.id),
      role: 'teacher',
      hireDate: '2026-01-05',
    };

    const duringOutage: OutageAnswer[] = [];
    const timed = async (
      path: string,
      send: () => PromiseLike<{ status: number; headers: Record<string, string> }>,
    ) => {
      const t0 = performance.now();
      const res = await send();
      duringOutage.push({
        path,
        status: res.status,
        retryAfter: res.headers['retry-after'] ?? null,
        ms: Math.round(performance.now() - t0),
      });
    };
    let stoppedAt = 0;
    let restartedAt = 0;
    let healthyAfterSeconds = Number.NaN;
    const outage = (async () => {
      await waitFor(
        `${options.stopAfterCases} cases saved`,
        async () => Number((await db('cases').count({ n: '*' }))[0]!.n) >= options.stopAfterCases,
        10 * 60_000,
      );
      await temporal.stop();
      stoppedAt = seconds();
      log(`Temporal server stopped (SIGTERM) at ${stoppedAt} s`);
      const end = performance.now() + options.downMs;
      while (performance.now() < end) {
        await timed('POST /api/employments', () => admin.post('/api/employments', probeHire));
        await timed('GET /api/ping', () => request(rig.server).get('/api/ping'));
        await timed('GET /health', () => request(rig.server).get('/health'));
        await sleep(1_000);
      }
      await temporal.start();
      restartedAt = seconds();
      log(`Temporal server started again on the same file at ${restartedAt} s`);
      const back = performance.now();
      await waitFor(
        '/health to answer 200',
        async () => (await request(rig.server).get('/health')).status === 200,
        120_000,
      );
      healthyAfterSeconds = Number(((performance.now() - back) / 1000).toFixed(1));
      log(`/health 200 again ${healthyAfterSeconds} s after the start`);
    })();
    // Should the workload fail first, its error is the one reported, not the outage's.
    outage.catch(() => undefined);
    const result = await runWorkload(rig, {
      cases: options.cases,
      deadlines: options.deadlines,
      log: (line) => log(`${seconds()} s: ${line}`),
    });
    await outage;
    await settle(rig, result, options.settleMs);
    const finished = seconds();
    const report = await checkInvariants(rig, result);
    // The probe's hire was refused every time, so nothing of it may exist.
    const probeRows = Number(
      (await db('employments').where({ professional_id: probeHire.professionalId }).count({ n: '*' }))[0]!.n,
    );
    if (probeRows > 0)
      report.violations.push(`${probeRows} employments saved for the probe's hire, which was never answered 201`);
    const running = rig.workers.running();
    return {
      ...report,
      workload503: result.unavailable,
      duringOutage,
      healthyAfterSeconds,
      sameWorkerProcess: running.length === 1 && running[0] === worker.child,
      workerExits,
      seconds: { stoppedAt, restartedAt, finished },
    };
  } finally {
    await rig.close();
    await temporal.close();
  }
}
