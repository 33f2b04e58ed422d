/**
 * Outages of Redis, the SMTP server and PostgreSQL under a realistic workload, each against
 * services of the scenario's own (test/support/ownServices.ts), with the invariants read
 * afterwards from PostgreSQL, the SMTP capture and Temporal. The short suites in test/integration
 * and the long ones in test/faults run the same scenarios at different sizes.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { pino } from 'pino';
import request from 'supertest';
import { expect } from 'vitest';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import { createActivities } from '../../activities/index.js';
import { outboxMessageId } from '../../services/mail/mailer.js';
import { startOutboxRelay } from '../../services/mail/relay.js';
import { createTemporalGateway, importWorkflowsOverClient } from '../../services/workflowClient.js';
import { createRequestRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createDb, ensureDatabase, migrateLatest, type Db } from '../../db/connection.js';
import { addToOutbox } from '../../db/outbox.js';
import { installShippedRuleSets } from '../../db/ruleSets.js';
import { deadlineStatusQuery, employmentDeadlinesWorkflowId } from '../../workflows/employmentDeadlines.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { aUser, signIn, testApp, TEST_PASSWORD, type TestUser } from './app.js';
import { aProfessional, anOrganization } from './fixtures.js';
import { startTestMail } from './mail.js';
import { until } from './polling.js';
import { startOwnPostgres, startOwnRedis, startSmtpSwitch } from './ownServices.js';
import { workerTracing } from '../../bin/tracing.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Waits, with the polling helper, until `check` holds, and answers how long that took (the scenarios report it). */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  try {
    await until(check, (holds) => holds, timeoutMs, 100);
  } catch (error) {
    throw new Error(`waiting for ${what}: ${(error as Error).message}`, { cause: error });
  }
  return Date.now() - started;
}

/**
 * A second email could only come from a mail job still waiting, delayed or running: once the
 * queue holds none, every job has finished and whatever it sent has arrived. Counting after this
 * proves no duplicate without a fixed wait.
 */
const queueDrained = (queue: Queue) =>
  waitFor(
    'the mail queue to hold no unfinished job',
    async () =>
      Object.values(await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')).every(
        (n) => n === 0,
      ),
    30_000,
  );

/** Answers of the API second by second: what a client saw during the outage. */
export class AnswerLog {
  private readonly started = Date.now();
  readonly answers: Array<{ at: number; status: number; retryAfter: string | null; path: string }> = [];

  record(path: string, status: number, retryAfter: string | null) {
    this.answers.push({ at: Date.now() - this.started, status, retryAfter, path });
  }

  /** Milliseconds since the log started, to mark the outage on the same clock. */
  now() {
    return Date.now() - this.started;
  }

  between(fromMs: number, toMs: number) {
    return this.answers.filter((a) => a.at >= fromMs && a.at < toMs);
  }

  summary() {
    const count = (pick: (s: number) => boolean) => this.answers.filter((a) => pick(a.status)).length;
    return {
      requests: this.answers.length,
      ok: count((s) => s >= 200 && s < 400),
      unavailable503: count((s) => s === 503),
      otherErrors: count((s) => s >= 500 && s !== 503),
      clientErrors: count((s) => s >= 400 && s < 500),
    };
  }

  /** One line per second: second, 2xx, 503, other. */
  perSecond(): string {
    const seconds = new Map<number, { ok: number; unavailable: number; other: number }>();
    for (const a of this.answers) {
      const s = Math.floor(a.at / 1000);
      const row = seconds.get(s) ?? { ok: 0, unavailable: 0, other: 0 };
      if (a.status < 400) row.ok += 1;
      else if (a.status === 503) row.unavailable += 1;
      else row.other += 1;
      seconds.set(s, row);
    }
    return [...seconds.entries()]
      .sort(([a], [b]) => a - b)
      .map(
        ([s, r]) =>
          `  t=${String(s).padStart(3)}s  2xx ${String(r.ok).padStart(3)}  503 ${String(r.unavailable).padStart(3)}  other ${r.other}`,
      )
      .join('\n');
  }
}

