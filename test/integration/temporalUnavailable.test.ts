/**
 * The API with no Temporal to talk to (its address answers nothing): requests that start or drive
 * a workflow are refused within seconds with 503 and a Retry-After hint, as in a PostgreSQL outage,
 * not a 500, and nothing is saved; the temporalRestart suites show the same while a server is down.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporalGateway, isTemporalUnavailable, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { freePort } from '../../bin/tools.js';
import { decideUpdate } from '../../workflows/approvalCase.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, signIn, testApp } from '../support/app.js';
import { RETRY_AFTER_SECONDS } from '../../api/errors.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let gateway: TemporalGateway;
let app: ReturnType<typeof testApp>['app'];

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  // A port taken from the free ones and never listened on: Temporal is away.
  gateway = createTemporalGateway({
    address: `127.0.0.1:${await freePort()}`,
    namespace: 'default',
    taskQueue: 'temporal-unavailable',
  });
  ({ app } = testApp(database, redis, gateway));
});
afterAll(async () => {
  await gateway?.close();
  await redis?.quit();
  await database?.drop();
});

describe('the API while Temporal is unreachable', () => {
  it('refuses a hire within seconds with 503 and Retry-After, and saves nothing', async () => {
    const { db } = database;
    const [organization] = await db('organizations')
      .insert({ name: 'Away Center', licensed: true, subsidized: false, serves_infants: true, county: 'Boone' })
      .returning('id');
    const [person] = await db('professionals')
      .insert({ mopd_id: 'MO0900001', first_name: 'Ada', last_name: 'Away', email: 'ada.away@example.org' })
      .returning('id');
    const admin = await signIn(app, await aUser(db, ['admin']));
    const started = performance.now();
    const res = await admin.post('/api/employments', {
      professionalId: person.id,
      organizationId: organization.id,
      role: 'teacher',
      hireDate: '2026-01-05',
    });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(res.body.error).toMatchObject({ type: 'Unavailable', retryAfterSeconds: RETRY_AFTER_SECONDS });
    expect(await db('employments').where({ professional_id: person.id }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('refuses a new case with 503 and Retry-After and keeps no case row', async () => {
    const { db } = database;
    const [organization] = await db('organizations')
      .insert({ name: 'Unclaimed Center', licensed: true, subsidized: false, serves_infants: false, county: 'Boone' })
      .returning('id');
    const applicant = await signIn(app, await aUser(db, ['professional']));
    const res = await applicant.post('/api/cases/organization-claims', {
      organizationId: organization.id,
      position: 'Director',
    });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(await db('cases').count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('turns an unreachable server into Unavailable for every gateway call, not a raw gRPC error', async () => {
    await expect(
      gateway.updateCase(
        'case-organization-claim-1',
        decideUpdate,
        [{ reviewerUserId: 1, decision: 'approved', reasons: [] }],
        'decide-1',
      ),
    ).rejects.toMatchObject({ type: 'Unavailable' });
    await expect(gateway.notifyEmploymentChanged(1)).rejects.toMatchObject({ type: 'Unavailable' });
    await expect(gateway.ping()).rejects.toMatchObject({ type: 'Unavailable' });
  });

  it('counts a server too busy to answer (RESOURCE_EXHAUSTED, wrapped by the SDK) as away for now, and a refusal as not', () => {
    expect(
      isTemporalUnavailable(
        new Error('Failed to start Workflow', {
          cause: Object.assign(new Error('namespace rate limit exceeded'), { code: 8 }),
        }),
      ),
    ).toBe(true);
    expect(isTemporalUnavailable(Object.assign(new Error('Workflow execution already started'), { code: 6 }))).toBe(
      false,
    );
  });
});
