/** The real app for HTTP tests, and people signed in to it with the roles a test needs. */
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import request from 'supertest';
import { generate, generateSecret } from 'otplib';
import type { Redis } from 'ioredis';
import { createApp, type AppDeps } from '../../api/app.js';
import { offlinePaymentProvider } from '../../services/payments.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { hashPassword } from '../../api/auth/crypto.js';
import { createSecretBox, mfaSecretContext, parseSecretKeys } from '../../api/auth/secretBox.js';
import { requiresMfa } from '../../api/access/principal.js';
import { createUser, updateUser, type UserRow } from '../../db/users.js';
import { createProfessional } from '../../db/professionals.js';
import type { Db } from '../../db/connection.js';
import type { Role } from '../../rules/domain.js';
import type { TestDatabase } from './database.js';

export const TEST_PASSWORD = 'correct horse battery staple';
/** What SECRETS_KEYS is for the test app: the key that seals TOTP secrets. */
export const TEST_SECRETS = createSecretBox(parseSecretKeys(`test:${Buffer.alloc(32, 7).toString('base64')}`));

export function testApp(database: TestDatabase, redis: Redis, temporal: TemporalGateway, over: Partial<AppDeps> = {}) {
  return createApp({
    db: database.db,
    redis,
    temporal,
    smtpCheck: async () => true,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    databaseUrl: database.url,
    sessionSecret: 'test-secret-that-is-long-enough-for-the-schema',
    secrets: TEST_SECRETS,
    publicUrl: 'http://mopd.test',
    uploadDir: path.join(os.tmpdir(), `mopd-uploads-${randomUUID()}`),
    signInLimit: { windowMs: 60_000, max: 10_000 },
    emailLimit: { windowMs: 60_000, perAddress: 10_000, perRecipient: 10_000 },
    // As configuration does in test: the offline payment provider (a test passes `payments: undefined` for none).
    payments: offlinePaymentProvider({ secret: 'test-payment-webhook-secret-at-least-32-characters' }),
    // Every answer an HTTP test gets is checked against its route's response schema.
    validateResponses: true,
    ...over,
  });
}

export interface TestUser {
  user: UserRow;
  mfaSecret: string | null;
  professionalId: number | null;
}

/** A user with these roles; with an MFA secret when a role requires it; a professional record when they are a professional. */
export async function aUser(
  db: Db,
  roles: Role[],
  options: { mfa?: boolean; professionalId?: number } = {},
): Promise<TestUser> {
  const id = randomUUID().slice(0, 8);
  let professionalId = options.professionalId ?? null;
  if (roles.includes('professional') && professionalId === null) {
    professionalId = (
      await createProfessional(db, { firstName: 'Test', lastName: `Person ${id}`, email: `person-${id}@example.org` })
    ).id;
  }
  const user = await createUser(db, {
    email: `${roles.join('-') || 'nobody'}-${id}@example.org`,
    passwordHash: await hashPassword(TEST_PASSWORD),
    displayName: `Test ${roles.join(' ')}`,
    professionalId,
    roles,
  });
  const mfaSecret = (options.mfa ?? requiresMfa(roles)) ? generateSecret() : null;
  if (mfaSecret)
    await updateUser(db, user.id, {
      mfa_secret: TEST_SECRETS.seal(mfaSecret, mfaSecretContext(user.id)),
      mfa_enabled_at: new Date(),
    });
  return { user, mfaSecret, professionalId };
}

export type Agent = ReturnType<typeof request.agent>;

export interface Session {
  agent: Agent;
  csrf: string;
  get(url: string): request.Test;
  post(url: string, body?: object): request.Test;
  put(url: string, body?: object): request.Test;
  patch(url: string, body?: object): request.Test;
}

export function session(agent: Agent, csrf: string): Session {
  return {
    agent,
    csrf,
    get: (url) => agent.get(url),
    post: (url, body = {}) => agent.post(url).set('x-csrf-token', csrf).send(body),
    put: (url, body = {}) => agent.put(url).set('x-csrf-token', csrf).send(body),
    patch: (url, body = {}) => agent.patch(url).set('x-csrf-token', csrf).send(body),
  };
}

/** The authenticator's period, in seconds (otplib's default, as MOPD's sign-in uses it). */
const AUTHENTICATOR_PERIOD_S = 30;
/** The last period each secret's code was taken in, by this test file. */
const lastPeriodUsed = new Map<string, number>();

/**
 * A code from the person's authenticator that sign-in has not seen yet: MOPD refuses a code used
 * once already, so a second sign-in in the same 30-second period (fast on a quiet machine) waits
 * for the next period, as a person would wait for their app's next code.
 */
export async function authenticatorCode(secret: string): Promise<string> {
  const periodOf = (ms: number) => Math.floor(ms / 1000 / AUTHENTICATOR_PERIOD_S);
  if (lastPeriodUsed.get(secret) === periodOf(Date.now())) {
    const next = (periodOf(Date.now()) + 1) * AUTHENTICATOR_PERIOD_S * 1000;
    await new Promise((resolve) => setTimeout(resolve, next - Date.now() + 100));
  }
  lastPeriodUsed.set(secret, periodOf(Date.now()));
  return generate({ secret });
}

/** Signs a user in through the API (password, then the authenticator code when they have one). */
export async function signIn(app: Parameters<typeof request.agent>[0], who: TestUser): Promise<Session> {
  const agent = request.agent(app);
  const { csrfToken } = (await agent.get('/api/auth/csrf').expect(200)).body as { csrfToken: string };
  const first = await agent
    .post('/api/auth/sign-in')
    .set('x-csrf-token', csrfToken)
    .send({ email: who.user.email, password: TEST_PASSWORD });
  if (first.status !== 200) throw new Error(`sign-in failed: ${first.status} ${JSON.stringify(first.body)}`);
  if (first.body.status === 'mfa_required') {
    const code = await authenticatorCode(who.mfaSecret!);
    const second = await agent
      .post('/api/auth/sign-in/second-factor')
      .set('x-csrf-token', first.body.csrfToken)
      .send({ code });
    if (second.status !== 200) throw new Error(`second factor failed: ${second.status} ${JSON.stringify(second.body)}`);
    return session(agent, second.body.csrfToken);
  }
  return session(agent, first.body.csrfToken);
}

/** A signed-out visitor with a CSRF token, for public routes. */
export async function visitor(app: Parameters<typeof request.agent>[0]): Promise<Session> {
  const agent = request.agent(app);
  const { csrfToken } = (await agent.get('/api/auth/csrf').expect(200)).body as { csrfToken: string };
  return session(agent, csrfToken);
}
