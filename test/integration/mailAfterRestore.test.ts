/**
 * Mail after a database restore (issue 16): Redis keeps a week of finished mail jobs, and a
 * restored or recreated database numbers its outbox rows from a lower value again. Real
 * PostgreSQL, Redis (BullMQ, one queue prefix throughout) and the SMTP capture.
 */
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMailer } from '../../services/mail/mailer.js';
import { createMailQueue, mailJobId, type MailJob } from '../../services/mail/queue.js';
import { relayOutboxOnce } from '../../services/mail/relay.js';
import { createRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import type { Db } from '../../db/connection.js';
import { addToOutbox } from '../../db/outbox.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { until } from '../support/polling.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `mopd-test-restore-${randomBytes(4).toString('hex')}`;
let smtp: SmtpCapture;
let queueConnection: Redis;
let queue: Queue<MailJob>;
const databases: TestDatabase[] = [];
const mailers: Array<{ close(): Promise<void> }> = [];

/** The mail process of one database: a mailer on the one queue, as after a restart on the restored database. */
function mailerOn(db: Db) {
  const connection = createRedis(redisUrl);
  const { worker, transport } = startMailer({
    db,
    connection,
    prefix,
    smtpUrl: smtp.smtpUrl,
    from: 'MOPD <no-reply@mopd.test>',
  });
  const mailer = {
    async close() {
      if (!mailers.includes(mailer)) return;
      mailers.splice(mailers.indexOf(mailer), 1);
      await worker.close();
      transport.close();
      await connection.quit();
    },
  };
  mailers.push(mailer);
  return mailer;
}

/** A fresh database whose outbox numbers from `firstId`, as a recreated or restored one does. */
async function databaseNumberingFrom(firstId: number): Promise<TestDatabase> {
  const database = await createTestDatabase();
  databases.push(database);
  await database.db.raw("SELECT setval(pg_get_serial_sequence('outbox', 'id'), ?, false)", [firstId]);
  return database;
}

const anEmail = (key: string, to: string) => ({
  dedupeKey: key,
  template: 'test',
  to,
  subject: `Subject ${key}`,
  text: 'Plain words',
  html: '<p>Plain words</p>',
});
const receivedBy = (to: string) => smtp.messages.filter((m) => m.to.includes(to));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  smtp = await startSmtpCapture();
  queueConnection = createRedis(redisUrl);
  queue = createMailQueue(queueConnection, prefix, { attempts: 3, backoffMs: 200 });
});

// One database at a time has a mailer on the queue, as in production.
afterEach(async () => {
  for (const mailer of [...mailers]) await mailer.close();
});

afterAll(async () => {
  await queue?.obliterate({ force: true });
  await queue?.close();
  await queueConnection?.quit();
  for (const database of databases) await database.drop();
  await smtp?.close();
});

