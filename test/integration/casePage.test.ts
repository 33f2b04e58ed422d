/**
 * The reviewer decides with the facts in front of them, over HTTP with a real worker: an
 * organization claim shows its applicant's current employment and the organization's directors
 * with warnings; the page lists only the actions possible now; the queue searches, sorts and
 * pages; a lead assigns cases in bulk, each through its workflow and audited.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { startWorker } from '../support/worker.js';
import { createRedis } from '../../bin/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anEmployment, anOrganization, aProfessional } from '../support/fixtures.js';
import { aUser, signIn, testApp } from '../support/app.js';
import { until } from '../support/polling.js';
import { upsertReviewerProfile } from '../../db/cases.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
let worker: { stop(): Promise<void> };
const taskQueue = `case-page-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  await database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({ address: inject('temporalAddress'), namespace: 'default', taskQueue });
  worker = await startWorker(database.db, taskQueue);
  app = testApp(database, redis, temporal, { uploadDir: path.join('/tmp', `mopd-case-page-${randomUUID()}`) }).app;
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

describe('the case page and the queue', () => {
  it('shows a claim with its applicant, their employment and the directors, and offers only possible actions', async () => {
    const { db } = database;
    const claimed = await anOrganization(db, { name: 'Bluebird Learning Center', region: 'Central' });
    const elsewhere = await anOrganization(db, { name: 'Oak Hollow Preschool', region: 'Central' });
    // The organization already has a director on staff; the applicant works at another program.
    const director = await aProfessional(db, { firstName: 'Dana', lastName: 'Director' });
    await anEmployment(db, director, claimed, '2020-01-01', 'director');
    const applicant = await aUser(db, ['professional']);
    const person = await db('professionals').where({ id: applicant.professionalId }).first();
    await anEmployment(db, person, elsewhere, '2021-03-01', 'teacher');
    const me = await signIn(app, applicant);
    const reviewerUser = await aUser(db, ['reviewer']);
    const reviewer = await signIn(app, reviewerUser);

    const id = (
      await me.post('/api/cases/organization-claims', { organizationId: claimed.id, position: 'Director' }).expect(201)
    ).body.case.id as number;
    const page = await until(
      async () => (await reviewer.get(`/api/cases/${id}`).expect(200)).body,
      (p) => p.case.status === 'in_review',
      20_000,
    );
    expect(page.details).toMatchObject({
      type: 'organization_claim',
      organization: { id: claimed.id, name: 'Bluebird Learning Center' },
      position: 'Director',
      applicant: {
        name: applicant.user.display_name,
        currentEmployment: [
          { organizationId: elsewhere.id, organizationName: 'Oak Hollow Preschool', role: 'teacher' },
        ],
      },
      existingDirectors: [{ name: `Dana Director`, how: 'employment', since: '2020-01-01' }],
      warnings: [
        { code: 'organization-has-director', names: ['Dana Director'] },
        { code: 'applicant-works-elsewhere', names: ['Oak Hollow Preschool'] },
      ],
    });
    expect(page.allowedActions).toEqual(['claim', 'message']);
    expect(page.service).toMatchObject({ state: expect.stringMatching(/on_time|due_this_week|due_today/) });
    expect((await me.get(`/api/cases/${id}`).expect(200)).body.allowedActions).toEqual(['withdraw', 'message']);

    await reviewer.post(`/api/cases/${id}/claim`).expect(200);
    expect((await reviewer.get(`/api/cases/${id}`).expect(200)).body.allowedActions).toEqual([
      'requestInformation',
      'approve',
      'deny',
      'recheck',
      'release',
      'message',
    ]);
    await reviewer.post(`/api/cases/${id}/request-information`, { message: 'Where do you work now?' }).expect(200);
    // Waiting for the applicant: nothing to claim or decide; the last day to answer is a date.
    const waiting = (await reviewer.get(`/api/cases/${id}`).expect(200)).body;
    expect(waiting.allowedActions).toEqual(['message']);
    expect(waiting.service).toMatchObject({
      state: 'waiting_for_applicant',
      informationDueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect((await me.get(`/api/cases/${id}`).expect(200)).body.allowedActions).toEqual([
      'answer',
      'withdraw',
      'message',
    ]);
  });

  it('searches, sorts and pages the queue, and lets a lead assign cases in bulk, each audited', async () => {
    const { db } = database;
    const leadUser = await aUser(db, ['reviewer']);
    await upsertReviewerProfile(db, {
      user_id: leadUser.user.id,
      is_lead: true,
      regions: [],
      case_types: [],
      accepts_automatic_assignment: true,
    });
    const lead = await signIn(app, leadUser);
    const plainReviewer = await signIn(app, await aUser(db, ['reviewer']));
    const assigneeUser = await aUser(db, ['reviewer']);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const org = await anOrganization(db, {
        name: `Queue Center ${i} ${randomUUID().slice(0, 6)}`,
        region: 'Northeast',
      });
      const applicant = await aUser(db, ['professional']);
      await db('users')
        .where({ id: applicant.user.id })
        .update({ display_name: `Robin Quaid${i} ${randomUUID().slice(0, 6)}` });
      const session = await signIn(app, applicant);
      ids.push(
        (
          await session
            .post('/api/cases/organization-claims', { organizationId: org.id, position: 'Owner' })
            .expect(201)
        ).body.case.id,
      );
    }
    await until(
      async () => (await lead.get('/api/cases?region=Northeast&assignee=unassigned').expect(200)).body,
      (q) => q.total === 3 && q.cases.every((c: { status: string }) => c.status === 'in_review'),
      20_000,
    );
    // Paged on the server: two and then one, with the total.
    const first = (await lead.get('/api/cases?region=Northeast&sort=age&limit=2&offset=0').expect(200)).body;
    const second = (await lead.get('/api/cases?region=Northeast&sort=age&limit=2&offset=2').expect(200)).body;
    expect([first.total, first.cases.length, second.cases.length]).toEqual([3, 2, 1]);
    expect([...first.cases, ...second.cases].map((c: { id: number }) => c.id)).toEqual(ids);
    // Search by case number and by the applicant's name.
    const byNumber = (await lead.get(`/api/cases?search=${ids[1]}`).expect(200)).body;
    expect(byNumber.cases.map((c: { id: number }) => c.id)).toEqual([ids[1]]);
    expect(byNumber.cases[0].applicantName).toMatch(/^Robin Quaid1 /);
    const byName = (await lead.get(`/api/cases?search=${encodeURIComponent('quaid1')}`).expect(200)).body;
    expect(byName.cases.map((c: { id: number }) => c.id)).toEqual([ids[1]]);

    // Only a lead assigns in bulk; each case goes through its workflow and is audited.
    await plainReviewer.post('/api/cases/assign', { caseIds: ids, toUserId: assigneeUser.user.id }).expect(403);
    const assigned = (
      await lead.post('/api/cases/assign', { caseIds: ids.slice(0, 2), toUserId: assigneeUser.user.id }).expect(200)
    ).body;
    expect(assigned).toEqual({
      assigned: 2,
      results: ids.slice(0, 2).map((caseId) => ({ caseId, assigned: true, error: null })),
    });
    expect((await db('cases').whereIn('id', ids).orderBy('id')).map((c) => c.assignee_user_id)).toEqual([
      assigneeUser.user.id,
      assigneeUser.user.id,
      null,
    ]);
    const audited = await db('audit_log').where({ action: 'case.assigned', actor_user_id: leadUser.user.id });
    expect(audited.map((a) => Number(a.entity_id)).sort()).toEqual(ids.slice(0, 2).sort());
    const timeline = await db('case_events').where({ case_id: ids[0], kind: 'reassigned' });
    expect(timeline).toHaveLength(1);
  });
});
