/**
 * Single sign-on through a real OpenID Connect provider (issue 23): `oidc-provider` runs in this
 * process with its own login page; MOPD signs people in through it with the authorization code
 * flow and PKCE. The first sign-in creates or links the account, groups give roles through the
 * admin's mapping at every sign-in, a second factor at the provider stands for MOPD's own and a
 * sign-in without one gets MOPD's, and sign-out hands the browser to the provider's end session.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { generate } from 'otplib';
import request from 'supertest';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn, testApp, TEST_PASSWORD, visitor, type Session } from '../support/app.js';
import { startIdentityProvider, type ProviderPerson, type TestIdentityProvider } from '../support/identityProvider.js';
import { createRedis } from '../../bin/runtime.js';
import type { SingleSignOnConfig } from '../../api/auth/singleSignOn.js';

const MOPD = 'http://mopd.test';
let idp: TestIdentityProvider;
let http: HttpApp;
let app: Express;
let admin: Session;
let adminUserId: number;

beforeAll(async () => {
  idp = await startIdentityProvider(MOPD);
  http = await startHttpApp('single-sign-on', { singleSignOn: idp.configFor() });
  app = http.app;
  const adminUser = await aUser(http.database.db, ['admin']);
  adminUserId = adminUser.user.id;
  admin = await signIn(app, adminUser);
  const saved = await admin.put('/api/admin/sso/group-roles', {
    mappings: [
      { group: 'mopd-reviewers', role: 'reviewer' },
      { group: 'mopd-inspectors', role: 'inspector' },
      { group: 'mopd-admins', role: 'admin' },
    ],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
});

afterAll(async () => {
  await http?.close();
  await idp?.close();
});

const aPerson = (over: Partial<ProviderPerson> = {}): ProviderPerson => {
  const id = randomUUID().slice(0, 8);
  return idp.add({
    username: `staff-${id}`,
    password: `provider-password-${id}`,
    email: `staff-${id}@state.example`,
    name: `Staff ${id}`,
    groups: ['mopd-reviewers'],
    secondFactor: true,
    ...over,
  });
};

/** A browser's cookies at the provider: name → value. */
type Jar = Map<string, string>;

async function atProvider(jar: Jar, url: string, init: { method?: string; body?: URLSearchParams } = {}) {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    body: init.body,
    redirect: 'manual',
    headers: {
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
  });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return response;
}

/**
 * Signs in through the provider as a browser would: MOPD sends it to the provider, the person types
 * their username and password on the provider's page, and the provider sends it back to MOPD's
 * callback. Answers MOPD's last redirect (where the browser lands).
 */
async function signOn(agent: ReturnType<typeof request.agent>, person: ProviderPerson, next = '/home') {
  const jar: Jar = new Map();
  const start = await agent.get(`/api/auth/sso/start?next=${encodeURIComponent(next)}`).expect(303);
  let url = new URL(start.headers.location!);
  expect(url.origin).toBe(idp.issuer);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  let response = await atProvider(jar, url.href);
  let typed = false;
  for (let hop = 0; hop < 10; hop++) {
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      if (url.origin === MOPD) break;
      response = await atProvider(jar, url.href);
      continue;
    }
    expect(response.status, await response.clone().text()).toBe(200);
    expect(typed, 'the provider asked for the password twice').toBe(false);
    const html = await response.text();
    expect(html).toContain('State identity provider');
    typed = true;
    response = await atProvider(jar, url.href, {
      method: 'POST',
      body: new URLSearchParams({ username: person.username, password: person.password }),
    });
  }
  expect(url.pathname).toBe('/api/auth/sso/callback');
  const back = await agent.get(`${url.pathname}${url.search}`);
  expect(back.status, JSON.stringify(back.body)).toBe(303);
  return { location: back.headers.location!, jar };
}

const meOf = (agent: ReturnType<typeof request.agent>) => agent.get('/api/auth/me');

