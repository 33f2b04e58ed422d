/**
 * The annual deadlines at statewide size (issue 20): 60,000 professionals with five years of
 * history, a quarter of them short of their hours a month before December 31. Measured, each
 * beside a floor taken in the same run on the same Temporal dev server and database:
 * - the January 1 rollover as the real `complianceRollover` workflow with a worker in this process,
 *   beside the same `recomputeComplianceBatch` loop called directly and a trivial workflow;
 * - a day's reminder run as the real `complianceReminders` workflow, beside the same batch recompute;
 * - the same reminder run with its worker in a child process killed with SIGKILL after the first
 *   heartbeats and a new worker started: every reminder due is in the outbox exactly once.
 * Run: npm run bench:deadlines  (BENCH_PROFESSIONALS to scale it down; BENCH_KEEP keeps the database)
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createDb, dropDatabase, ensureDatabase, migrateLatest, type Db } from '../../db/connection.js';
import { installShippedRuleSets } from '../../db/ruleSets.js';
import { createActivities } from '../../activities/index.js';
import { importWorkflowsOverClient } from '../../services/workflowClient.js';
import { recomputeCompliance, recomputeComplianceBatch } from '../../services/compliance.js';
import { tellTurnedAtRollover } from '../../services/rolloverNotices.js';
import { reminderKey, remindersDue } from '../../services/reminders.js';
import { startTemporalDevServer } from '../../bin/tools.js';
import { writeWorkflowBundle } from '../../bin/workflowBundle.js';
import type { complianceReminders } from '../../workflows/complianceReminders.js';
import type { complianceRollover } from '../../workflows/complianceRollover.js';
import { workerProcesses } from '../support/workerProcess.js';
import { until } from '../support/polling.js';
import { seedWorkforce } from './seeding.js';
import { workerTracing } from '../../bin/tracing.js';

/** The reminder run's day: 30 days before December 31, so the 30-day point is due to whoever is short. */
export const REMINDER_DAY = '2026-12-01';
/** The rollover's day: the calendar year turns. */
export const ROLLOVER_DAY = '2027-01-01';
/** The day stored compliance stands at before the rollover. */
const BEFORE_ROLLOVER = '2026-12-31';
const PUBLIC_URL = 'http://mopd.bench';
const REMINDER_TEMPLATE = 'deadline-reminder';

/** A database of the benchmark's own, migrated, with the shipped rule sets (ids from 1, as seedWorkforce needs). */
export async function benchDatabase(name: string): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  await dropDatabase(url.toString());
  await ensureDatabase(url.toString());
  const db = createDb(url.toString(), { max: 6 });
  await migrateLatest(db);
  await installShippedRuleSets(db);
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.destroy();
      await dropDatabase(url.toString());
    },
  };
}

/**
 * The statewide registry: seedWorkforce's people (about 50 records each over five years, the last
 * in May 2026), then three in four complete a 40-hour course in June 2026, enough for 2026 and any
 * earlier year short; the fourth quarter keeps only its January–May hours and is mostly short.
 */
export async function seedRegistry(db: Db, professionals: number): Promise<{ topUps: number }> {
  await seedWorkforce(db, {
    professionals,
    recordsEach: 50,
    organizations: Math.max(2, Math.round(professionals / 20)),
  });
  const course = Number((await db('courses').min('id as id').first())!.id);
  const { rowCount } = await db.raw(
    `INSERT INTO training_records (professional_id, course_id, title, topic, completed_on, hours, source, credited_hours, credit_rule_set, credit_rule_set_version)
     SELECT p.id, ?, 'Course 1', 'topic-1', DATE '2026-06-15', 40, 'attendance', 40, 'mopd-compliance', 1
       FROM professionals p WHERE p.id % 4 <> 0`,
    [course],
  );
  await db.raw('ANALYZE');
  return { topUps: rowCount ?? 0 };
}

/**
 * The reminders due on a day by the pure rules (`remindersDue`, no Temporal, no mail): the keys
 * the outbox must hold exactly once each afterwards, and how many people they are for.
 */
export async function expectedReminders(db: Db, asOf: string): Promise<{ keys: Set<string>; people: number }> {
  const ids: number[] = (await db('professionals').orderBy('id').pluck('id')).map(Number);
  const keys = new Set<string>();
  const people = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const d of await remindersDue(db, ids.slice(i, i + 500), asOf)) {
      keys.add(reminderKey(d.professionalId, d.requirement, d.period.start, d.point));
      people.add(d.professionalId);
    }
  }
  return { keys, people: people.size };
}

/**
 * The same people counted independently in SQL, for the licensing hours only: at a licensed
 * program on the day and under 12 credited hours in its calendar year so far. (The rule set's
 * back-fill could add people whose hours went to an earlier short year; the seeding leaves none.)
 */
