/**
 * Fuzzes every route of the OpenAPI document with schemathesis (from PyPI, into .tools/venv),
 * signed in as an admin who has every role, against the real app on a throw-away database, with a
 * Temporal worker running the real workflows (so a case the fuzzer opens answers its updates).
 * Self-contained: it starts a Temporal dev server of its own unless TEMPORAL_ADDRESS is given, and
 * drops its database, stops its server and removes its uploads however it ends.
 * Fails (exit 1) on any 5xx, any request that hangs past FUZZ_REQUEST_TIMEOUT seconds, a run past
 * FUZZ_MAX_SECONDS, or an unhandled error or rejection logged by the app.
 * Run: npm run fuzz   (FUZZ_EXAMPLES per operation, 25 by default; FUZZ_SEED to repeat a run;
 * FUZZ_CHECKS for schemathesis checks beyond not_a_server_error, e.g. ignored_auth)
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { createApp } from '../../api/app.js';
import { createTemporalGateway, importWorkflowsOverClient } from '../../services/workflowClient.js';
import { hashPassword } from '../../api/auth/crypto.js';
import { createRedis } from '../../bin/runtime.js';
import { projectRoot, startTemporalDevServer } from '../../bin/tools.js';
import { writeWorkflowBundle } from '../../bin/workflowBundle.js';
import { DEMO_PASSWORD, seedDemo } from '../../bin/demoSeed.js';
import { ROLES } from '../../rules/domain.js';
import { localDateOf } from '../../rules/dates.js';
import { createTestDatabase } from '../support/database.js';
import { aUser, signIn, TEST_SECRETS } from '../support/app.js';
import { workerTracing } from '../../bin/tracing.js';

const EXAMPLES = process.env.FUZZ_EXAMPLES ?? '25';
const REQUEST_TIMEOUT_SECONDS = Number(process.env.FUZZ_REQUEST_TIMEOUT ?? 20);
const MAX_SECONDS = Number(process.env.FUZZ_MAX_SECONDS ?? 900);
const say = (line: string) => process.stdout.write(`${line}\n`);
Runtime.install({ logger: new DefaultLogger('ERROR') });

const venv = path.join(projectRoot, '.tools/venv/bin');
if (!fs.existsSync(path.join(venv, 'schemathesis'))) {
  const install = spawnSync(
    path.join(venv, 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', 'schemathesis>=4,<5'],
    { stdio: 'inherit' },
  );
  if (install.status !== 0) throw new Error('could not install schemathesis into .tools/venv');
}

/** Everything started so far, undone in reverse order whatever happens. */
const cleanups: Array<[string, () => Promise<unknown>]> = [];
let cleaning: Promise<void> | undefined;
/** One cleanup, however many ask for it: a signal and the run's own end both wait for the same one. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    const done: string[] = [];
    for (const [what, undo] of cleanups.reverse()) {
      await undo().then(
        () => done.push(what),
        (error: unknown) => say(`cleanup: could not ${what}: ${String(error)}`),
      );
    }
    say(`cleaned up: ${done.join(', ')}`);
  })();
  return cleaning;
}
// Ctrl-C still drops the database and stops the Temporal server (and the run's own end waits for that).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const errors: string[] = [];
const rejections: unknown[] = [];
process.on('unhandledRejection', (reason) => rejections.push(reason));
const started = performance.now();
let fuzzStatus: number | null | undefined;
let timedOut = false;
const answers = {
  total: 0,
  byClass: {} as Record<string, number>,
  serverErrors: [] as string[],
  slowestMs: 0,
  slowest: '',
};

try {
  const temporalServer = process.env.TEMPORAL_ADDRESS ? undefined : await startTemporalDevServer();
  if (temporalServer) cleanups.push(['stop the Temporal dev server', () => temporalServer.stop()]);
  const address = process.env.TEMPORAL_ADDRESS ?? temporalServer!.address;

  const database = await createTestDatabase();
  cleanups.push([`drop the database ${new URL(database.url).pathname.slice(1)}`, () => database.drop()]);
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  cleanups.push(['close Redis', () => redis.quit()]);
  const uploadDir = path.join(os.tmpdir(), `mopd-fuzz-${randomUUID()}`);
  cleanups.push(['remove the uploads', () => fs.promises.rm(uploadDir, { recursive: true, force: true })]);

  const taskQueue = `fuzz-${randomUUID()}`;
  const bundle = await writeWorkflowBundle(path.join(projectRoot, `.data/fuzz-workflow-bundle-${process.pid}.js`));
  cleanups.push(['remove the workflow bundle', () => fs.promises.rm(bundle, { force: true })]);
  const worker = await Worker.create({
    // The bundle's OpenTelemetry workflow interceptors send their spans to this sink (dropped: no tracing here).
    ...workerTracing(undefined),
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowBundle: { codePath: bundle },
    activities: createActivities({
      db: database.db,
      publicUrl: 'http://127.0.0.1',
      importWorkflows: importWorkflowsOverClient,
    }),
  });
  const running = worker.run();
  cleanups.push([
    'stop the worker',
    async () => {
      // On SIGINT the SDK has begun stopping it already; then there is only the wait.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  ]);
  const temporal = createTemporalGateway({ address, namespace: 'default', taskQueue });
  cleanups.push(['close the Temporal client', () => temporal.close()]);

  // The demo data, so that the ids the fuzzer tries often exist (a case in review, an event, a
  // course) and requests reach past the 404 into the routes' logic.
  const demo = await seedDemo(database.db, {
    today: localDateOf(new Date()),
    demoPasswordHash: await hashPassword(DEMO_PASSWORD),
    startDeadlines: (id) => temporal.startEmploymentDeadlines(id),
    startCredentialRenewal: (id) => temporal.startCredentialRenewal(id),
    startCase: (type, id, workflowId) => temporal.startCase(type, id, workflowId),
    startEventReminders: (id) => temporal.startEventReminders(id),
  });
  say(`demo data: ${demo.professionals} professionals, ${demo.caseWorkflowsStarted} open cases`);

  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
  const { app } = createApp({
    db: database.db,
    redis,
    temporal,
    smtpCheck: async () => true,
    logger,
    databaseUrl: database.url,
    sessionSecret: 'fuzz-secret-that-is-long-enough-for-the-schema',
    // The same keys aUser seals the fuzz users' second-factor secrets with.
    secrets: TEST_SECRETS,
    publicUrl: 'http://127.0.0.1',
    uploadDir,
    signInLimit: { windowMs: 60_000, max: 100_000 },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  cleanups.push([
    'stop the app',
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  ]);
  // The app's own count of what it answered, beside schemathesis's report.
  server.on('request', (req, res) => {
    const since = performance.now();
    res.once('finish', () => {
      const ms = performance.now() - since;
      const line = `${req.method} ${req.url?.slice(0, 200)} → ${res.statusCode}`;
      answers.total++;
      const statusClass = `${Math.floor(res.statusCode / 100)}xx`;
      answers.byClass[statusClass] = (answers.byClass[statusClass] ?? 0) + 1;
      if (res.statusCode >= 500) answers.serverErrors.push(line);
      if (ms > answers.slowestMs) Object.assign(answers, { slowestMs: ms, slowest: line });
    });
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const everyone = await aUser(database.db, [...ROLES]);
  const session = await signIn(base, everyone);
  const cookie = (await session.get('/api/auth/me')).request.cookies;

  // Schemathesis keeps a crash cache in its working directory: a throw-away one, not the checkout.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mopd-fuzz-'));
  cleanups.push(['remove the scratch directory', () => fs.promises.rm(scratch, { recursive: true, force: true })]);
  // Asynchronous: the app under test runs in this same process and must keep answering.
  const fuzzer = spawn(
    path.join(venv, 'schemathesis'),
    [
      'run',
      `${base}/api/openapi.json`,
      '--url',
      base,
      '--checks',
      process.env.FUZZ_CHECKS ?? 'not_a_server_error',
      '--max-examples',
      EXAMPLES,
      ...(process.env.FUZZ_SEED ? ['--seed', process.env.FUZZ_SEED] : []),
      '--workers',
      '2',
      '--request-timeout',
      String(REQUEST_TIMEOUT_SECONDS),
      '--suppress-health-check',
      'all',
      '--continue-on-failure',
      '--exclude-path',
      '/api/auth/sign-out',
      '-H',
      `Cookie: ${cookie}`,
      '-H',
      `X-CSRF-Token: ${session.csrf}`,
    ],
    { stdio: 'inherit', cwd: scratch },
  );
  cleanups.push([
    'stop schemathesis',
    async () => {
      if (fuzzer.exitCode !== null || fuzzer.signalCode !== null) return;
      const exited = new Promise((resolve) => fuzzer.once('exit', resolve));
      fuzzer.kill('SIGTERM');
      await exited;
    },
  ]);
  const deadline = setTimeout(() => {
    timedOut = true;
    fuzzer.kill('SIGTERM');
  }, MAX_SECONDS * 1000);
  fuzzStatus = await new Promise<number | null>((resolve) => fuzzer.once('exit', resolve));
  clearTimeout(deadline);
} finally {
  await cleanUp();
}

const unhandled = errors.filter((line) => line.includes('unhandled error'));
const seconds = (performance.now() - started) / 1000;
say('');
say(
  `fuzz run: ${seconds.toFixed(0)} s; schemathesis exit ${fuzzStatus}${timedOut ? ` (stopped after ${MAX_SECONDS} s)` : ''}`,
);
say(
  `the app answered ${answers.total} requests: ${Object.entries(answers.byClass)
    .sort()
    .map(([k, n]) => `${n} ${k}`)
    .join(', ')}; slowest ${answers.slowestMs.toFixed(0)} ms (${answers.slowest})`,
);
say(
  `5xx answers: ${answers.serverErrors.length}; unhandled errors logged: ${unhandled.length}; unhandled rejections: ${rejections.length}`,
);
for (const line of [...new Set(answers.serverErrors)].slice(0, 10)) say(`  ${line}`);
for (const line of unhandled.slice(0, 5)) say(`  ${line.slice(0, 2000)}`);
for (const reason of rejections.slice(0, 5)) say(`  rejection: ${String(reason)}`);
const passed =
  fuzzStatus === 0 &&
  !timedOut &&
  answers.serverErrors.length === 0 &&
  unhandled.length === 0 &&
  rejections.length === 0;
process.exit(passed ? 0 : 1);