describe('signing in through the identity provider', () => {
  it('creates the account at the first sign-in, with the role its group maps to, and records the identity', async () => {
    const person = aPerson();
    const agent = request.agent(app);
    const { location } = await signOn(agent, person, '/cases/queue');
    expect(location).toBe('/cases/queue');
    const me = await meOf(agent).expect(200);
    expect(me.body.user.email).toBe(person.email);
    expect(me.body.user.roles).toEqual(['reviewer']);
    // The provider checked a second factor: MOPD asks for none, nor for setting one up.
    expect(me.body.mfaEnrollmentRequired).toBe(false);
    const { db } = http.database;
    const identity = await db('sign_on_identities').where({ user_id: me.body.user.userId }).first();
    expect(identity).toMatchObject({ issuer: idp.issuer, subject: person.username });
    const audit = await db('audit_log')
      .where({ entity_id: String(me.body.user.userId) })
      .pluck('action');
    expect(audit).toContain('user.created_by_sign_on');
    // A staff page works with the role.
    expect((await agent.get('/api/cases')).status).toBeLessThan(400);
  });

  it('links the first sign-in to the account that already uses the verified email', async () => {
    const { db } = http.database;
    const existing = await aUser(db, ['inspector']);
    const person = aPerson({ email: existing.user.email, groups: ['mopd-inspectors'] });
    const agent = request.agent(app);
    await signOn(agent, person);
    const me = await meOf(agent).expect(200);
    expect(me.body.user.userId).toBe(existing.user.id);
    expect(me.body.user.roles).toEqual(['inspector']);
    expect(await db('sign_on_identities').where({ user_id: existing.user.id })).toHaveLength(1);
    const audit = await db('audit_log')
      .where({ entity_id: String(existing.user.id) })
      .pluck('action');
    expect(audit).toContain('user.sign_on_linked');
    // The next sign-in finds the account by its identity, not again by email.
    await signOn(request.agent(app), person);
    expect(await db('sign_on_identities').where({ user_id: existing.user.id })).toHaveLength(1);
  });

  it('does not link an account by an email the provider did not verify', async () => {
    const existing = await aUser(http.database.db, ['reviewer']);
    const person = aPerson({ email: existing.user.email, emailVerified: false });
    const agent = request.agent(app);
    const { location } = await signOn(agent, person);
    expect(location).toBe('/sign-in?sso_error=refused');
    expect((await meOf(agent)).status).toBe(401);
  });

  it('changes the roles when the groups change, at the next sign-in', async () => {
    const person = aPerson({ groups: ['mopd-reviewers'] });
    const first = request.agent(app);
    await signOn(first, person);
    const before = await meOf(first).expect(200);
    expect(before.body.user.roles).toEqual(['reviewer']);
    const userId = before.body.user.userId as number;
    // A role the mapping does not decide stays as an admin set it.
    await admin.put(`/api/admin/users/${userId}/roles`, { roles: ['reviewer', 'trainer'] }).expect(200);

    person.groups = ['mopd-inspectors'];
    const second = request.agent(app);
    await signOn(second, person);
    const after = await meOf(second).expect(200);
    expect(after.body.user.userId).toBe(userId);
    expect([...after.body.user.roles].sort()).toEqual(['inspector', 'trainer']);
    const change = await http.database
      .db('audit_log')
      .where({ entity_id: String(userId), action: 'user.roles_changed', actor_user_id: null })
      .orderBy('id', 'desc')
      .first();
    expect(change?.before).toEqual({ roles: ['reviewer', 'trainer'] });
    expect((change?.after as { roles: string[] }).roles).toEqual(['trainer', 'inspector']);

    // No group left that maps to a staff role: the provider no longer signs them in to MOPD.
    person.groups = ['somewhere-else'];
    const third = request.agent(app);
    expect((await signOn(third, person)).location).toBe('/sign-in?sso_error=refused');
    expect((await meOf(third)).status).toBe(401);
  });

  it('refuses someone whose groups give no role, and creates nothing', async () => {
    const person = aPerson({ groups: ['cafeteria'] });
    const agent = request.agent(app);
    expect((await signOn(agent, person)).location).toBe('/sign-in?sso_error=refused');
    expect(await http.database.db('users').whereRaw('lower(email) = lower(?)', [person.email]).first()).toBeUndefined();
  });
});