export async function shortOfLicensingHoursBySql(db: Db, asOf: string): Promise<number> {
  const { rows } = await db.raw(
    `SELECT count(*)::int AS n FROM professionals p
      WHERE EXISTS (SELECT 1 FROM employments e JOIN organizations o ON o.id = e.organization_id
                     WHERE e.professional_id = p.id AND o.licensed AND e.hire_date <= :asOf AND (e.end_date IS NULL OR e.end_date >= :asOf))
        AND coalesce((SELECT sum(credited_hours) FROM training_records t
                       WHERE t.professional_id = p.id AND t.completed_on BETWEEN date_trunc('year', :asOf::date) AND :asOf), 0) < 12`,
    { asOf },
  );
  return Number(rows[0].n);
}

/** The distinct people with a licensing-hours key among the keys. */
export const licensingPeople = (keys: Set<string>) =>
  new Set([...keys].filter((k) => k.includes('-licensing-annual-hours-')).map((k) => k.split('-')[1])).size;

/** What the outbox holds of the day's reminders, against the keys expected. */
export async function reminderOutbox(db: Db, expected: Set<string>) {
  const rows: Array<{ dedupe_key: string; n: number }> = await db('outbox')
    .where({ template: REMINDER_TEMPLATE })
    .groupBy('dedupe_key')
    .select('dedupe_key', db.raw('count(*)::int AS n'));
  const found = new Set(rows.map((r) => r.dedupe_key));
  return {
    rows: rows.reduce((sum, r) => sum + r.n, 0),
    duplicated: rows.filter((r) => r.n > 1).length,
    missing: [...expected].filter((k) => !found.has(k)),
    unexpected: [...found].filter((k) => !expected.has(k)),
  };
}

/** Clears the day's reminders (outbox and notifications) so another run has them all to write again. */
export async function clearReminders(db: Db): Promise<void> {
  await db('outbox').where({ template: REMINDER_TEMPLATE }).delete();
  await db('notifications').where('dedupe_key', 'like', 'reminder-%').delete();
}

/** How many outbox rows of a template there are. */
const outboxCount = async (db: Db, template = REMINDER_TEMPLATE): Promise<number> =>
  Number((await db.raw('SELECT count(*)::int AS n FROM outbox WHERE template = ?', [template])).rows[0].n);

export interface KillRun {
  wallMs: number;
  /** From the start to the SIGKILL, and the last id the killed attempt had heartbeated. */
  killedAfterMs: number;
  heartbeatedLastId: number;
  remindersAtKill: number;
  /** From the SIGKILL to the workflow's result. */
  afterKillMs: number;
  result: { checked: number; reminded: number };
}

/**
 * The reminder run with its worker in a child process (bin/worker.ts), killed with SIGKILL once
 * the first attempt has heartbeated, then a new worker process. The dead attempt is found out by
 * its 2-minute heartbeat timeout, as in production; `failDeadAttempt` fails it by id at once
 * instead (as an operator would), so a short run in CI need not wait for the timeout.
 */
export async function killRun(options: {
  db: Db;
  databaseUrl: string;
  temporalAddress: string;
  workflowBundlePath: string;
  asOf: string;
  batchSize: number;
  failDeadAttempt?: boolean;
}): Promise<KillRun> {
  const taskQueue = `bench-deadlines-kill-${randomUUID()}`;
  const workers = workerProcesses({
    databaseUrl: options.databaseUrl,
    temporalAddress: options.temporalAddress,
    taskQueue,
    workflowBundlePath: options.workflowBundlePath,
  });
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection });
    const first = workers.start();
    await first.ready;
    const started = performance.now();
    const workflowId = `bench-deadlines-reminders-kill-${randomUUID()}`;
    const handle = await client.workflow.start<typeof complianceReminders>('complianceReminders', {
      taskQueue,
      workflowId,
      args: [{ asOf: options.asOf, batchSize: options.batchSize }],
    });
    const pending = await until(
      async () => (await handle.describe()).raw.pendingActivities?.[0],
      (activity) => (activity?.heartbeatDetails?.payloads?.length ?? 0) > 0,
      600_000,
    );
    await workers.kill(first.child);
    const killedAt = performance.now();
    const heartbeated = defaultPayloadConverter.fromPayload<{ lastId: number }>(
      pending!.heartbeatDetails!.payloads![0]!,
    );
    const remindersAtKill = await outboxCount(options.db);
    if (options.failDeadAttempt)
      await client.activity.fail(
        { workflowId, activityId: pending!.activityId! },
        new Error('the worker running this attempt was killed'),
      );
    const second = workers.start();
    await second.ready;
    const result = await handle.result();
    const finished = performance.now();
    return {
      wallMs: finished - started,
      killedAfterMs: killedAt - started,
      heartbeatedLastId: heartbeated.lastId,
      remindersAtKill,
      afterKillMs: finished - killedAt,
      result,
    };
  } finally {
    await workers.killAll();
    await connection.close();
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (people: number, ms: number) => `${Math.round(people / (ms / 1000)).toLocaleString('en-US')}/s`;
async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await run();
  return [performance.now() - started, result];
}

