/**
 * Turning optional reminders off and on over HTTP (issue 20): a mail client's one-click
 * unsubscribe (RFC 8058: a form POST with no session and no CSRF token) records the opt-out, an
 * unknown token changes nothing and says so, and the person turns reminders back on (and off)
 * from their profile.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { reminderPreference, remindersWanted } from '../../services/reminders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, signIn, testApp } from '../support/app.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `unsubscribe-${randomUUID()}`,
  });
  app = testApp(database, redis, temporal).app;
});

afterAll(async () => {
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

describe('one-click unsubscribe', () => {
  it('turns reminders off from a mail client, without a session or CSRF token', async () => {
    const who = await aUser(database.db, ['professional']);
    const id = who.professionalId!;
    const { unsubscribeToken } = await reminderPreference(database.db, id);
    expect(await remindersWanted(database.db, id)).toBe(true);

    const answer = await request(app)
      .post(`/api/unsubscribe/${unsubscribeToken}`)
      .type('form')
      .send('List-Unsubscribe=One-Click');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ unsubscribed: true });
    expect(await remindersWanted(database.db, id)).toBe(false);
    // Clicked again (a second client, the page's button): still fine, still off.
    await request(app).post(`/api/unsubscribe/${unsubscribeToken}`).expect(200);
    expect(await remindersWanted(database.db, id)).toBe(false);
  });

  it('answers 404 naming the token for a link that is no one’s, and changes nothing', async () => {
    const who = await aUser(database.db, ['professional']);
    await reminderPreference(database.db, who.professionalId!);
    for (const token of [randomUUID(), 'not-a-token']) {
      const answer = await request(app)
        .post(`/api/unsubscribe/${token}`)
        .type('form')
        .send('List-Unsubscribe=One-Click');
      expect(answer.status).toBe(404);
      expect(JSON.stringify(answer.body)).toContain('token');
    }
    expect(await remindersWanted(database.db, who.professionalId!)).toBe(true);
  });

  it('other state-changing routes still need the CSRF token', async () => {
    const who = await aUser(database.db, ['professional']);
    const answer = await request(app)
      .put(`/api/professionals/${who.professionalId}/reminders`)
      .send({ remindersWanted: false });
    expect(answer.status).not.toBe(200);
    expect(await remindersWanted(database.db, who.professionalId!)).toBe(true);
  });
});

describe('the profile choice', () => {
  it('lets the person turn reminders back on and off, and nobody else', async () => {
    const who = await aUser(database.db, ['professional']);
    const id = who.professionalId!;
    const { unsubscribeToken } = await reminderPreference(database.db, id);
    await request(app).post(`/api/unsubscribe/${unsubscribeToken}`).expect(200);

    const me = await signIn(app, who);
    expect((await me.get(`/api/professionals/${id}/reminders`).expect(200)).body).toEqual({ remindersWanted: false });
    expect((await me.put(`/api/professionals/${id}/reminders`, { remindersWanted: true }).expect(200)).body).toEqual({
      remindersWanted: true,
    });
    expect(await remindersWanted(database.db, id)).toBe(true);
    await me.put(`/api/professionals/${id}/reminders`, { remindersWanted: false }).expect(200);
    expect(await remindersWanted(database.db, id)).toBe(false);

    const bad = await me.put(`/api/professionals/${id}/reminders`, { remindersWanted: 'yes' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('remindersWanted');

    const other = await signIn(app, await aUser(database.db, ['professional']));
    expect((await other.put(`/api/professionals/${id}/reminders`, { remindersWanted: true })).status).toBe(404);
    expect(await remindersWanted(database.db, id)).toBe(false);
  });
});