describe('the second factor', () => {
  it('asks for MOPD’s own code when the provider’s token does not say a second factor was used', async () => {
    const { db } = http.database;
    const existing = await aUser(db, ['reviewer']);
    const person = aPerson({ email: existing.user.email, secondFactor: false });
    const agent = request.agent(app);
    const { location } = await signOn(agent, person, '/cases/queue');
    expect(location).toBe(`/sign-in?step=second-factor&next=${encodeURIComponent('/cases/queue')}`);
    expect((await meOf(agent)).status).toBe(401);
    const { csrfToken } = (await agent.get('/api/auth/csrf').expect(200)).body as { csrfToken: string };
    const wrong = await agent
      .post('/api/auth/sign-in/second-factor')
      .set('x-csrf-token', csrfToken)
      .send({ code: '000000' });
    expect(wrong.status).toBe(401);
    const right = await agent
      .post('/api/auth/sign-in/second-factor')
      .set('x-csrf-token', csrfToken)
      .send({ code: await generate({ secret: existing.mfaSecret! }) });
    expect(right.status, JSON.stringify(right.body)).toBe(200);
    expect((await meOf(agent).expect(200)).body.user.userId).toBe(existing.user.id);
    // The session still knows it came from the provider: sign-out ends that one too.
    expect((await agent.get('/api/auth/sso').expect(200)).body.endSessionUrl).toMatch(/id_token_hint=/);
  });

  it('has staff without MOPD’s second factor set it up when the provider used none', async () => {
    const person = aPerson({ secondFactor: false });
    const agent = request.agent(app);
    expect((await signOn(agent, person)).location).toBe('/home');
    const me = await meOf(agent).expect(200);
    expect(me.body.mfaEnrollmentRequired).toBe(true);
    expect((await agent.get('/api/cases')).status).toBe(403);
  });
});

