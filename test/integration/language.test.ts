/**
 * A person's language: chosen at sign-up or later, carried by the session's principal, and used
 * for every email written to them (through the real outbox, mail queue and SMTP).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestMail } from '../support/mail.js';
import { aUser, signIn, testApp, visitor } from '../support/app.js';
import { outboxTo, signUpAndSignIn } from '../support/signUp.js';
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
    taskQueue: `language-${randomUUID()}`,
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

describe('a person’s language', () => {
  it('is kept from sign-up, and the confirmation email is written in it', async () => {
    const email = `es-${randomUUID().slice(0, 6)}@example.org`;
    const me = await signUpAndSignIn(app, database.db, {
      firstName: 'Lucía',
      lastName: 'Ramos',
      email,
      password: 'a long enough passphrase',
      language: 'es',
    });
    const who = await me.agent.get('/api/auth/me').expect(200);
    expect(who.body.user).toMatchObject({ email, language: 'es' });

    await mail.relay();
    const [message] = await smtp.waitFor((m) => m.to.includes(email));
    expect(message!.subject).toBe('Termine de registrarse en MOPD');
    expect(message!.text).toContain('Estimado/a Lucía Ramos:');
    expect(message!.text).toContain('Confirmar mi correo electrónico: ');
  });

  it('is English unless chosen, changes through PUT /api/me/language, and refuses a language MOPD does not speak', async () => {
    const user = await aUser(database.db, ['professional']);
    const me = await signIn(app, user);
    expect((await me.get('/api/auth/me').expect(200)).body.user.language).toBe('en');

    const unknown = await me.put('/api/me/language', { language: 'fr' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([{ field: 'language', message: 'must be one of en, es' }]);
    expect((await (await visitor(app)).put('/api/me/language', { language: 'es' })).status).toBe(401);

    expect((await me.put('/api/me/language', { language: 'es' }).expect(200)).body).toEqual({ language: 'es' });
    expect((await me.get('/api/auth/me').expect(200)).body.user.language).toBe('es');
    const audit = await database
      .db('audit_log')
      .where({ action: 'user.language_changed', entity_id: String(user.user.id) })
      .first();
    expect(audit).toBeDefined();
  });

  it('writes each person’s password reset in their own language; an email queued before a change keeps its words', async () => {
    const spanish = await aUser(database.db, ['professional']);
    const english = await aUser(database.db, ['professional']);
    await (await signIn(app, spanish)).put('/api/me/language', { language: 'es' }).expect(200);

    const anyone = await visitor(app);
    await anyone.post('/api/auth/password-reset', { email: spanish.user.email }).expect(202);
    await anyone.post('/api/auth/password-reset', { email: english.user.email }).expect(202);
    // The links are written just after the answers.
    const resets = (who: typeof spanish) => outboxTo(database.db, who.user.email, 'password_reset');
    await until(
      async () => [(await resets(spanish)).length, (await resets(english)).length],
      (n) => n.join() === '1,1',
    );
    await mail.relay();
    const [inSpanish] = await smtp.waitFor((m) => m.to.includes(spanish.user.email));
    const [inEnglish] = await smtp.waitFor((m) => m.to.includes(english.user.email));
    expect(inSpanish!.subject).toBe('Restablezca su contraseña de MOPD');
    expect(inSpanish!.text).toContain('El enlace funciona una sola vez, durante una hora.');
    expect(inSpanish!.text).toContain('— MOPD, el sistema de Desarrollo Profesional de Missouri');
    expect(inEnglish!.subject).toBe('Reset your MOPD password');
    expect(inEnglish!.text).toContain('The link works once, for one hour.');

    // Written in English, then the person switches: the row already holds its words and sends as written.
    await anyone.post('/api/auth/password-reset', { email: english.user.email }).expect(202);
    await until(
      () => resets(english),
      (rows) => rows.length === 2,
    );
    await (await signIn(app, english)).put('/api/me/language', { language: 'es' }).expect(200);
    await mail.relay();
    const both = await smtp.waitFor((m) => m.to.includes(english.user.email), 2);
    expect(both.map((m) => m.subject)).toEqual(['Reset your MOPD password', 'Reset your MOPD password']);
  });
});
