/**
 * SIGTERM, as an orchestrator sends it before replacing a process, to the real entry points run as
 * child processes against real PostgreSQL, Redis, Temporal and an SMTP server:
 * - the API stops taking connections at once, lets a request in flight finish with 200, then exits 0;
 * - a worker stops polling, lets the activity it is running finish and report back (it is not run
 *   again by the other worker), then exits 0;
 * - the mailer finishes sending the email in hand (it arrives once, and is not sent again by the
 *   next mailer), then exits 0.
 * A request, an activity and an email are held in flight by a lock (a PostgreSQL table lock, an
 * SMTP server that has not yet answered the message) released only once the process is shutting down.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../bin/tools.js';
import { createRedis } from '../../bin/runtime.js';
import { addToOutbox } from '../../db/outbox.js';
import { createMailQueue } from '../../services/mail/queue.js';
import { outboxMessageId } from '../../services/mail/mailer.js';
import { createTemporalGateway } from '../../services/workflowClient.js';
import { employmentDeadlinesWorkflowId } from '../../workflows/employmentDeadlines.js';
import { addDays, localDateOf } from '../../rules/dates.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, TEST_PASSWORD } from '../support/app.js';
import { until } from '../support/polling.js';
import {
  processEnvironment,
  startApiProcess,
  startAppProcess,
  startMailerProcess,
  type AppProcess,
  type ProcessServices,
} from '../support/appProcesses.js';

let database: TestDatabase;
let services: ProcessServices;
const started: AppProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  services = {
    databaseUrl: database.url,
    temporalAddress: inject('temporalAddress'),
    taskQueue: `graceful-shutdown-${randomBytes(4).toString('hex')}`,
    mailQueuePrefix: `mopd-test-${randomBytes(4).toString('hex')}`,
  };
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop('SIGKILL')));
  await database?.drop();
});

const track = (p: AppProcess) => (started.push(p), p);

/** Statements of this test's database waiting for a lock. */
const waitingOnLocks = async () =>
  Number(
    (
      await database.db.raw(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    ).rows[0].n,
  );

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });

describe('SIGTERM to an API process', () => {
  it('refuses new connections, lets the request in flight finish with 200, and exits 0', async () => {
    const port = await freePort();
    const api = track(await startApiProcess(services, port));
    // Through a proxy in production: a client address of this test's own for the sign-in limit.
    const from = `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
    const agent = request.agent(`http://127.0.0.1:${port}`);
    const { csrfToken } = (await agent.get('/api/auth/csrf').set('x-forwarded-for', from).expect(200)).body as {
      csrfToken: string;
    };
    const who = await aUser(database.db, ['professional']);
    const signedIn = await agent
      .post('/api/auth/sign-in')
      .set('x-forwarded-for', from)
      .set('x-csrf-token', csrfToken)
      .send({ email: who.user.email, password: TEST_PASSWORD });
    expect(signedIn.status).toBe(200);

    // The next request reads the session and the user: held in flight behind a table lock.
    const lock = await database.db.transaction();
    try {
      await lock.raw('LOCK TABLE session, users IN ACCESS EXCLUSIVE MODE');
      const inFlight = agent
        .get('/api/auth/me')
        .set('x-forwarded-for', from)
        .then((answer) => answer);
      await until(waitingOnLocks, (n) => n > 0, 20_000);

      api.child.kill('SIGTERM');
      await api.waitForOutput(/shutting down/, 20_000);
      // No new connection is taken while the request in flight is still being answered.
      await until(
        () => accepts(port),
        (open) => !open,
        10_000,
      );
      expect(api.child.exitCode).toBeNull();
      expect(await waitingOnLocks()).toBeGreaterThan(0);

      await lock.commit();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).toContain(who.user.email);
    } finally {
      if (!lock.isCompleted()) await lock.rollback();
    }
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output()).toMatch(/no request in flight/);
  });
});

