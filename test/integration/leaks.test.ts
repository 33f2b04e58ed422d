/** What answers must not carry (issue 16): other people's values in database errors, the machinery behind /health. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn, testApp } from '../support/app.js';
import { createRedis } from '../../bin/runtime.js';

let http: HttpApp;
let app: Express;
let redis: Redis;

beforeAll(async () => {
  http = await startHttpApp('leaks');
  ({ app } = http);
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  await redis?.quit();
  await http?.close();
});

describe('error answers', () => {
  it("answer a duplicate with the field at fault, never with PostgreSQL's detail of the row it collided with", async () => {
    const admin = await signIn(app, await aUser(http.database.db, ['admin']));
    const existing = `jane.doe-${randomUUID().slice(0, 8)}@example.org`;
    await admin.post('/api/admin/users', { email: existing, displayName: 'Jane Doe', roles: ['reviewer'] }).expect(201);
    // The same address in capitals: only the database's unique index on lower(email) sees the clash.
    const response = await admin.post('/api/admin/users', {
      email: existing.toUpperCase(),
      displayName: 'Someone Else',
      roles: ['reviewer'],
    });
    expect(response.status).toBe(409);
    expect(response.body.error.fields).toEqual([{ field: 'email', message: 'Another record already has this email' }]);
    expect(response.text).not.toContain(existing);
    expect(response.text).not.toMatch(/Key \(|already exists\./);
  });
});

describe('/health', () => {
  const token = 'a-monitoring-token-of-at-least-32-characters';

  it('tells an anonymous caller only up or down, nothing about the machinery', async () => {
    const response = await request(app).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'up' });
    expect(response.text).not.toMatch(/postgres|redis|temporal|smtp|127\.0\.0\.1/i);
  });

  it('gives the detail to monitoring with the token, and refuses a wrong token', async () => {
    const monitored = testApp(http.database, redis, http.temporal, { healthToken: token }).app;
    const detail = await request(monitored).get('/health').set('authorization', `Bearer ${token}`);
    expect(Object.keys(detail.body.dependencies)).toEqual(['postgres', 'redis', 'temporal', 'smtp']);
    expect(detail.body.dependencies.postgres.ok).toBe(true);
    for (const wrong of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, 'Bearer ', token, 'Basic abc']) {
      const refused = await request(monitored).get('/health').set('authorization', wrong);
      expect(refused.status, wrong).toBe(401);
      expect(refused.text).not.toMatch(/postgres/);
    }
    // With no token configured, no bearer opens it.
    expect((await request(app).get('/health').set('authorization', 'Bearer ')).status).toBe(401);
    expect((await request(app).get('/health').set('authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('gives the detail to admins at /api/admin/health and to nobody else', async () => {
    const admin = await signIn(app, await aUser(http.database.db, ['admin']));
    const detail = (await admin.get('/api/admin/health').expect(200)).body;
    expect(detail.dependencies.postgres).toMatchObject({ ok: true });
    const reviewer = await signIn(app, await aUser(http.database.db, ['reviewer']));
    expect((await reviewer.get('/api/admin/health')).status).toBe(403);
    expect((await request(app).get('/api/admin/health')).status).toBe(401);
  });
});
