/**
 * Sign-in and email a stranger can trigger (issue 16), over HTTP against the real app, PostgreSQL
 * and Redis: guessing a second factor, locking people out, learning who has an account, flooding
 * an inbox, buying a new budget with X-Forwarded-For, and filling the session table.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import request from 'supertest';
import { generate } from 'otplib';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { loadConfig } from '../../bin/config.js';
import { sha256 } from '../../api/auth/crypto.js';
import { createProfessional } from '../../db/professionals.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, testApp, visitor, TEST_PASSWORD, type TestUser } from '../support/app.js';
import { until } from '../support/polling.js';
import { outboxTo, signUpToken } from '../support/signUp.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
/** The app behind a proxy on loopback (TRUST_PROXY=loopback): X-Forwarded-For names the client. */
let proxied: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `sign-in-abuse-${randomUUID()}`,
  });
  app = testApp(database, redis, temporal).app;
  proxied = testApp(database, redis, temporal, { trustProxy: ['loopback'] }).app;
});

afterAll(async () => {
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

/** A client address of its own for each use, so limits kept in Redis by earlier runs do not count. */
const anAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const anEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.org`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A visitor behind the trusted proxy, coming from `address`. */
async function from(target: Express, address: string) {
  const agent = request.agent(target);
  const { csrfToken } = (await agent.get('/api/auth/csrf').set('x-forwarded-for', address).expect(200)).body as {
    csrfToken: string;
  };
  return {
    agent,
    csrf: csrfToken,
    post: (url: string, body: object = {}, csrf = csrfToken) =>
      agent.post(url).set('x-forwarded-for', address).set('x-csrf-token', csrf).send(body),
  };
}

/** A code the authenticator does not show now (nor in the steps either side). */
async function aWrongCode(who: TestUser): Promise<string> {
  const now = await generate({ secret: who.mfaSecret! });
  return String((Number(now) + 500_000) % 1_000_000).padStart(6, '0');
}

describe('the second factor', () => {
  it('discards a pending sign-in after five wrong codes, so the next guess needs the password again', async () => {
    const who = await aUser(database.db, ['reviewer'], { mfa: true });
    const me = await from(proxied, anAddress());
    const password = await me.post('/api/auth/sign-in', { email: who.user.email, password: TEST_PASSWORD }).expect(200);
    expect(password.body.status).toBe('mfa_required');
    const answers = [];
    for (let i = 0; i < 5; i++)
      answers.push(
        await me.post('/api/auth/sign-in/second-factor', { code: await aWrongCode(who) }, password.body.csrfToken),
      );
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.at(-1)!.body.error.message).toBe('Too many wrong codes: sign in with your password again');
    // Even the right code does not finish this sign-in now.
    const fresh = (await me.agent.get('/api/auth/csrf').expect(200)).body.csrfToken as string;
    const right = await me.post(
      '/api/auth/sign-in/second-factor',
      { code: await generate({ secret: who.mfaSecret! }) },
      fresh,
    );
    expect(right.status).toBe(401);
    expect(right.body.error.message).toBe('Sign in with your password first');
  });

  it('makes an account wait after five wrong codes in a row, over several sign-ins and addresses', async () => {
    const who = await aUser(database.db, ['reviewer'], { mfa: true });
    const tryCodes = async (codes: number) => {
      const me = await from(proxied, anAddress());
      const password = await me
        .post('/api/auth/sign-in', { email: who.user.email, password: TEST_PASSWORD })
        .expect(200);
      const statuses = [];
      for (let i = 0; i < codes; i++)
        statuses.push(
          (await me.post('/api/auth/sign-in/second-factor', { code: await aWrongCode(who) }, password.body.csrfToken))
            .status,
        );
      return { me, csrf: password.body.csrfToken as string, statuses };
    };
    expect((await tryCodes(3)).statuses).toEqual([401, 401, 401]);
    expect((await tryCodes(2)).statuses).toEqual([401, 401]);
    const next = await tryCodes(0);
    const right = await next.me.post(
      '/api/auth/sign-in/second-factor',
      { code: await generate({ secret: who.mfaSecret! }) },
      next.csrf,
    );
    expect(right.status).toBe(429);
    expect(right.body.error.message).toMatch(/^Too many wrong codes. Try again after /);
    const row = await database.db('users').where({ id: who.user.id }).first();
    expect(row.mfa_failures).toBe(5);
    expect(row.mfa_blocked_until.getTime()).toBeGreaterThan(Date.now());
  });

  it('counts guesses sent at once one by one', async () => {
    const who = await aUser(database.db, ['reviewer'], { mfa: true });
    const pending = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const me = await from(proxied, anAddress());
        const password = await me
          .post('/api/auth/sign-in', { email: who.user.email, password: TEST_PASSWORD })
          .expect(200);
        return { me, csrf: password.body.csrfToken as string };
      }),
    );
    const code = await aWrongCode(who);
    const answers = await Promise.all(
      pending.map(({ me, csrf }) => me.post('/api/auth/sign-in/second-factor', { code }, csrf)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });
});

describe('wrong passwords', () => {
  it('make that email wait from that address only, so nobody elsewhere can lock an admin out', async () => {
    const admin = await aUser(database.db, ['admin']);
    const attacker = await from(proxied, anAddress());
    for (let i = 0; i < 5; i++)
      expect(
        (await attacker.post('/api/auth/sign-in', { email: admin.user.email, password: `wrong ${i} password` })).status,
      ).toBe(401);
    const blocked = await attacker.post('/api/auth/sign-in', { email: admin.user.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(
      /^Too many failed sign-ins for this email from here. Try again after .*, or reset your password.$/,
    );

    const owner = await from(proxied, anAddress());
    const signedIn = await owner.post('/api/auth/sign-in', { email: admin.user.email, password: TEST_PASSWORD });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.status).toBe('mfa_required');
    expect(
      await database.db('audit_log').where({ action: 'user.sign_in_backed_off', entity_id: String(admin.user.id) }),
    ).toHaveLength(1);
  });

  it('answer an unknown email exactly like a known one, waits included', async () => {
    const known = await aUser(database.db, ['professional']);
    const run = async (email: string) => {
      const me = await from(proxied, anAddress());
      const answers = [];
      for (let i = 0; i < 6; i++)
        answers.push(await me.post('/api/auth/sign-in', { email, password: `wrong ${i} password` }));
      return answers.map((a) => `${a.status} ${String(a.body.error.message).replace(/after \S+,/, 'after …,')}`);
    };
    const forKnown = await run(known.user.email);
    expect(forKnown.at(-1)).toMatch(/^429 /);
    expect(await run(anEmail('nobody'))).toEqual(forKnown);
  });

  it('take as long for an unknown email as for a known one', async () => {
    const known = await aUser(database.db, ['professional']);
    const unknown = anEmail('nobody');
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 9; i++) {
      for (const [email, times] of [
        [known.user.email, knownTimes],
        [unknown, unknownTimes],
      ] as const) {
        const me = await from(proxied, anAddress());
        const started = performance.now();
        expect((await me.post('/api/auth/sign-in', { email, password: 'not the password at all' })).status).toBe(401);
        times.push(performance.now() - started);
      }
    }
    const [k, u] = [median(knownTimes), median(unknownTimes)];
    expect(Math.abs(k - u), `medians ${k.toFixed(1)} ms (known) and ${u.toFixed(1)} ms (unknown)`).toBeLessThan(
      Math.max(15, 0.35 * Math.max(k, u)),
    );
  });
});

describe('asking for a new password', () => {
  it('answers a known email as fast as an unknown one: the link is written after the answer', async () => {
    const known = await aUser(database.db, ['professional']);
    const unknown = anEmail('nobody');
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    const me = await from(proxied, anAddress());
    for (let i = 0; i < 21; i++) {
      for (const [email, times] of [
        [known.user.email, knownTimes],
        [unknown, unknownTimes],
      ] as const) {
        const started = performance.now();
        const answer = await me.post('/api/auth/password-reset', { email });
        times.push(performance.now() - started);
        expect(answer.status).toBe(202);
      }
    }
    const [k, u] = [median(knownTimes), median(unknownTimes)];
    expect(k, `medians ${k.toFixed(1)} ms (known) and ${u.toFixed(1)} ms (unknown)`).toBeLessThan(u * 1.3 + 1);
    // The links were sent all the same.
    await until(
      () => outboxTo(database.db, known.user.email, 'password_reset'),
      (rows) => rows.length === 21,
    );
  });
});

describe('signing up', () => {
  it('answers the same whether or not the email has an account, and tells the account holder by email', async () => {
    const existing = await aUser(database.db, ['professional']);
    const newcomer = anEmail('new');
    const me = await visitor(app);
    const form = (email: string) => ({
      firstName: 'Ana',
      lastName: 'Ruiz',
      email,
      password: 'a long enough passphrase',
    });
    const forNew = await me.post('/api/auth/sign-up', form(newcomer));
    const forExisting = await me.post('/api/auth/sign-up', form(existing.user.email.toUpperCase()));
    expect([forNew.status, forExisting.status]).toEqual([202, 202]);
    expect(forExisting.body).toEqual(forNew.body);
    expect(forNew.headers['set-cookie']?.toString() ?? '').not.toMatch(/mopd\.sid/);

    const [note] = await until(
      () => outboxTo(database.db, existing.user.email, 'already_registered'),
      (rows) => rows.length === 1,
    );
    expect(note!.subject).toBe('You already have an MOPD account');
    await signUpToken(database.db, newcomer);
    // Nothing exists for the new email until its owner follows the link.
    expect(await database.db('users').whereRaw('lower(email) = ?', [newcomer])).toHaveLength(0);
    expect(await database.db('professionals').whereRaw('lower(email) = ?', [newcomer])).toHaveLength(0);
  });

  it('creates the account when the emailed link is followed, once, and the person signs in with their password', async () => {
    const email = anEmail('maya');
    const me = await visitor(app);
    await me
      .post('/api/auth/sign-up', {
        firstName: 'Maya',
        lastName: 'Lopez',
        email,
        password: 'a long enough passphrase',
        language: 'es',
      })
      .expect(202);
    const token = await signUpToken(database.db, email);
    await me.post('/api/auth/verify-email', { token }).expect(204);
    expect((await me.post('/api/auth/verify-email', { token })).status).toBe(400);
    const user = await database.db('users').whereRaw('lower(email) = ?', [email]).first();
    expect(user).toMatchObject({ display_name: 'Maya Lopez', language: 'es' });
    expect(user.email_verified_at).not.toBeNull();
    const professional = await database.db('professionals').where({ id: user.professional_id }).first();
    expect(professional.mopd_id).toMatch(/^MO\d{7}$/);
    const signedIn = await me.post('/api/auth/sign-in', { email, password: 'a long enough passphrase' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ email, roles: ['professional'], emailVerified: true });
  });

  it('lets a person already in the registry claim their record through the emailed link, and nobody else', async () => {
    const email = anEmail('registry');
    const record = await createProfessional(database.db, { firstName: 'Rosa', lastName: 'Diaz', email });
    const someone = await visitor(app);
    const attempt = await someone.post('/api/auth/sign-up', {
      firstName: 'Not',
      lastName: 'Rosa',
      email,
      password: 'the intruder passphrase',
    });
    // The same answer as for anyone, never PostgreSQL's words about the record.
    expect(attempt.status).toBe(202);
    expect(JSON.stringify(attempt.body)).not.toMatch(/already exists|Key \(/);
    await signUpToken(database.db, email);
    expect(await database.db('users').where({ professional_id: record.id })).toHaveLength(0);
    expect((await someone.post('/api/auth/sign-in', { email, password: 'the intruder passphrase' })).status).toBe(401);

    // Rosa signs up too and follows the newest link in her inbox.
    const rosa = await visitor(app);
    await rosa
      .post('/api/auth/sign-up', { firstName: 'Rosa', lastName: 'Diaz', email, password: 'rosa own passphrase' })
      .expect(202);
    const token = await signUpToken(database.db, email, 2);
    await rosa.post('/api/auth/verify-email', { token }).expect(204);
    const user = await database.db('users').whereRaw('lower(email) = ?', [email]).first();
    expect(user.professional_id).toBe(record.id);
    expect(await database.db('professionals').whereRaw('lower(email) = ?', [email])).toHaveLength(1);
    const signedIn = await rosa.post('/api/auth/sign-in', { email, password: 'rosa own passphrase' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.professionalId).toBe(record.id);
    expect((await someone.post('/api/auth/sign-in', { email, password: 'the intruder passphrase' })).status).toBe(401);
  });
});

describe('email a stranger can trigger', () => {
  const limited = () =>
    testApp(database, redis, temporal, {
      trustProxy: ['loopback'],
      emailLimit: { windowMs: 60_000, perAddress: 3, perRecipient: 2 },
    }).app;

  it('sends one address at most its budget of links, however often and from wherever it is asked', async () => {
    const target = await aUser(database.db, ['professional']);
    const target2 = limited();
    for (let i = 0; i < 4; i++) {
      const stranger = await from(target2, anAddress());
      expect((await stranger.post('/api/auth/password-reset', { email: target.user.email })).status).toBe(202);
    }
    const newcomer = anEmail('flooded');
    for (let i = 0; i < 4; i++) {
      const stranger = await from(target2, anAddress());
      expect(
        (
          await stranger.post('/api/auth/sign-up', {
            firstName: 'A',
            lastName: 'B',
            email: newcomer,
            password: 'a long enough passphrase',
          })
        ).status,
      ).toBe(202);
    }
    // Counted in Redis by the address's hash (never a row id); each request took from the budget.
    const counted = (email: string) => redis.get(`mopd-mail-to:${sha256(email.toLowerCase())}`);
    await until(
      async () => [
        await counted(target.user.email),
        (await outboxTo(database.db, target.user.email, 'password_reset')).length,
      ],
      ([n, rows]) => n === '4' && rows === 2,
    );
    await until(
      async () => [await counted(newcomer), (await outboxTo(database.db, newcomer, 'sign_up')).length],
      ([n, rows]) => n === '4' && rows === 2,
    );
  });

  it('limits resending the confirmation email to the same budget', async () => {
    const target = limited();
    const who = await aUser(database.db, ['professional']);
    const me = await from(target, anAddress());
    const signedIn = await me.post('/api/auth/sign-in', { email: who.user.email, password: TEST_PASSWORD }).expect(200);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await me.post('/api/auth/verify-email/resend', {}, signedIn.body.csrfToken)).status);
    expect(statuses).toEqual([202, 202, 202]);
    expect(await outboxTo(database.db, who.user.email, 'email_verification')).toHaveLength(2);
    // The fourth from this address is one too many.
    expect((await me.post('/api/auth/verify-email/resend', {}, signedIn.body.csrfToken)).status).toBe(429);
  });

  it('refuses a client address more than its budget of emails to anyone', async () => {
    const target = limited();
    const me = await from(target, anAddress());
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await me.post('/api/auth/password-reset', { email: anEmail('someone') })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

describe('the client address', () => {
  it('comes from X-Forwarded-For only when TRUST_PROXY names the proxy: a spoofed header buys no new budget', async () => {
    const strict = testApp(database, redis, temporal, { signInLimit: { windowMs: 60_000, max: 3 } }).app;
    const me = await visitor(strict);
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (
          await me.agent
            .post('/api/auth/sign-in')
            .set('x-csrf-token', me.csrf)
            .set('x-forwarded-for', anAddress())
            .send({ email: anEmail('x'), password: 'wrong password here' })
        ).status,
      );
    }
    expect(statuses.slice(3)).toEqual([429, 429]);

    // Behind a configured proxy the header names the client: a new client has a budget of its own.
    const behindProxy = testApp(database, redis, temporal, {
      trustProxy: ['loopback'],
      signInLimit: { windowMs: 60_000, max: 3 },
    }).app;
    const client = await from(behindProxy, anAddress());
    expect(
      (await client.post('/api/auth/sign-in', { email: anEmail('x'), password: 'wrong password here' })).status,
    ).toBe(401);
  });

  it('is configured by TRUST_PROXY: none by default, a number of proxies, or addresses and subnets', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY).toEqual(['10.0.0.0/8', 'loopback']);
    expect(() => loadConfig({ TRUST_PROXY: 'any loopback peer' })).toThrow(/TRUST_PROXY/);
  });
});

describe('sessions', () => {
  it('stores none for anonymous visitors asking for a CSRF token, and the token still protects a change', async () => {
    const count = async () =>
      Number((await database.db('session').count<{ count: string }[]>({ count: '*' }))[0]!.count);
    const before = await count();
    const visitors = [];
    for (let i = 0; i < 20; i++) {
      const agent = request.agent(app);
      const answer = await agent.get('/api/auth/csrf').expect(200);
      expect(answer.headers['set-cookie']?.toString() ?? '').not.toMatch(/mopd\.sid/);
      visitors.push({ agent, csrf: answer.body.csrfToken as string });
    }
    expect(await count()).toBe(before);

    const [a, b] = visitors;
    const attempt = { email: anEmail('nobody'), password: 'not the password' };
    expect((await a!.agent.post('/api/auth/sign-in').send(attempt)).status).toBe(403);
    // Another visitor's token does not fit this visitor's cookie.
    expect((await a!.agent.post('/api/auth/sign-in').set('x-csrf-token', b!.csrf).send(attempt)).status).toBe(403);
    expect((await a!.agent.post('/api/auth/sign-in').set('x-csrf-token', a!.csrf).send(attempt)).status).toBe(401);
    // A token for no cookie at all is refused.
    expect((await request(app).post('/api/auth/sign-in').set('x-csrf-token', a!.csrf).send(attempt)).status).toBe(403);
    expect(await count()).toBe(before);
  });
});