describe('sign-out', () => {
  it('ends the MOPD session and points the browser at the provider’s end session with the ID token', async () => {
    const person = aPerson();
    const agent = request.agent(app);
    const { jar } = await signOn(agent, person);
    const sso = (await agent.get('/api/auth/sso').expect(200)).body;
    expect(sso).toMatchObject({ enabled: true, label: 'Show-Me ID', localPasswords: 'all' });
    const end = new URL(sso.endSessionUrl);
    expect(end.origin).toBe(idp.issuer);
    expect(end.searchParams.get('id_token_hint')).toBeTruthy();
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${MOPD}/sign-in`);
    const { csrfToken } = (await agent.get('/api/auth/csrf')).body as { csrfToken: string };
    await agent.post('/api/auth/sign-out').set('x-csrf-token', csrfToken).expect(204);
    expect((await meOf(agent)).status).toBe(401);
    // The provider accepts the hint: it asks to confirm signing out of its own session.
    const confirm = await atProvider(jar, end.href);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toMatch(/sign.?out|logout/i);
  });

  it('offers no provider sign-out to a session signed in with a password', async () => {
    const who = await signIn(app, await aUser(http.database.db, ['professional']));
    expect((await who.get('/api/auth/sso').expect(200)).body.endSessionUrl).toBeNull();
  });
});

describe('the callback', () => {
  it('refuses an answer whose state this session was not given', async () => {
    const agent = request.agent(app);
    await agent.get('/api/auth/sso/start').expect(303);
    const back = await agent.get('/api/auth/sso/callback?code=forged&state=not-the-one');
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/sign-in?sso_error=failed');
    expect((await meOf(agent)).status).toBe(401);
  });

  it('says the provider sign-in was cancelled when the provider answers with an error', async () => {
    const agent = request.agent(app);
    await agent.get('/api/auth/sso/start').expect(303);
    const back = await agent.get('/api/auth/sso/callback?error=access_denied&state=x');
    expect(back.headers.location).toBe('/sign-in?sso_error=cancelled');
  });

  it('never sends the browser to another site after sign-in', async () => {
    const person = aPerson();
    const agent = request.agent(app);
    expect((await signOn(agent, person, '//evil.example/x')).location).toBe('/');
  });
});

describe('the group → role mapping', () => {
  it('is an admin setting kept in the audit log', async () => {
    const mappings = [
      { group: 'mopd-admins', role: 'admin' },
      { group: 'mopd-inspectors', role: 'inspector' },
      { group: 'mopd-policy', role: 'policy_staff' },
      { group: 'mopd-reviewers', role: 'reviewer' },
    ];
    const saved = await admin.put('/api/admin/sso/group-roles', { mappings }).expect(200);
    expect(saved.body.mappings).toEqual(mappings);
    const read = await admin.get('/api/admin/sso/group-roles').expect(200);
    expect(read.body).toMatchObject({ enabled: true, label: 'Show-Me ID', groupsClaim: 'groups', mappings });
    const entry = await http.database
      .db('audit_log')
      .where({ action: 'setting.changed', entity_id: 'sign_on_group_roles' })
      .orderBy('id', 'desc')
      .first();
    expect(Number(entry?.actor_user_id)).toBe(adminUserId);
    expect(entry?.after).toEqual(mappings);
    expect(entry?.before).not.toContainEqual({ group: 'mopd-policy', role: 'policy_staff' });
  });

  it('refuses a role MOPD does not have and an unnamed group', async () => {
    const bad = await admin.put('/api/admin/sso/group-roles', { mappings: [{ group: ' ', role: 'superuser' }] });
    expect(bad.status).toBe(400);
  });
});

describe('local passwords, per configuration', () => {
  let redis: ReturnType<typeof createRedis>;
  const appWith = (over: Partial<SingleSignOnConfig>) =>
    testApp(http.database, redis, http.temporal, { singleSignOn: idp.configFor(over) }).app;

  beforeAll(() => {
    redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it('refuses staff a password when staff sign in only through the provider, and keeps it for others', async () => {
    const staffOnly = appWith({ localPasswords: 'not_staff' });
    const reviewer = await aUser(http.database.db, ['reviewer']);
    const person = await aUser(http.database.db, ['professional']);
    const who = await visitor(staffOnly);
    const refused = await who.post('/api/auth/sign-in', { email: reviewer.user.email, password: TEST_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/identity provider/);
    await signIn(staffOnly, person);
    expect((await (await visitor(staffOnly)).get('/api/auth/sso')).body.localPasswords).toBe('not_staff');
  });

  it('refuses every password when none stay available', async () => {
    const none = appWith({ localPasswords: 'none' });
    const person = await aUser(http.database.db, ['professional']);
    const who = await visitor(none);
    expect((await who.post('/api/auth/sign-in', { email: person.user.email, password: TEST_PASSWORD })).status).toBe(
      403,
    );
  });

  it('lets everyone sign in through the provider when configured, a person of no mapped group as a professional', async () => {
    const everyone = appWith({ audience: 'everyone' });
    const person = aPerson({ groups: [], secondFactor: false });
    const agent = request.agent(everyone);
    expect((await signOn(agent, person)).location).toBe('/home');
    const me = await meOf(agent).expect(200);
    expect(me.body.user.roles).toEqual(['professional']);
    expect(me.body.user.professionalId).toEqual(expect.any(Number));
    expect(me.body.mfaEnrollmentRequired).toBe(false);
  });
});
