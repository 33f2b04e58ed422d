/** Accounts over HTTP against the real database and mail path: what a person meets signing up and in. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import request from 'supertest';
import { generate } from 'otplib';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestMail } from '../support/mail.js';
import { aUser, signIn, testApp, visitor, TEST_PASSWORD } from '../support/app.js';
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
    taskQueue: `accounts-${randomUUID()}`,
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

/** The sessions' clock for a test app: the real time plus what the test moved it on, instead of sleeping. */
function movableClock() {
  let ahead = 0;
  return { now: () => Date.now() + ahead, advance: (ms: number) => void (ahead += ms) };
}

const linkToken = (text: string) => /token=([\w-]+)/.exec(text)?.[1] ?? '';

describe('signing up', () => {
  it('gives a new professional an MOPD ID once the emailed link confirms the address, then they sign in', async () => {
    const me = await visitor(app);
    const email = `new-${randomUUID().slice(0, 6)}@example.org`;
    const response = await me.post('/api/auth/sign-up', {
      firstName: 'Maya',
      lastName: 'Lopez',
      email,
      password: 'a long enough passphrase',
    });
    expect(response.status).toBe(202);
    expect(response.body.message).toMatch(/^Check your email/);

    // The link is written just after the answer.
    await until(
      () => database.db('outbox').where({ to_address: email }),
      (rows) => rows.length === 1,
    );
    await mail.relay();
    const [message] = await smtp.waitFor((m) => m.to.includes(email));
    expect(message!.subject).toBe('Finish signing up for MOPD');
    const anon = await visitor(app);
    await anon.post('/api/auth/verify-email', { token: linkToken(message!.text) }).expect(204);
    expect((await database.db('users').whereRaw('lower(email) = ?', [email]).first()).email_verified_at).not.toBeNull();
    // The link works once.
    expect((await anon.post('/api/auth/verify-email', { token: linkToken(message!.text) })).status).toBe(400);
    const signedIn = await me.post('/api/auth/sign-in', { email, password: 'a long enough passphrase' }).expect(200);
    const who = await me.agent.get('/api/auth/me').expect(200);
    expect(who.body.user).toMatchObject({ email, roles: ['professional'] });
    expect(
      (await database.db('professionals').where({ id: signedIn.body.user.professionalId }).first()).mopd_id,
    ).toMatch(/^MO\d{7}$/);
  });

  it('refuses a short password naming the field, and answers a taken email like any other', async () => {
    const me = await visitor(app);
    const short = await me.post('/api/auth/sign-up', {
      firstName: 'A',
      lastName: 'B',
      email: 'short@example.org',
      password: 'elevenchars',
    });
    expect(short.status).toBe(400);
    expect(short.body.error.fields).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
    const existing = await aUser(database.db, ['professional']);
    const taken = await me.post('/api/auth/sign-up', {
      firstName: 'A',
      lastName: 'B',
      email: existing.user.email.toUpperCase(),
      password: 'a long enough passphrase',
    });
    expect(taken.status).toBe(202);
    expect(taken.body.message).toMatch(/^Check your email/);
  });
});