describe('SIGTERM to a worker', () => {
  it('lets the activity it is running finish and report back, not run again by the other worker', async () => {
    const { db } = database;
    const [organization] = await db('organizations')
      .insert({
        name: 'Shutdown Infant Center',
        licensed: true,
        subsidized: false,
        serves_infants: true,
        county: 'Boone',
      })
      .returning('id');
    const [person] = await db('professionals')
      .insert({ mopd_id: 'MO7990001', first_name: 'Drain', last_name: 'Hire', email: 'drain.hire@example.org' })
      .returning('id');
    const [employment] = await db('employments')
      .insert({
        professional_id: (person as { id: number }).id,
        organization_id: (organization as { id: number }).id,
        role: 'teacher',
        hire_date: addDays(localDateOf(new Date()), -10),
      })
      .returning('id');
    const employmentId = Number((employment as { id: number }).id);

    const workerEnv = processEnvironment(services, {
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      WORKER_SHUTDOWN_GRACE_SECONDS: '60',
    });
    const first = track(startAppProcess('worker', workerEnv));
    await first.waitForOutput(/state: 'RUNNING'/);

    const gateway = createTemporalGateway({
      address: services.temporalAddress,
      namespace: 'default',
      taskQueue: services.taskQueue,
    });
    const connection = await Connection.connect({ address: services.temporalAddress });
    const client = new Client({ connection });
    const lock = await db.transaction();
    try {
      // The activity that plans the hire's deadlines writes them: held behind a lock on the table.
      await lock.raw('LOCK TABLE deadlines IN ACCESS EXCLUSIVE MODE');
      await gateway.startEmploymentDeadlines(employmentId);
      await until(waitingOnLocks, (n) => n > 0, 30_000);

      const second = track(startAppProcess('worker', workerEnv));
      await second.waitForOutput(/state: 'RUNNING'/);
      first.child.kill('SIGTERM');
      await first.waitForOutput(/state: '(STOPPING|DRAINING)'/, 20_000);
      expect(first.child.exitCode).toBeNull();

      await lock.commit();
      expect(await first.exited).toEqual({ code: 0, signal: null });

      const handle = client.workflow.getHandle(employmentDeadlinesWorkflowId(employmentId));
      const history = await until(
        () => handle.fetchHistory(),
        (h) => (h.events ?? []).some((e) => e.activityTaskCompletedEventAttributes),
        30_000,
        250,
      );
      const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
      expect(started).toHaveLength(1);
      expect(started[0]!.activityTaskStartedEventAttributes!.attempt).toBe(1);
      expect(started[0]!.activityTaskStartedEventAttributes!.identity).toMatch(new RegExp(`^${first.child.pid}@`));
      expect(
        (history.events ?? []).filter(
          (e) => e.activityTaskFailedEventAttributes || e.activityTaskTimedOutEventAttributes,
        ),
      ).toEqual([]);
      const [deadlines] = await db('deadlines').where({ employment_id: employmentId }).count({ n: '*' });
      expect(Number(deadlines!.n)).toBe(1);
      // The other worker carries on with the workflow: it now waits on the deadline's timers.
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(await second.stop()).toEqual({ code: 0, signal: null });
    } finally {
      if (!lock.isCompleted()) await lock.rollback();
      await gateway.close();
      await connection.close();
    }
  });
});

describe('SIGTERM to the mailer', () => {
  it('finishes sending the email in hand: it arrives once and is not sent again', async () => {
    // An SMTP server that keeps the mailer waiting for its answer to a message until told to go on.
    const received: string[] = [];
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          void released.then(() => callback());
        });
      },
    });
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', () => resolve()));
    const mailServices = { ...services, smtpUrl: `smtp://127.0.0.1:${smtpPort}` };
    const email = (key: string) => ({
      dedupeKey: key,
      template: 'test',
      to: `${key}@example.org`,
      subject: `Subject ${key}`,
      text: 'Plain words',
      html: '<p>Plain words</p>',
    });
    try {
      const first = track(await startMailerProcess(mailServices));
      await addToOutbox(database.db, email('in-hand'));
      await until(
        async () => received.length,
        (n) => n === 1,
        30_000,
      );

      first.child.kill('SIGTERM');
      await first.waitForOutput(/shutting down/, 20_000);
      expect(first.child.exitCode).toBeNull();
      release();
      expect(await first.exited).toEqual({ code: 0, signal: null });
      const row = (await database.db('outbox').where({ dedupe_key: 'in-hand' }).first())!;
      expect(row.status).toBe('sent');

      // The next mailer sends what comes after, and not the email already sent.
      const next = track(await startMailerProcess(mailServices));
      await addToOutbox(database.db, email('after'));
      await until(
        async () => received.length,
        (n) => n >= 2,
        30_000,
      );
      const after = (await database.db('outbox').where({ dedupe_key: 'after' }).first())!;
      await until(
        async () => (await database.db('outbox').where({ id: after.id }).first())!.status,
        (status) => status === 'sent',
        30_000,
      );
      expect(await next.stop()).toEqual({ code: 0, signal: null });
      expect(received.filter((m) => m.includes(outboxMessageId(row)))).toHaveLength(1);
      expect(received.filter((m) => m.includes(outboxMessageId(after)))).toHaveLength(1);
      expect(received).toHaveLength(2);
    } finally {
      release();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      const queue = createMailQueue(redis, services.mailQueuePrefix!);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await redis.quit();
    }
  });
});