describe('mail after a database restore', () => {
  it('sends every email exactly once after the database is dropped and recreated while Redis keeps its finished jobs', async () => {
    const firstId = 1 + Math.floor(Math.random() * 1_000_000);
    const before = Array.from({ length: 10 }, (_, i) => `before${i}@restore.example.org`);
    const after = Array.from({ length: 10 }, (_, i) => `after${i}@restore.example.org`);

    const first = await databaseNumberingFrom(firstId);
    const firstMailer = mailerOn(first.db);
    for (const [i, to] of before.entries()) await addToOutbox(first.db, anEmail(`restore-before-${i}`, to));
    await relayOutboxOnce(first.db, queue);
    await smtp.waitFor((m) => m.to[0]!.startsWith('before'), before.length, 15_000);
    await until(
      () => first.db('outbox').whereNot({ status: 'sent' }).count<Array<{ n: number }>>({ n: '*' }),
      (r) => Number(r[0]!.n) === 0,
    );
    expect(await queue.getJobCounts('completed')).toEqual({ completed: before.length });

    // The database goes (dropped, restored from an old backup, or recreated); Redis stays.
    await firstMailer.close();
    await first.drop();
    databases.splice(databases.indexOf(first), 1);

    const second = await databaseNumberingFrom(firstId);
    mailerOn(second.db);
    for (const [i, to] of after.entries()) await addToOutbox(second.db, anEmail(`restore-after-${i}`, to));
    const ids = (await second.db('outbox').orderBy('id').pluck('id')).map(Number);
    expect(ids[0]).toBe(firstId); // the same numbers as the first database's emails
    await relayOutboxOnce(second.db, queue);
    await smtp.waitFor((m) => m.to[0]!.startsWith('after'), after.length, 15_000);
    await until(
      () => second.db('outbox').whereNot({ status: 'sent' }).count<Array<{ n: number }>>({ n: '*' }),
      (r) => Number(r[0]!.n) === 0,
    );

    // Give a duplicate every chance to arrive before counting.
    await relayOutboxOnce(second.db, queue, { checkQueuedAfterMs: 0 });
    await pause(1_000);
    for (const to of [...before, ...after]) expect(receivedBy(to), to).toHaveLength(1);
    // Two emails with the same row id are two messages to a receiving server.
    const messageIds = smtp.messages.filter((m) => m.to[0]!.endsWith('@restore.example.org')).map((m) => m.messageId);
    expect(new Set(messageIds).size).toBe(before.length + after.length);
  });

  it('marks a queued email sent, without sending it again, when its finished job says it sent it (a backup taken before it was marked)', async () => {
    const database = await databaseNumberingFrom(1 + Math.floor(Math.random() * 1_000_000));
    mailerOn(database.db);
    await addToOutbox(database.db, anEmail('backup-1', 'backup@restore.example.org'));
    await relayOutboxOnce(database.db, queue);
    await smtp.waitFor((m) => m.to.includes('backup@restore.example.org'));
    const row = (await until(
      () => database.db('outbox').where({ dedupe_key: 'backup-1' }).first(),
      (r) => r?.status === 'sent',
    ))!;

    // The backup holds the row as it was once queued: not yet sent.
    await database
      .db('outbox')
      .where({ id: row.id })
      .update({ status: 'queued', sent_at: null, queued_at: database.db.raw("now() - interval '1 hour'") });
    await relayOutboxOnce(database.db, queue);
    expect(await database.db('outbox').where({ id: row.id }).first()).toMatchObject({
      status: 'sent',
      job_key: row.job_key,
    });
    await pause(1_000);
    expect(receivedBy('backup@restore.example.org')).toHaveLength(1);
  });

  it('queues a queued email again under a new job id when its job finished without sending it (a job of another row)', async () => {
    const database = await databaseNumberingFrom(1 + Math.floor(Math.random() * 1_000_000));
    await addToOutbox(database.db, anEmail('squatted-1', 'squatted@restore.example.org'));
    const row = (await database.db('outbox').where({ dedupe_key: 'squatted-1' }).first())!;
    // A job under this row's id that belongs to another row, finished before this row was relayed.
    await queue.add(
      'test',
      { outboxId: row.id, jobKey: '00000000-0000-4000-8000-000000000000' },
      { jobId: mailJobId(row) },
    );
    mailerOn(database.db);
    await until(
      () => queue.getJobState(mailJobId(row)),
      (state) => state === 'completed',
    );

    await relayOutboxOnce(database.db, queue);
    expect(await database.db('outbox').where({ id: row.id }).first()).toMatchObject({ status: 'queued' });
    await database
      .db('outbox')
      .where({ id: row.id })
      .update({ queued_at: database.db.raw("now() - interval '1 hour'") });
    await relayOutboxOnce(database.db, queue);
    await smtp.waitFor((m) => m.to.includes('squatted@restore.example.org'));
    const sent = (await until(
      () => database.db('outbox').where({ id: row.id }).first(),
      (r) => r?.status === 'sent',
    ))!;
    expect(sent.job_key).not.toBe(row.job_key);
    await relayOutboxOnce(database.db, queue, { checkQueuedAfterMs: 0 });
    await pause(1_000);
    expect(receivedBy('squatted@restore.example.org')).toHaveLength(1);
  });
});
