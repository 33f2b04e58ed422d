/**
 * Emailed one-time links (password reset, address verification) are kept in the outbox only until
 * the email is delivered (issue 16). Over HTTP against the real database and mail path.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { recordOutboxFailure, retryDeadEmail } from '../../db/outbox.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestMail } from '../support/mail.js';
import { aUser, testApp, visitor } from '../support/app.js';
import { until } from '../support/polling.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let smtp: SmtpCapture;
let mail: Awaited<ReturnType<typeof startTestMail>>;
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `mail-links-${randomUUID()}`,
  });
  smtp = await startSmtpCapture();
  mail = await startTestMail(database.db, smtp.smtpUrl);
  app = testApp(database, redis, temporal).app;
});

afterAll(async () => {
  await mail?.close();
  await smtp?.close();
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

const linkToken = (text: string) => /token=([\w-]+)/.exec(text)?.[1] ?? '';
const outboxRow = (to: string, template: string) => database.db('outbox').where({ to_address: to, template }).first();
/** Every column of the row as text, so a token anywhere in it is found. */
const rowText = async (id: number) => JSON.stringify(await database.db('outbox').where({ id }).first());

describe('one-time links in the outbox', () => {
  it('drops a password-reset token from the outbox once the email is delivered, and the delivered link works', async () => {
    const who = await aUser(database.db, ['professional']);
    const me = await visitor(app);
    await me.post('/api/auth/password-reset', { email: who.user.email }).expect(202);
    const waiting = (await until(
      () => outboxRow(who.user.email, 'password_reset'),
      (row) => row !== undefined,
    ))!;
    const token = linkToken(waiting.body_text);
    expect(token.length).toBeGreaterThan(10); // held until it is sent
    expect(waiting.body_html).toContain(token);

    await mail.relay();
    const [message] = await smtp.waitFor(
      (m) => m.to.includes(who.user.email) && m.subject === 'Reset your MOPD password',
    );
    expect(linkToken(message!.text)).toBe(token);
    const sent = (await until(
      () => outboxRow(who.user.email, 'password_reset'),
      (row) => row?.status === 'sent',
    ))!;
    expect(await rowText(sent.id)).not.toContain(token);
    expect(sent.body_text).toMatch(/reset-password\?token=redacted/);
    expect(sent.body_html).toMatch(/reset-password\?token=redacted/);

    await me.post('/api/auth/password-reset/confirm', { token, password: 'a brand new passphrase' }).expect(204);
    expect(
      (await me.post('/api/auth/sign-in', { email: who.user.email, password: 'a brand new passphrase' })).status,
    ).toBe(200);
  });

  it('keeps the link of a dead letter until an admin retry delivers it, then drops it', async () => {
    const who = await aUser(database.db, ['professional']);
    const me = await visitor(app);
    await me.post('/api/auth/password-reset', { email: who.user.email }).expect(202);
    const waiting = (await until(
      () => outboxRow(who.user.email, 'password_reset'),
      (row) => row !== undefined,
    ))!;
    const token = linkToken(waiting.body_text);
    await recordOutboxFailure(database.db, waiting.id, 'Error: 421 try again later', { dead: true });
    expect(await rowText(waiting.id)).toContain(token);

    expect(await retryDeadEmail(database.db, waiting.id)).toMatchObject({ status: 'pending', generation: 1 });
    await mail.relay();
    const [message] = await smtp.waitFor((m) => m.to.includes(who.user.email));
    expect(linkToken(message!.text)).toBe(token);
    await until(
      () => outboxRow(who.user.email, 'password_reset'),
      (row) => row?.status === 'sent',
    );
    expect(await rowText(waiting.id)).not.toContain(token);
    await me.post('/api/auth/password-reset/confirm', { token, password: 'a brand new passphrase' }).expect(204);
  });
});
