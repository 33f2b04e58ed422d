/**
 * TOTP secrets at rest (issue 16): stored sealed with AES-256-GCM, never as the secret; sign-in
 * still works; keys rotate; secrets stored before are marked plain by the migration and sealed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, generateSecret } from 'otplib';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { createTestDatabase } from '../support/database.js';
import { aUser, signIn, testApp, TEST_PASSWORD, visitor, type TestUser } from '../support/app.js';
import { createRedis } from '../../bin/runtime.js';
import { createSecretBox, parseSecretKeys } from '../../api/auth/secretBox.js';
import { rotateSecrets } from '../../api/auth/secretRotation.js';
import { migrationSource } from '../../db/migrations/index.js';
import type { Db } from '../../db/connection.js';

let http: HttpApp;
let app: Express;
let db: Db;
let redis: Redis;

beforeAll(async () => {
  http = await startHttpApp('secrets-at-rest');
  ({ app } = http);
  db = http.database.db;
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  await redis?.quit();
  await http?.close();
});

const stored = async (on: Db, userId: number) =>
  (await on('users').where({ id: userId }).first<{ mfa_secret: string | null }>('mfa_secret'))!.mfa_secret;
/** A code is taken once per time step: forget the last one, so a test can sign in again at once. */
const forgetLastCode = (on: Db, userId: number) => on('users').where({ id: userId }).update({ mfa_last_step: null });
const newKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
/** The key test/support/app.ts seals with (TEST_SECRETS). */
const TEST_KEY = `test:${Buffer.alloc(32, 7).toString('base64')}`;

describe('TOTP secrets at rest', () => {
  it('are stored sealed, never as the secret, and signing in with a code still works', async () => {
    const person = await aUser(db, ['professional']);
    const me = await signIn(app, person);
    const setup = (await me.post('/api/auth/mfa/setup').expect(200)).body as { secret: string };
    const sealed = await stored(db, person.user.id);
    expect(sealed).toMatch(/^v1:test:[\w-]+:[\w-]+:[\w-]+$/);
    expect(sealed).not.toContain(setup.secret);
    await me.post('/api/auth/mfa/enable', { code: await generate({ secret: setup.secret }) }).expect(200);

    await forgetLastCode(db, person.user.id);
    const again = await signIn(app, { ...person, mfaSecret: setup.secret });
    expect((await again.get('/api/auth/me').expect(200)).body.user.userId).toBe(person.user.id);
    // A wrong code is still refused.
    const stranger = await visitor(app);
    const password = await stranger
      .post('/api/auth/sign-in', { email: person.user.email, password: TEST_PASSWORD })
      .expect(200);
    const wrong = await stranger.agent
      .post('/api/auth/sign-in/second-factor')
      .set('x-csrf-token', password.body.csrfToken)
      .send({ code: '000000' });
    expect(wrong.status).toBe(401);
  });

  it("do not open in another person's row when copied there", async () => {
    const [a, b] = [await aUser(db, ['admin']), await aUser(db, ['admin'])];
    await db('users')
      .where({ id: b.user.id })
      .update({ mfa_secret: await stored(db, a.user.id), mfa_last_step: null });
    await expect(signIn(app, { ...b, mfaSecret: a.mfaSecret })).rejects.toThrow(/second factor failed: 500/);
    // The rotation cannot open it either, and says whose it is.
    expect((await rotateSecrets(db, createSecretBox(parseSecretKeys(TEST_KEY)))).unreadable).toEqual([b.user.id]);
    await db('users').where({ id: b.user.id }).update({ mfa_secret: null, mfa_enabled_at: null });
  });

  it('move to a new key with the rotation, after which the old key is no longer needed', async () => {
    const people: TestUser[] = [await aUser(db, ['admin']), await aUser(db, ['reviewer'])];
    const key = newKey('2027-01');
    const rotating = createSecretBox(parseSecretKeys(`${key},${TEST_KEY}`));
    const first = await rotateSecrets(db, rotating);
    expect(first.rekeyed.test).toBeGreaterThanOrEqual(people.length);
    expect(first.unreadable).toEqual([]);
    for (const p of people) expect(await stored(db, p.user.id)).toMatch(/^v1:2027-01:/);
    // Run again: nothing left to do.
    const second = await rotateSecrets(db, rotating);
    expect(second).toMatchObject({ sealed: 0, rekeyed: {}, unreadable: [] });

    // The API with the new key alone signs them in; with the old key alone it cannot open them.
    const newKeyOnly = testApp(http.database, redis, http.temporal, {
      secrets: createSecretBox(parseSecretKeys(key)),
    }).app;
    for (const p of people) {
      await forgetLastCode(db, p.user.id);
      await signIn(newKeyOnly, p);
    }
    await forgetLastCode(db, people[0]!.user.id);
    await expect(signIn(app, people[0]!)).rejects.toThrow(/second factor failed: 500/);
  });
});

describe('the migration of secrets stored before encryption', () => {
  it('marks them plain (still usable), the rotation seals them, and it rolls back after --to-plain', async () => {
    const database = await createTestDatabase();
    const on = database.db;
    const name = '20261207_023_secrets_at_rest';
    try {
      const box = createSecretBox(parseSecretKeys(TEST_KEY));
      const person = await aUser(on, ['professional']);
      await on.migrate.down({ migrationSource, name });
      // As stored before: the secret itself.
      const secret = generateSecret();
      await on('users').where({ id: person.user.id }).update({ mfa_secret: secret, mfa_enabled_at: new Date() });
      await on.migrate.up({ migrationSource, name });
      expect(await stored(on, person.user.id)).toBe(`plain:${secret}`);
      // The database refuses a secret that is neither sealed nor marked.
      await expect(on('users').where({ id: person.user.id }).update({ mfa_secret: secret })).rejects.toThrow(
        /users_mfa_secret_sealed/,
      );

      const withPlain = testApp(database, redis, http.temporal).app;
      await signIn(withPlain, { ...person, mfaSecret: secret });

      expect(await rotateSecrets(on, box, { onlyPlain: true })).toMatchObject({ sealed: 1, unreadable: [] });
      expect(await stored(on, person.user.id)).toMatch(/^v1:test:/);
      expect(await stored(on, person.user.id)).not.toContain(secret);
      await forgetLastCode(on, person.user.id);
      await signIn(withPlain, { ...person, mfaSecret: secret });

      // Rolling back needs the secrets plain again: the migration holds no key to open them.
      await expect(on.migrate.down({ migrationSource, name })).rejects.toThrow(/secrets:rotate -- --to-plain/);
      expect(await rotateSecrets(on, box, { toPlain: true })).toMatchObject({ unsealed: 1 });
      await on.migrate.down({ migrationSource, name });
      expect(await stored(on, person.user.id)).toBe(secret);
      await on.migrate.up({ migrationSource, name });
    } finally {
      await database.drop();
    }
  });
});