/** Keeps a few clients asking until stopped; each call of `ask` is one request whose status is logged. */
function keepAsking(clients: number, ask: (client: number) => Promise<void>): { stop(): Promise<void> } {
  let stopped = false;
  const loops = Array.from({ length: clients }, async (_, client) => {
    while (!stopped) {
      await ask(client).catch(() => undefined);
      await pause(50);
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Every outbox row of the run sent once: by Message-ID in the capture, none left pending, queued or dead. */
async function mailInvariants(db: Db, smtp: SmtpCapture, dedupePrefix: string) {
  const rows: Array<{ id: number; job_key: string; status: string; attempts: number }> = await db('outbox')
    .whereLike('dedupe_key', `${dedupePrefix}%`)
    .select('id', 'job_key', 'status', 'attempts');
  const wanted = new Set(rows.map((r) => outboxMessageId(r)));
  const perMessage = new Map<string, number>();
  for (const m of smtp.messages)
    if (m.messageId && wanted.has(m.messageId)) perMessage.set(m.messageId, (perMessage.get(m.messageId) ?? 0) + 1);
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    rows: rows.length,
    byStatus,
    delivered: perMessage.size,
    duplicates: [...perMessage.values()].reduce((n, c) => n + c - 1, 0),
    missing: [...wanted].filter((id) => !perMessage.has(id)).length,
    failedAttempts: rows.reduce((n, r) => n + r.attempts, 0) - rows.filter((r) => r.status === 'sent').length,
  };
}

const anEmail = (key: string, i: number) => ({
  dedupeKey: key,
  template: 'fault-test',
  to: `person${i}@outage.example.org`,
  subject: `Outage test email ${i}`,
  text: `Email ${i} of the outage test`,
  html: `<p>Email ${i} of the outage test</p>`,
});

/** An HTTP server of the app on a free loopback port. */
async function listen(app: Express): Promise<{ server: http.Server; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RedisOutageOptions {
  emails: number;
  /** Over how long the emails are written (they keep coming before, during and after the outage). */
  writeOverMs: number;
  outageAfterMs: number;
  outageMs: number;
  /** How long a queued row waits before the relay checks that its job still exists. */
  checkQueuedAfterMs: number;
  /** Emails written at once just before Redis dies (a rule change telling many people): their jobs are in Redis, unsent, when it goes. */
  burstBeforeOutage: number;
}

/**
 * Redis is killed while emails are being written and sent and comes back empty: every email is
 * still delivered exactly once (the outbox keeps it; the relay re-queues jobs Redis lost), and the
 * API keeps answering sign-ins (the rate limit store fails open).
 */
export async function redisOutage(options: RedisOutageOptions) {
  const redis = await startOwnRedis();
  const database = await createTestDatabase();
  const smtp = await startSmtpCapture();
  const { db } = database;
  let redisErrors = 0;
  let recovered = { requeued: 0, dead: 0 };
  const mail = await startTestMail(db, smtp.smtpUrl, {
    redisUrl: redis.url,
    retry: { attempts: 8, backoffMs: 500 },
    onError: () => (redisErrors += 1),
  });
  const relay = startOutboxRelay(db, mail.queue, {
    intervalMs: 200,
    checkQueuedAfterMs: options.checkQueuedAfterMs,
    onError: () => undefined,
    onRecovered: (found) =>
      (recovered = { requeued: recovered.requeued + found.requeued, dead: recovered.dead + found.dead }),
  });
  const apiRedis = createRequestRedis(redis.url);
  apiRedis.on('error', () => undefined);
  const temporal = createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'unused' });
  const { app } = testApp(database, apiRedis, temporal, { signInLimit: { windowMs: 60_000, max: 100_000 } });
  const api = await listen(app);
  const people = await Promise.all(Array.from({ length: 4 }, () => aUser(db, ['professional'])));
  const log = new AnswerLog();
  const prefix = `redis-outage-${randomUUID().slice(0, 8)}-`;

  try {
    // Sign-ins: the one request path that uses Redis (its rate limit).
    const traffic = keepAsking(4, async (client) => {
      const agent = request.agent(api.server);
      const csrf = await agent.get('/api/auth/csrf');
      log.record('/api/auth/csrf', csrf.status, csrf.headers['retry-after'] ?? null);
      if (csrf.status !== 200) return;
      const res = await agent
        .post('/api/auth/sign-in')
        .set('x-csrf-token', csrf.body.csrfToken)
        .send({ email: people[client]!.user.email, password: TEST_PASSWORD });
      log.record('/api/auth/sign-in', res.status, res.headers['retry-after'] ?? null);
    });
    const writing = (async () => {
      const every = options.writeOverMs / options.emails;
      for (let i = 0; i < options.emails; i++) {
        await addToOutbox(db, anEmail(`${prefix}${i}`, i));
        await pause(every);
      }
    })();

    await pause(options.outageAfterMs);
    for (let i = 0; i < options.burstBeforeOutage; i++)
      await addToOutbox(db, anEmail(`${prefix}burst-${i}`, 10_000 + i));
    const queuedOf = async () =>
      Number(
        (
          await db('outbox')
            .whereLike('dedupe_key', `${prefix}%`)
            .where({ status: 'queued' })
            .count<Array<{ n: number }>>('* as n')
        )[0]!.n,
      );
    if (options.burstBeforeOutage > 0)
      await waitFor('the burst to be queued', async () => (await queuedOf()) > 0, 10_000);
    const sentBefore = (await mailInvariants(db, smtp, prefix)).delivered;
    const queuedAtKill = await queuedOf();
    const outageStart = log.now();
    await redis.stop();
    say(
      `redis outage: killed Redis at ${(outageStart / 1000).toFixed(1)} s (${sentBefore} emails sent by then, ${queuedAtKill} in the queue)`,
    );
    await pause(options.outageMs);
    const sentDuring = (await mailInvariants(db, smtp, prefix)).delivered - sentBefore;
    await redis.start();
    const outageEnd = log.now();
    const backlogAtReturn = Number(
      (
        await db('outbox')
          .whereLike('dedupe_key', `${prefix}%`)
          .whereNot({ status: 'sent' })
          .count<Array<{ n: number }>>('* as n')
      )[0]!.n,
    );
    say(
      `redis outage: Redis back (empty) at ${(outageEnd / 1000).toFixed(1)} s; ${backlogAtReturn} emails written but not sent`,
    );
    await writing;
    await waitFor(
      'every email sent',
      async () =>
        (
          await db('outbox')
            .whereLike('dedupe_key', `${prefix}%`)
            .whereNot({ status: 'sent' })
            .count<Array<{ n: number }>>('* as n')
        )[0]!.n === 0,
      options.checkQueuedAfterMs + 120_000,
    );
    const allSentAt = log.now();
    await traffic.stop();
    await queueDrained(mail.queue);

    const mailCheck = await mailInvariants(db, smtp, prefix);
    const during = log.between(outageStart, outageEnd);
    const report = {
      emails: options.emails + options.burstBeforeOutage,
      outageMs: options.outageMs,
      queuedInRedisAtKill: queuedAtKill,
      sentDuringOutage: sentDuring,
      backlogAtReturn,
      requeuedByRelay: recovered.requeued,
      ...mailCheck,
      api: log.summary(),
      apiDuringOutage: {
        requests: during.length,
        ok: during.filter((a) => a.status < 400).length,
        errors: during.filter((a) => a.status >= 500).length,
      },
      secondsFromReturnToAllSent: +((allSentAt - outageEnd) / 1000).toFixed(1),
      redisErrorsSeen: redisErrors,
    };
    say(
      `redis outage report: ${JSON.stringify(report, null, 2)}\nAPI answers per second (outage ${(outageStart / 1000).toFixed(1)}–${(outageEnd / 1000).toFixed(1)} s):\n${log.perSecond()}`,
    );

    expect(mailCheck.rows).toBe(report.emails);
    expect(mailCheck.byStatus).toEqual({ sent: report.emails });
    expect(mailCheck.delivered).toBe(report.emails);
    // Jobs that were waiting in the Redis that died were found missing and queued again.
    if (queuedAtKill > 4) expect(report.requeuedByRelay).toBeGreaterThan(0);
    expect(mailCheck.duplicates).toBe(0);
    expect(mailCheck.missing).toBe(0);
    expect(report.api.otherErrors).toBe(0);
    expect(report.apiDuringOutage.requests).toBeGreaterThan(0);
    expect(report.apiDuringOutage.errors).toBe(0);
    return report;
  } finally {
    await api.close();
    await relay.stop();
    await mail.close().catch(() => undefined);
    apiRedis.disconnect();
    await temporal.close();
    await smtp.close();
    await database.drop();
    await redis.close();
  }
}

export interface SmtpOutageOptions {
  emails: number;
  /** The SMTP server answers 421 for this long, then cuts connections for `dropMs`, then recovers. */
  refuseMs: number;
  dropMs: number;
  retry: { attempts: number; backoffMs: number };
  /** Also make a few emails dead letters (the server refuses until the attempts run out) and retry one as an admin. */
  deadLetters: number;
}

/**
 * The SMTP server refuses (421) and then drops connections for a while: mail is retried with
 * back-off and delivered once after it recovers. Then a few emails meet a server that keeps
 * refusing: they become dead letters an admin sees and retries, and the retried one is delivered once.
 */
export async function smtpOutage(options: SmtpOutageOptions) {
  const database = await createTestDatabase();
  const { db } = database;
  const smtp = await startSmtpCapture();
  const smtpSwitch = await startSmtpSwitch(smtp);
  const mail = await startTestMail(db, smtpSwitch.smtpUrl, { retry: options.retry });
  const relay = startOutboxRelay(db, mail.queue, { intervalMs: 200, onError: () => undefined });
  const apiRedis = createRequestRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  apiRedis.on('error', () => undefined);
  const temporal = createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue: 'unused' });
  const { app } = testApp(database, apiRedis, temporal);
  const prefix = `smtp-outage-${randomUUID().slice(0, 8)}-`;
  try {
    smtpSwitch.mode = 'refuse';
    const started = Date.now();
    for (let i = 0; i < options.emails; i++) await addToOutbox(db, anEmail(`${prefix}${i}`, i));
    await pause(options.refuseMs);
    const refusedFor = Date.now() - started;
    smtpSwitch.mode = 'drop';
    await pause(options.dropMs);
    smtpSwitch.mode = 'pass';
    const recoveredAt = Date.now();
    const turnedAway = smtpSwitch.turnedAway;
    say(
      `smtp outage: refused ${Math.round(refusedFor / 1000)} s and dropped ${Math.round(options.dropMs / 1000)} s: ${turnedAway} connections turned away`,
    );
    const sentBeforeRecovery = (await mailInvariants(db, smtp, prefix)).delivered;
    const recoveryMs = await waitFor(
      'every email sent after the SMTP server recovered',
      async () =>
        (
          await db('outbox')
            .whereLike('dedupe_key', `${prefix}%`)
            .whereNot({ status: 'sent' })
            .count<Array<{ n: number }>>('* as n')
        )[0]!.n === 0,
      options.retry.backoffMs * 2 ** options.retry.attempts + 60_000,
    );
    await queueDrained(mail.queue);
    const mailCheck = await mailInvariants(db, smtp, prefix);
    const report: Record<string, unknown> = {
      emails: options.emails,
      refusedMs: refusedFor,
      droppedMs: options.dropMs,
      connectionsTurnedAway: turnedAway,
      sentBeforeRecovery,
      secondsToDeliverAfterRecovery: +((Date.now() - recoveredAt - 2_000) / 1000).toFixed(1),
      recoveryMs,
      ...mailCheck,
    };
    expect(sentBeforeRecovery).toBe(0);
    expect(mailCheck.byStatus).toEqual({ sent: options.emails });
    expect(mailCheck.delivered).toBe(options.emails);
    expect(mailCheck.duplicates).toBe(0);
    // Each email was tried while the server refused, and the tries are on record.
    expect(mailCheck.failedAttempts).toBeGreaterThanOrEqual(options.emails);

    if (options.deadLetters > 0) {
      const deadPrefix = `${prefix}dead-`;
      smtpSwitch.mode = 'refuse';
      for (let i = 0; i < options.deadLetters; i++) await addToOutbox(db, anEmail(`${deadPrefix}${i}`, 1000 + i));
      const deadMs = await waitFor(
        'the emails to become dead letters',
        async () =>
          (
            await db('outbox')
              .whereLike('dedupe_key', `${deadPrefix}%`)
              .where({ status: 'dead' })
              .count<Array<{ n: number }>>('* as n')
          )[0]!.n === options.deadLetters,
        options.retry.backoffMs * 2 ** options.retry.attempts + 60_000,
      );
      const dead = await db('outbox').whereLike('dedupe_key', `${deadPrefix}%`).orderBy('id');
      for (const row of dead) {
        expect(row).toMatchObject({ status: 'dead', attempts: options.retry.attempts });
        expect(row.last_error).toMatch(/421/);
        expect(row.dead_at).not.toBeNull();
      }

      // An admin sees them and retries the first, after the server is back.
      const admin = await signIn(app, await aUser(db, ['admin']));
      const listed = await admin.get('/api/admin/outbox?status=dead').expect(200);
      expect(listed.body.counts.dead).toBe(options.deadLetters);
      expect(listed.body.emails.map((e: { id: number }) => e.id).sort()).toEqual(dead.map((r) => r.id).sort());
      expect(listed.body.emails[0]).toMatchObject({ status: 'dead', attempts: options.retry.attempts });
      const professional = await signIn(app, await aUser(db, ['professional']));
      await professional.get('/api/admin/outbox?status=dead').expect(403);
      await admin.get('/api/admin/outbox?status=lost').expect(400);

      smtpSwitch.mode = 'pass';
      const first = dead[0]!;
      const retried = await admin.post(`/api/admin/outbox/${first.id}/retry`).expect(200);
      expect(retried.body.email).toMatchObject({ id: first.id, status: 'pending', generation: 1 });
      await admin.post(`/api/admin/outbox/${first.id}/retry`).expect(409);
      await admin.post('/api/admin/outbox/999999999/retry').expect(404);
      await smtp.waitFor((m) => m.messageId === outboxMessageId(first), 1, 30_000);
      await waitFor(
        'the retried email to be marked sent',
        async () => (await db('outbox').where({ id: first.id }).first())?.status === 'sent',
        10_000,
      );
      await queueDrained(mail.queue);
      expect(smtp.messages.filter((m) => m.messageId === outboxMessageId(first))).toHaveLength(1);
      expect(
        await db('outbox').whereLike('dedupe_key', `${deadPrefix}%`).where({ status: 'dead' }).count('* as n'),
      ).toEqual([{ n: options.deadLetters - 1 }]);
      const audited = await db('audit_log').where({
        action: 'outbox.retried',
        entity: 'outbox',
        entity_id: String(first.id),
      });
      expect(audited).toHaveLength(1);
      expect(audited[0].after).toMatchObject({ status: 'pending', generation: 1 });
      Object.assign(report, {
        deadLetters: options.deadLetters,
        secondsUntilDead: +(deadMs / 1000).toFixed(1),
        retriedByAdminAndDelivered: 1,
      });
    }
    say(`smtp outage report: ${JSON.stringify(report, null, 2)}`);
    return report;
  } finally {
    await relay.stop();
    await mail.close().catch(() => undefined);
    await smtpSwitch.close();
    await smtp.close();
    apiRedis.disconnect();
    await temporal.close();
    await database.drop();
  }
}