describe('signing in', () => {
  it('says the same for an unknown email and a wrong password', async () => {
    const me = await visitor(app);
    const who = await aUser(database.db, ['professional']);
    const unknown = await me.post('/api/auth/sign-in', { email: 'nobody@example.org', password: 'whatever it is' });
    const wrong = await me.post('/api/auth/sign-in', { email: who.user.email, password: 'not the password' });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('makes an email wait from this address after five wrong passwords, with a clear message, even for the right password', async () => {
    const me = await visitor(app);
    const who = await aUser(database.db, ['professional']);
    for (let i = 0; i < 5; i++)
      expect(
        (await me.post('/api/auth/sign-in', { email: who.user.email, password: `wrong ${i} password` })).status,
      ).toBe(401);
    const locked = await me.post('/api/auth/sign-in', { email: who.user.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(
      /Too many failed sign-ins for this email from here. Try again after .* or reset your password/,
    );
    expect(
      await database.db('audit_log').where({ action: 'user.sign_in_backed_off', entity_id: String(who.user.id) }),
    ).toHaveLength(1);
  });

  it('limits sign-in attempts per address', async () => {
    const limited = testApp(database, redis, temporal, { signInLimit: { windowMs: 60_000, max: 3 } }).app;
    const me = await visitor(limited);
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (await me.post('/api/auth/sign-in', { email: `x${i}@example.org`, password: 'wrong password here' })).status,
      );
    // The store is shared in Redis, so earlier tests' attempts may count too: at least the last ones are refused.
    expect(statuses.at(-1)).toBe(429);
  });

  it('refuses a change without a CSRF token', async () => {
    const admin = await signIn(app, await aUser(database.db, ['admin']));
    const response = await admin.agent.put('/api/admin/settings/inspectors-see-all-facilities').send({ value: true });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(/CSRF/);
  });

  it('rotates the session id on sign-in and ends the session on sign-out', async () => {
    const me = await visitor(app);
    const who = await aUser(database.db, ['professional']);
    const before = (await me.get('/api/auth/csrf')).headers['set-cookie'];
    const cookieOf = (headers: string[] | string | undefined) =>
      [headers ?? []]
        .flat()
        .find((c) => c.startsWith('mopd.sid='))
        ?.split(';')[0];
    const signedIn = await me.post('/api/auth/sign-in', { email: who.user.email, password: TEST_PASSWORD });
    expect(cookieOf(signedIn.headers['set-cookie'])).toBeDefined();
    expect(cookieOf(signedIn.headers['set-cookie'])).not.toBe(cookieOf(before));
    expect(signedIn.headers['set-cookie']!.toString()).toMatch(/HttpOnly/);
    expect(signedIn.headers['set-cookie']!.toString()).toMatch(/SameSite=Lax/);
    const csrf = signedIn.body.csrfToken;
    await me.agent.post('/api/auth/sign-out').set('x-csrf-token', csrf).expect(204);
    expect((await me.get('/api/auth/me')).status).toBe(401);
  });

  it('keeps an active session alive while moving its stored expiry at most once a minute', async () => {
    const clock = movableClock();
    const clocked = testApp(database, redis, temporal, { sessionNow: clock.now }).app;
    const person = await aUser(database.db, ['professional']);
    const who = await signIn(clocked, person);
    const expiry = async () =>
      (
        await database
          .db('session')
          .whereRaw("sess::jsonb ->> 'userId' = ?", [String(person.user.id)])
          .first('expire')
      ).expire.getTime();
    await who.get('/api/auth/me').expect(200);
    const afterFirst = await expiry();
    // The store keeps expiry in whole seconds: reads on both sides of a second boundary.
    for (let i = 0; i < 10; i++) await who.get('/api/auth/me').expect(200);
    clock.advance(1200);
    for (let i = 0; i < 10; i++) await who.get('/api/auth/me').expect(200);
    expect(await expiry()).toBe(afterFirst);
    // A minute on, the next read moves it.
    clock.advance(60_000);
    await who.get('/api/auth/me').expect(200);
    expect(await expiry()).toBeGreaterThan(afterFirst);

    // A short idle limit is touched in proportion (every 100 ms for 3 s): reading keeps it alive.
    const briefClock = movableClock();
    const brief = testApp(database, redis, temporal, {
      sessionTimeouts: { idleMs: 3000, absoluteMs: 60_000 },
      sessionNow: briefClock.now,
    }).app;
    const reader = await signIn(brief, await aUser(database.db, ['professional']));
    for (let i = 0; i < 8; i++) {
      briefClock.advance(500);
      expect((await reader.get('/api/auth/me')).status).toBe(200);
    }
    // A second past the limit, as the store rounds expiry up to whole seconds.
    briefClock.advance(4000);
    expect((await reader.get('/api/auth/me')).status).toBe(401);
  });

  it('ends a session after the idle limit and after the absolute limit', async () => {
    const idleClock = movableClock();
    const idle = testApp(database, redis, temporal, {
      sessionTimeouts: { idleMs: 1500, absoluteMs: 60_000 },
      sessionNow: idleClock.now,
    }).app;
    const who = await signIn(idle, await aUser(database.db, ['professional']));
    expect((await who.get('/api/auth/me')).status).toBe(200);
    idleClock.advance(1000);
    expect((await who.get('/api/auth/me')).status).toBe(200);
    // Past the limit and the second the store rounds expiry up to.
    idleClock.advance(2500);
    const expired = await who.get('/api/auth/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toBe('Sign in to continue');

    const shortClock = movableClock();
    const short = testApp(database, redis, temporal, {
      sessionTimeouts: { idleMs: 60_000, absoluteMs: 1500 },
      sessionNow: shortClock.now,
    }).app;
    const busy = await signIn(short, await aUser(database.db, ['professional']));
    for (let i = 0; i < 3; i++) {
      expect((await busy.get('/api/auth/me')).status).toBe(200);
      shortClock.advance(300);
    }
    expect((await busy.get('/api/auth/me')).status).toBe(200);
    shortClock.advance(800);
    expect((await busy.get('/api/auth/me')).status).toBe(401);
  });
});

describe('two-step sign-in', () => {
  it('makes a reviewer set it up before anything else, then asks for a code at each sign-in', async () => {
    const reviewer = await aUser(database.db, ['reviewer'], { mfa: false });
    const first = await signIn(app, reviewer);
    const blocked = await first.get('/api/professionals');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.message).toMatch(/two-step sign-in/);
    expect((await first.get('/api/auth/me')).body.mfaEnrollmentRequired).toBe(true);

    const setup = await first.post('/api/auth/mfa/setup').expect(200);
    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/MOPD:/);
    expect(setup.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    expect((await first.post('/api/auth/mfa/enable', { code: '000000' })).status).toBe(400);
    const enabled = await first
      .post('/api/auth/mfa/enable', { code: await generate({ secret: setup.body.secret }) })
      .expect(200);
    expect(enabled.body.recoveryCodes).toHaveLength(10);
    expect((await first.get('/api/professionals')).status).toBe(200);

    // Next time: password, then a recovery code (once only).
    const me = await visitor(app);
    const password = await me
      .post('/api/auth/sign-in', { email: reviewer.user.email, password: TEST_PASSWORD })
      .expect(200);
    expect(password.body.status).toBe('mfa_required');
    expect((await me.agent.get('/api/auth/me')).status).toBe(401);
    const recoveryCode = enabled.body.recoveryCodes[0];
    const done = await me.agent
      .post('/api/auth/sign-in/second-factor')
      .set('x-csrf-token', password.body.csrfToken)
      .send({ recoveryCode })
      .expect(200);
    expect(done.body.user.roles).toEqual(['reviewer']);

    const again = await visitor(app);
    const second = await again.post('/api/auth/sign-in', { email: reviewer.user.email, password: TEST_PASSWORD });
    const reused = await again.agent
      .post('/api/auth/sign-in/second-factor')
      .set('x-csrf-token', second.body.csrfToken)
      .send({ recoveryCode });
    expect(reused.status).toBe(401);
    expect(reused.body.error.fields[0].field).toBe('recoveryCode');
  });
});

describe('password reset', () => {
  it('answers the same for any email, and sets a new password through the emailed link once', async () => {
    const who = await aUser(database.db, ['professional']);
    const me = await visitor(app);
    const unknown = await me.post('/api/auth/password-reset', { email: 'nobody-here@example.org' });
    const known = await me.post('/api/auth/password-reset', { email: who.user.email });
    expect([unknown.status, known.status]).toEqual([202, 202]);
    expect(unknown.body).toEqual(known.body);
    // The link is written just after the answer.
    await until(
      () => database.db('outbox').where({ to_address: who.user.email, template: 'password_reset' }),
      (rows) => rows.length === 1,
    );

    await mail.relay();
    const [message] = await smtp.waitFor(
      (m) => m.to.includes(who.user.email) && m.subject === 'Reset your MOPD password',
    );
    const token = linkToken(message!.text);
    await me.post('/api/auth/password-reset/confirm', { token, password: 'a brand new passphrase' }).expect(204);
    expect(
      (await me.post('/api/auth/password-reset/confirm', { token, password: 'another new passphrase' })).status,
    ).toBe(400);
    expect(
      (await me.post('/api/auth/sign-in', { email: who.user.email, password: 'a brand new passphrase' })).status,
    ).toBe(200);
  });
});

describe('the audit log', () => {
  it('records changes with who, before and after, shows them to admins, and cannot be rewritten', async () => {
    const adminUser = await aUser(database.db, ['admin']);
    const admin = await signIn(app, adminUser);
    const target = await aUser(database.db, ['professional']);
    await admin.put(`/api/admin/users/${target.user.id}/roles`, { roles: ['professional', 'trainer'] }).expect(200);
    const log = await admin.get(`/api/admin/audit-log?entity=user&entityId=${target.user.id}`).expect(200);
    expect(log.body.entries[0]).toMatchObject({
      action: 'user.roles_changed',
      before: { roles: ['professional'] },
      after: { roles: ['professional', 'trainer'] },
    });
    expect(log.body.entries[0].actor_email).toBe(adminUser.user.email);
    await expect(database.db('audit_log').update({ action: 'rewritten' })).rejects.toThrow(/append-only/);
    await expect(database.db('audit_log').delete()).rejects.toThrow(/append-only/);
  });
});

describe('uploads', () => {
  it('keeps a PDF outside the web root for its owner only, and refuses other types and oversize files', async () => {
    const owner = await signIn(app, await aUser(database.db, ['professional']));
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF');
    const uploaded = await owner.agent
      .post('/api/uploads')
      .set('x-csrf-token', owner.csrf)
      .field('purpose', 'cpr_card')
      .attach('file', pdf, 'card.pdf');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.upload).toMatchObject({ mediaType: 'application/pdf', purpose: 'cpr_card' });
    const download = await owner.get(`/api/uploads/${uploaded.body.upload.id}`).expect(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment/);
    const stranger = await signIn(app, await aUser(database.db, ['professional']));
    expect((await stranger.get(`/api/uploads/${uploaded.body.upload.id}`)).status).toBe(404);

    const script = await owner.agent
      .post('/api/uploads')
      .set('x-csrf-token', owner.csrf)
      .field('purpose', 'cpr_card')
      .attach('file', Buffer.from('<script>alert(1)</script>'), 'card.pdf');
    expect(script.status).toBe(400);
    expect(script.body.error.fields[0]).toEqual({ field: 'file', message: 'The file must be a PDF, PNG or JPEG' });
    const huge = await owner.agent
      .post('/api/uploads')
      .set('x-csrf-token', owner.csrf)
      .field('purpose', 'cpr_card')
      .attach('file', Buffer.concat([pdf, Buffer.alloc(6 * 1024 * 1024)]), 'big.pdf');
    expect(huge.status).toBe(413);
  });
});

describe('the OpenAPI document', () => {
  it('describes every route with its policy, from the request schemas', async () => {
    const document = (await request(app).get('/api/openapi.json').expect(200)).body;
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/api/professionals/{id}/compliance'].get.description).toMatch(/Who may call it/);
    expect(
      document.paths['/api/employments'].post.requestBody.content['application/json'].schema.properties.hireDate,
    ).toBeDefined();
    expect((await request(app).get('/api/docs/').expect(200)).text).toContain('swagger');
  });
});