/** The `recomputeComplianceBatch` loop the rollover activity runs, called directly: batches of 5,000, sub-batches of 500. */
async function recomputeLoop(db: Db, asOf: string, tellTurned: boolean): Promise<number> {
  let afterId = 0;
  let done = 0;
  for (;;) {
    const batch = await recomputeComplianceBatch(db, {
      asOf,
      afterId,
      limit: 5000,
      onBatch: tellTurned
        ? ({ turned, trx }) => tellTurnedAtRollover(trx, { asOf, turned, publicUrl: PUBLIC_URL })
        : undefined,
    });
    done += batch.done;
    afterId = batch.lastId;
    if (batch.finished) return done;
  }
}

/** Stored compliance as of the day before the rollover, and no rollover notices yet. */
async function standBeforeRollover(db: Db): Promise<void> {
  await db('compliance_results').delete();
  await db('outbox').where({ template: 'compliance-turned' }).delete();
  await db('notifications').where('dedupe_key', 'like', '%rollover%').delete();
  await recomputeCompliance(db, { asOf: BEFORE_ROLLOVER });
}

async function main() {
  const professionals = Number(process.env.BENCH_PROFESSIONALS ?? 60_000);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const database = await benchDatabase('mopd_bench_deadlines');
  const { db } = database;
  const temporal = await startTemporalDevServer();
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundle = await writeWorkflowBundle(path.join(here, '../../.data/bench-deadlines-workflow-bundle.js'));
  try {
    say(`seeding ${professionals} professionals with about 50 training records each…`);
    const [seedMs, { topUps }] = await timed(() => seedRegistry(db, professionals));
    say(`seeded in ${seconds(seedMs)}; ${topUps} completed 40 hours in June 2026, the rest did not`);
    const [expectMs, expected] = await timed(() => expectedReminders(db, REMINDER_DAY));
    const byPoint = new Map<string, number>();
    for (const key of expected.keys) {
      const label = key.replace(/^reminder-\d+-/, '').replace(/-\d{4}-\d{2}-\d{2}-/, ' point ');
      byPoint.set(label, (byPoint.get(label) ?? 0) + 1);
    }
    say(
      `as of ${REMINDER_DAY}: ${expected.people} people short with a reminder due, ${expected.keys.size} reminders (${[...byPoint].map(([k, n]) => `${k}: ${n}`).join(', ')}), by the pure rules in ${seconds(expectMs)}`,
    );

    say(
      `cross-check in SQL: ${await shortOfLicensingHoursBySql(db, REMINDER_DAY)} people under 12 hours of 2026 at a licensed program, ${licensingPeople(expected.keys)} with a licensing reminder by the rules`,
    );

    const connection = await NativeConnection.connect({ address: temporal.address });
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    const taskQueue = `bench-deadlines-${randomUUID()}`;
    const worker = await Worker.create({
      // The bundle's OpenTelemetry workflow interceptors send their spans to this sink (dropped: no tracing here).
      ...workerTracing(undefined),
      connection,
      taskQueue,
      workflowBundle: { codePath: bundle },
      activities: createActivities({ db, publicUrl: PUBLIC_URL, importWorkflows: importWorkflowsOverClient }),
    });
    const floorQueue = `bench-deadlines-floor-${randomUUID()}`;
    const floorWorker = await Worker.create({
      connection,
      taskQueue: floorQueue,
      workflowsPath: path.join(here, 'trivialWorkflow.ts'),
      activities: { touch: async (id: number) => (await db.raw('SELECT ?::int AS id', [id])).rows[0].id as number },
    });

    const figures = await floorWorker.runUntil(
      worker.runUntil(async () => {
        // The trivial workflow: start, one activity (SELECT 1), complete; median of 20.
        const trivial: number[] = [];
        for (let i = 0; i < 20; i++)
          trivial.push(
            (
              await timed(() =>
                client.workflow.execute('trivial', {
                  taskQueue: floorQueue,
                  workflowId: `bench-deadlines-trivial-${randomUUID()}`,
                  args: [i],
                }),
              )
            )[0],
          );
        trivial.sort((a, b) => a - b);

        // The rollover: the loop directly, then the workflow, each from the same stored state.
        await standBeforeRollover(db);
        const [rolloverFloorMs, rolloverFloorDone] = await timed(() => recomputeLoop(db, ROLLOVER_DAY, true));
        const turnedInFloor = await outboxCount(db, 'compliance-turned');
        await standBeforeRollover(db);
        const [rolloverMs, rollover] = await timed(() =>
          client.workflow.execute<typeof complianceRollover>('complianceRollover', {
            taskQueue,
            workflowId: `bench-deadlines-rollover-${randomUUID()}`,
            args: [{ asOf: ROLLOVER_DAY }],
          }),
        );
        const turned = await outboxCount(db, 'compliance-turned');

        // The reminder run, beside the batch recompute as of the same day.
        const [reminderFloorMs, reminderFloorDone] = await timed(() => recomputeLoop(db, REMINDER_DAY, false));
        await clearReminders(db);
        const [remindersMs, reminders] = await timed(() =>
          client.workflow.execute<typeof complianceReminders>('complianceReminders', {
            taskQueue,
            workflowId: `bench-deadlines-reminders-${randomUUID()}`,
            args: [{ asOf: REMINDER_DAY }],
          }),
        );
        const written = await reminderOutbox(db, expected.keys);
        return {
          trivialMs: trivial[Math.floor(trivial.length / 2)]!,
          rolloverFloorMs,
          rolloverFloorDone,
          turnedInFloor,
          rolloverMs,
          rollover,
          turned,
          reminderFloorMs,
          reminderFloorDone,
          remindersMs,
          reminders,
          written,
        };
      }),
    );
    await connection.close();
    await client.connection.close();

    say(`killing a worker process midway through the reminder run (the new one waits out the heartbeat timeout)…`);
    await clearReminders(db);
    const kill = await killRun({
      db,
      databaseUrl: database.url,
      temporalAddress: temporal.address,
      workflowBundlePath: bundle,
      asOf: REMINDER_DAY,
      batchSize: 200,
    });
    const afterKill = await reminderOutbox(db, expected.keys);

    const f = figures;
    say('');
    say(`| measure | MOPD | floor (same run) | ratio |`);
    say(`| --- | --- | --- | --- |`);
    say(
      `| one trivial workflow (start, one activity, complete), median of 20 | — | ${f.trivialMs.toFixed(1)} ms | — |`,
    );
    say(
      `| January 1 rollover, \`complianceRollover\` workflow, ${f.rollover.recomputed} people (${f.turned} told their status turned) | ${seconds(f.rolloverMs)}, ${rate(f.rollover.recomputed, f.rolloverMs)} | ${seconds(f.rolloverFloorMs)}, ${rate(f.rolloverFloorDone, f.rolloverFloorMs)} (\`recomputeComplianceBatch\` loop, ${f.turnedInFloor} told) | ${(f.rolloverMs / f.rolloverFloorMs).toFixed(1)}x |`,
    );
    say(
      `| reminder run for ${REMINDER_DAY}, \`complianceReminders\` workflow, ${f.reminders.checked} people, ${f.reminders.reminded} reminders (${f.written.rows} outbox rows) | ${seconds(f.remindersMs)}, ${rate(f.reminders.checked, f.remindersMs)} | ${seconds(f.reminderFloorMs)}, ${rate(f.reminderFloorDone, f.reminderFloorMs)} (batch recompute as of the same day) | ${(f.remindersMs / f.reminderFloorMs).toFixed(1)}x |`,
    );
    say(
      `| the same reminder run, worker process killed with SIGKILL after ${seconds(kill.killedAfterMs)} (heartbeated through id ${kill.heartbeatedLastId}, ${kill.remindersAtKill} reminders written) and a new one started | ${seconds(kill.wallMs)} | ${seconds(f.remindersMs)} (uninterrupted) | ${seconds(kill.wallMs - f.remindersMs)} lost to the kill |`,
    );
    say('');
    const exactlyOnce =
      afterKill.rows === expected.keys.size &&
      afterKill.duplicated === 0 &&
      afterKill.missing.length === 0 &&
      afterKill.unexpected.length === 0;
    say(
      `after the kill: ${afterKill.rows} reminder rows for ${expected.keys.size} expected by the pure rules; ${afterKill.duplicated} duplicated, ${afterKill.missing.length} missing, ${afterKill.unexpected.length} unexpected; ${exactlyOnce ? 'every reminder exactly once' : 'NOT EXACTLY ONCE'}`,
    );
    // The workflow's own totals count only what the resumed attempt did, not the killed attempt's
    // committed sub-batches: printed so the difference shows, not taken for the outbox's.
    say(
      `the killed run's workflow result says ${kill.result.checked} people checked and ${kill.result.reminded} reminders (the uninterrupted run: ${f.reminders.checked} and ${f.reminders.reminded})`,
    );
    say(
      `uninterrupted run: ${f.written.rows} rows, ${f.written.duplicated} duplicated, ${f.written.missing.length} missing, ${f.written.unexpected.length} unexpected`,
    );
    if (!exactlyOnce) process.exitCode = 1;
  } finally {
    await temporal.stop();
    if (process.env.BENCH_KEEP) await db.destroy();
    else await database.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