export interface PostgresOutageOptions {
  temporalAddress: string;
  workflowBundlePath: string;
  /** Hires whose deadline workflows are started just before PostgreSQL goes down. */
  workflows: number;
  /** Hires posted through the API by a client that keeps going through the outage. */
  apiHires: number;
  outageAfterMs: number;
  outageMs: number;
}

/**
 * PostgreSQL is stopped (fast shutdown: sessions ended) under API traffic and running workflows,
 * then started again: the API answers 503 with Retry-After while it is down and recovers by
 * itself; every workflow's activities retry and finish; nothing is half-written.
 */
export async function postgresOutage(options: PostgresOutageOptions) {
  const pg = await startOwnPostgres();
  const url = pg.url('mopd');
  await ensureDatabase(url);
  const db = createDb(url, { max: 10 });
  await migrateLatest(db);
  await installShippedRuleSets(db);
  // A fresh cluster numbers employments from 1, and a deadline workflow's id is its employment's:
  // on the Temporal server the other suites share, employment-deadlines-1 may already be running.
  await db.raw(`SELECT setval('employments_id_seq', ?)`, [1_000_000_000 + Math.floor(Math.random() * 1_000_000_000)]);
  const database: TestDatabase = { db, url, drop: async () => db.destroy() };
  const taskQueue = `postgres-outage-${randomUUID()}`;
  const workerDb = createDb(url, { max: 5 });
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const worker = await Worker.create({
    // The bundle's OpenTelemetry workflow interceptors send their spans to this sink (dropped: no tracing here).
    ...workerTracing(undefined),
    connection,
    taskQueue,
    workflowBundle: { codePath: options.workflowBundlePath },
    activities: createActivities({
      db: workerDb,
      publicUrl: 'http://mopd.test',
      importWorkflows: importWorkflowsOverClient,
    }),
  });
  const running = worker.run();
  const clientConnection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection: clientConnection });
  const apiRedis = createRequestRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  apiRedis.on('error', () => undefined);
  const temporal = createTemporalGateway({ address: options.temporalAddress, namespace: 'default', taskQueue });
  const { app } = testApp(database, apiRedis, temporal, { logger: pino({ level: 'silent' }) });
  const api = await listen(app);
  const log = new AnswerLog();

  try {
    // Programs serving infants give a new hire one safe-sleep deadline; the others none.
    const infants = await anOrganization(db, { licensed: true, serves_infants: true });
    const noInfants = await anOrganization(db, { licensed: true, serves_infants: false });
    const hires = [];
    for (let i = 0; i < options.workflows; i++) {
      const person = await aProfessional(db, { firstName: `Worker${i}` });
      const organization = i % 2 === 0 ? infants : noInfants;
      const [employment] = await db('employments')
        .insert({
          professional_id: person.id,
          organization_id: organization.id,
          role: 'teacher',
          hire_date: new Date().toISOString().slice(0, 10),
        })
        .returning('*');
      hires.push({ employment, servesInfants: organization === infants });
    }
    const apiPeople = await Promise.all(
      Array.from({ length: options.apiHires }, (_, i) => aProfessional(db, { firstName: `Api${i}` })),
    );
    const admin: TestUser = await aUser(db, ['admin']);
    const session = await signIn(api.server, admin);

    // Readers: health, a public page from the database, a signed-in page (session in PostgreSQL).
    const readers = keepAsking(3, async (n) => {
      const path = ['/health', '/api/catalog', '/api/admin/users'][n]!;
      const res = await session.agent.get(path);
      log.record(path, res.status, res.headers['retry-after'] ?? null);
    });
    // A writer posting hires one after another, each once: a 503 is not retried, so afterwards
    // each person has an employment exactly when the API said 201.
    const apiAnswers = new Map<number, number>();
    const writer = (async () => {
      for (const person of apiPeople) {
        const res = await session.post('/api/employments', {
          professionalId: person.id,
          organizationId: noInfants.id,
          role: 'teacher',
          hireDate: new Date().toISOString().slice(0, 10),
        });
        log.record('/api/employments', res.status, res.headers['retry-after'] ?? null);
        apiAnswers.set(person.id, res.status);
        await pause((options.outageAfterMs + options.outageMs * 2) / options.apiHires);
      }
    })();

    const follow = (employmentId: number) =>
      client.workflow.start('employmentDeadlines', {
        taskQueue,
        workflowId: employmentDeadlinesWorkflowId(employmentId),
        args: [{ employmentId }],
      });
    await pause(options.outageAfterMs);
    // Half the workflows start just before PostgreSQL goes down, half while it is down (their
    // first activity attempt cannot reach it).
    const half = Math.floor(hires.length / 2);
    for (const { employment } of hires.slice(0, half)) await follow(employment.id);
    const outageStart = log.now();
    await pg.stop();
    say(`postgres outage: stopped PostgreSQL at ${(outageStart / 1000).toFixed(1)} s`);
    for (const { employment } of hires.slice(half)) await follow(employment.id);
    await pause(Math.max(0, options.outageMs - (log.now() - outageStart)));
    await pg.start();
    const outageEnd = log.now();
    say(`postgres outage: PostgreSQL back at ${(outageEnd / 1000).toFixed(1)} s`);
    const firstOkAfter = await waitFor(
      'the API to answer from the database again',
      async () => log.answers.some((a) => a.at > outageEnd && a.path !== '/health' && a.status === 200),
      60_000,
    );
    await writer;
    await readers.stop();

    // Every workflow finished its activity: no deadline for hires at programs without infants
    // (workflow completed), one open deadline for the others (workflow waiting on its timer).
    const workflowsStarted = Date.now();
    for (const { employment, servesInfants } of hires) {
      const handle = client.workflow.getHandle(employmentDeadlinesWorkflowId(employment.id));
      if (servesInfants) {
        await waitFor(
          `workflow ${employment.id} to open its deadline`,
          async () => Object.keys(await handle.query(deadlineStatusQuery)).length > 0,
          120_000,
        );
        expect(await handle.query(deadlineStatusQuery)).toEqual({ 'infant-safe-sleep': 'open' });
      } else {
        expect(await handle.result()).toEqual({});
      }
    }
    const workflowsDoneAfterMs = Date.now() - workflowsStarted;
    // How often each workflow's activity ran: more than once is a retry across the outage.
    let retriedActivities = 0;
    for (const { employment } of hires) {
      const history = await client.workflow.getHandle(employmentDeadlinesWorkflowId(employment.id)).fetchHistory();
      const attempts = (history.events ?? []).map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
      if (Math.max(0, ...attempts) > 1) retriedActivities += 1;
    }
    const deadlines = await db('deadlines')
      .whereIn(
        'employment_id',
        hires.map((h) => h.employment.id),
      )
      .select('employment_id', 'status');
    expect(deadlines).toHaveLength(hires.filter((h) => h.servesInfants).length);
    expect(new Set(deadlines.map((d) => d.employment_id)).size).toBe(deadlines.length);

    // Nothing half-written by the API: an employment exactly for each 201.
    const created = new Set(
      (
        await db('employments')
          .whereIn(
            'professional_id',
            apiPeople.map((p) => p.id),
          )
          .select('professional_id')
      ).map((r) => r.professional_id),
    );
    const answered201 = [...apiAnswers.entries()].filter(([, s]) => s === 201).map(([id]) => id);
    expect([...created].sort()).toEqual(answered201.sort());
    const apiWorkflowsDone = [];
    for (const id of answered201) {
      const employment = await db('employments').where({ professional_id: id }).first();
      apiWorkflowsDone.push(await client.workflow.getHandle(employmentDeadlinesWorkflowId(employment.id)).result());
    }
    expect(apiWorkflowsDone.every((r) => JSON.stringify(r) === '{}')).toBe(true);

    const during = log.between(outageStart, outageEnd);
    const unavailable = log.answers.filter((a) => a.status === 503);
    const report = {
      outageMs: options.outageMs,
      workflowsAcrossOutage: options.workflows,
      deadlinesOpened: deadlines.length,
      workflowsWhoseActivityRetried: retriedActivities,
      apiHiresPosted: apiAnswers.size,
      apiHires201: answered201.length,
      apiHires503: [...apiAnswers.values()].filter((s) => s === 503).length,
      api: log.summary(),
      duringOutage: {
        requests: during.length,
        unavailable503: during.filter((a) => a.status === 503).length,
        ok: during.filter((a) => a.status < 400).length,
      },
      secondsToRecoverAfterStart: +(firstOkAfter / 1000).toFixed(1),
      secondsForWorkflowsToFinishAfterTraffic: +(workflowsDoneAfterMs / 1000).toFixed(1),
    };
    say(
      `postgres outage report: ${JSON.stringify(report, null, 2)}\nAPI answers per second (outage ${(outageStart / 1000).toFixed(1)}–${(outageEnd / 1000).toFixed(1)} s):\n${log.perSecond()}`,
    );

    expect(report.api.otherErrors).toBe(0);
    expect(report.duringOutage.unavailable503).toBeGreaterThan(0);
    expect(unavailable.every((a) => a.retryAfter === '5')).toBe(true);
    expect(report.apiHires201).toBeGreaterThan(0);
    expect(retriedActivities).toBeGreaterThanOrEqual(hires.length - half);
    return report;
  } finally {
    await api.close();
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await clientConnection.close();
    await temporal.close();
    apiRedis.disconnect();
    await workerDb.destroy();
    await db.destroy();
    await pg.close();
  }
}
