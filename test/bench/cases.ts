/**
 * Approval cases end to end: 2,000 organization claims submitted through the API, assigned by
 * workload, decided through the API, each run by its workflow on a real Temporal dev server with
 * the real activities against PostgreSQL; reported as cases per second beside a floor measured
 * in the same run on the same server: a trivial workflow that starts and completes with one
 * activity (a SELECT 1). Run: npm run bench:cases  (BENCH_CASES to change the count)
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { createTemporalGateway, importWorkflowsOverClient } from '../../services/workflowClient.js';
import { createActivities } from '../../activities/index.js';
import { createRedis } from '../../bin/runtime.js';
import { startTemporalDevServer } from '../../bin/tools.js';
import { writeWorkflowBundle } from '../../bin/workflowBundle.js';
import { createTestDatabase } from '../support/database.js';
import { aUser, signIn, testApp, type Session } from '../support/app.js';
import { workerTracing } from '../../bin/tracing.js';

const CASES = Number(process.env.BENCH_CASES ?? 2000);
const CONCURRENCY = 20;
const say = (line: string) => process.stdout.write(`${line}\n`);
Runtime.install({ logger: new DefaultLogger('ERROR') });

/** Runs `work` for 0..count-1 with at most CONCURRENCY at once. */
async function pool(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}

const temporal = await startTemporalDevServer();
const database = await createTestDatabase();
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const bundle = await writeWorkflowBundle(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../../.data/bench-workflow-bundle.js'),
);
try {
  const { db } = database;
  const taskQueue = `bench-cases-${randomUUID()}`;
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await Worker.create({
    // The bundle's OpenTelemetry workflow interceptors send their spans to this sink (dropped: no tracing here).
    ...workerTracing(undefined),
    connection,
    taskQueue,
    workflowBundle: { codePath: bundle },
    activities: createActivities({ db, publicUrl: 'http://mopd.bench', importWorkflows: importWorkflowsOverClient }),
    maxConcurrentActivityTaskExecutions: 20,
  });
  const floorQueue = `bench-floor-${randomUUID()}`;
  const floorWorker = await Worker.create({
    connection,
    taskQueue: floorQueue,
    workflowsPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'trivialWorkflow.ts'),
    activities: { touch: async (id: number) => (await db.raw('SELECT ?::int AS id', [id])).rows[0].id as number },
    maxConcurrentActivityTaskExecutions: 20,
  });
  const gateway = createTemporalGateway({ address: temporal.address, namespace: 'default', taskQueue });
  const { app } = testApp(database, redis, gateway);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));

  say(`preparing ${CASES} organizations, 50 applicants and one reviewer…`);
  await db.raw(
    `INSERT INTO organizations (name, licensed, subsidized, serves_infants, county, license_number) SELECT 'Bench Center ' || g, true, false, false, 'Boone', 'B-' || g FROM generate_series(1, ?) g`,
    [CASES],
  );
  const organizationIds: number[] = await db('organizations').orderBy('id').pluck('id');
  const applicants: Session[] = [];
  for (let i = 0; i < 50; i++) applicants.push(await signIn(server, await aUser(db, ['professional'])));
  const reviewerUser = await aUser(db, ['reviewer']);
  const reviewer = await signIn(server, reviewerUser);
  // The one reviewer takes every case by workload: the decision needs no claim.
  await db('user_roles').where({ role: 'reviewer' }).whereNot({ user_id: reviewerUser.user.id }).delete();

  const run = worker.run();
  const floorRun = floorWorker.run();
  try {
    // Floor: trivial workflows, the same count and concurrency, on the same server.
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    const floorStarted = performance.now();
    await pool(CASES, (i) =>
      client.workflow.execute('trivial', {
        taskQueue: floorQueue,
        workflowId: `trivial-${i}-${randomUUID()}`,
        args: [i],
      }),
    );
    const floorSeconds = (performance.now() - floorStarted) / 1000;

    const started = performance.now();
    const ids: number[] = new Array(CASES);
    await pool(CASES, async (i) => {
      const response = await applicants[i % applicants.length]!.post('/api/cases/organization-claims', {
        organizationId: organizationIds[i],
        position: 'Director',
      });
      if (response.status !== 201) throw new Error(`submit ${i}: ${response.status} ${JSON.stringify(response.body)}`);
      ids[i] = response.body.case.id;
    });
    const submitted = performance.now();
    await until(
      async () =>
        Number(
          (await db('cases').where({ status: 'in_review' }).count<{ count: number }[]>({ count: '*' }))[0]!.count,
        ) === CASES,
    );
    const inReview = performance.now();
    await pool(CASES, async (i) => {
      const response = await reviewer.agent
        .post(`/api/cases/${ids[i]}/decide`)
        .set('x-csrf-token', reviewer.csrf)
        .set('idempotency-key', `bench-${i}`)
        .send({ decision: 'approved', reasons: [] });
      if (response.status !== 200) throw new Error(`decide ${i}: ${response.status} ${JSON.stringify(response.body)}`);
    });
    await until(
      async () =>
        Number(
          (await db('cases').where({ status: 'approved' }).count<{ count: number }[]>({ count: '*' }))[0]!.count,
        ) === CASES,
    );
    const done = performance.now();
    const seconds = (done - started) / 1000;
    const emails = Number((await db('outbox').count<{ count: number }[]>({ count: '*' }))[0]!.count);

    say('');
    say('| measure | MOPD | floor (trivial workflow, one activity) | ratio |');
    say('| --- | --- | --- | --- |');
    say(
      `| ${CASES} organization claims submitted, checked, assigned and decided through the API | ${(CASES / seconds).toFixed(1)} cases/s (${seconds.toFixed(1)} s) | ${(CASES / floorSeconds).toFixed(1)} workflows/s (${floorSeconds.toFixed(1)} s) | ${(seconds / floorSeconds).toFixed(1)}x |`,
    );
    say('');
    say(
      `phases: submit ${((submitted - started) / 1000).toFixed(1)} s, checks and assignment until all in review ${((inReview - submitted) / 1000).toFixed(1)} s, decide ${((done - inReview) / 1000).toFixed(1)} s; ${emails} emails queued (received, assigned, decided)`,
    );
  } finally {
    worker.shutdown();
    floorWorker.shutdown();
    await Promise.all([run, floorRun]);
    await new Promise((resolve) => server.close(resolve));
    await gateway.close();
  }
} finally {
  await redis.quit();
  await database.drop();
  await temporal.stop();
}
