/**
 * Approval cases over HTTP against the Temporal dev server with a real worker: submitting, the
 * queue read from PostgreSQL, claiming, refusals as 403/409/400 with the workflow's words, a
 * decision retried with the same idempotency key applied once, and the applicant's view.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { startWorker } from '../support/worker.js';
import { pickReviewerByWorkload } from '../../db/cases.js';
import { createCaseService } from '../../services/cases.js';
import { createRedis } from '../../bin/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anOrganization } from '../support/fixtures.js';
import { aUser, signIn, testApp, type Session } from '../support/app.js';
import { until } from '../support/polling.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
let worker: { stop(): Promise<void> };
const taskQueue = `cases-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  await database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const address = inject('temporalAddress');
  temporal = createTemporalGateway({ address, namespace: 'default', taskQueue });
  worker = await startWorker(database.db, taskQueue);
  app = testApp(database, redis, temporal, { uploadDir: path.join('/tmp', `mopd-cases-${randomUUID()}`) }).app;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

describe('organization claims through the API', () => {
  it('runs from submission through the queue to one decision, with clear refusals', async () => {
    const { db } = database;
    const organization = await anOrganization(db, { name: 'Maple Leaf Preschool', region: 'Central' });
    const applicant = await aUser(db, ['professional']);
    const me: Session = await signIn(app, applicant);
    const reviewerUser = await aUser(db, ['reviewer']);
    const reviewer = await signIn(app, reviewerUser);
    const otherReviewer = await signIn(app, await aUser(db, ['reviewer']));

    const submitted = await me
      .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' })
      .expect(201);
    const id = submitted.body.case.id as number;
    expect(submitted.body.case).toMatchObject({
      type: 'organization_claim',
      status: 'submitted',
      title: 'Maple Leaf Preschool',
      region: 'Central',
    });
    expect(
      (await me.post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' }))
        .status,
    ).toBe(409);
    expect(
      (await me.post('/api/cases/organization-claims', { organizationId: 999999, position: 'Director' })).status,
    ).toBe(404);

    // The queue reads PostgreSQL: the case appears once the workflow has put it in review.
    const queue = await until(
      async () =>
        (await reviewer.get('/api/cases?type=organization_claim&assignee=unassigned&region=Central').expect(200)).body
          .cases as Array<{ id: number; status: string; dueAt: string }>,
      (cases) => cases.some((c) => c.id === id && c.status === 'in_review'),
    );
    expect(queue.find((c) => c.id === id)!.dueAt).not.toBeNull();
    expect((await me.get('/api/cases')).status).toBe(403);

    // Refusals carry the workflow's words.
    const early = await reviewer.post(`/api/cases/${id}/decide`, { decision: 'approved' });
    expect(early.status).toBe(403);
    expect(early.body.error.message).toBe('Claim the case before acting on it');
    expect((await reviewer.post(`/api/cases/${id}/claim`).expect(200)).body.case).toMatchObject({
      status: 'in_review',
      assigneeUserId: reviewerUser.user.id,
    });
    const taken = await otherReviewer.post(`/api/cases/${id}/claim`);
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/Another reviewer holds this case/);
    const noReason = await reviewer.post(`/api/cases/${id}/decide`, { decision: 'denied', reasons: [] });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe('Give the reason for denying, for the applicant to read');

    // A double click: the same Idempotency-Key twice, one decision.
    const decide = () =>
      reviewer.agent
        .post(`/api/cases/${id}/decide`)
        .set('x-csrf-token', reviewer.csrf)
        .set('idempotency-key', 'click-1')
        .send({ decision: 'approved', reasons: ['Confirmed with the licensing office.'] });
    const [first, second] = await Promise.all([decide(), decide()]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(
      await db('case_events').where({ case_id: id, kind: 'approved' }).count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 1 }]);
    const late = await reviewer.post(`/api/cases/${id}/decide`, { decision: 'approved' });
    expect(late.status).toBe(409);

    // The applicant's page: the timeline, the decision, nothing asked of them; and their notifications.
    const page = (await me.get(`/api/cases/${id}`).expect(200)).body;
    expect(page.case).toMatchObject({
      status: 'approved',
      decisionReasons: ['Confirmed with the licensing office.'],
      ruleSetVersion: 1,
    });
    expect(page.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'submitted',
      'checked',
      'review_started',
      'claimed',
      'approved',
    ]);
    expect(page.askedOfYou).toBeNull();
    const notices = (await me.get('/api/notifications').expect(200)).body;
    expect(notices.notifications.map((n: { title: string }) => n.title)).toEqual([
      'Approved: Maple Leaf Preschool',
      'Your organization claim “Maple Leaf Preschool” was received',
    ]);
    expect(notices.unread).toBe(2);
    await me.post(`/api/notifications/${notices.notifications[0].id}/read`).expect(200);
    expect((await me.get('/api/notifications')).body.unread).toBe(1);

    // The approved claim opens the organization's staff report to the new director.
    const director = await signIn(app, applicant);
    expect((await director.get(`/api/organizations/${organization.id}/staff-report`)).status).toBe(200);

    // Another applicant cannot read the case.
    const stranger = await signIn(app, await aUser(db, ['professional']));
    expect((await stranger.get(`/api/cases/${id}`)).status).toBe(404);
  });

  it('lets the applicant answer a request for information, and withdraw', async () => {
    const { db } = database;
    const organization = await anOrganization(db);
    const applicant = await aUser(db, ['professional']);
    const me = await signIn(app, applicant);
    const reviewer = await signIn(app, await aUser(db, ['reviewer']));
    const id = (
      await me
        .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Owner' })
        .expect(201)
    ).body.case.id as number;
    await until(
      async () => (await me.get(`/api/cases/${id}`)).body.case.status as string,
      (s) => s === 'in_review',
    );
    await reviewer.post(`/api/cases/${id}/claim`).expect(200);
    expect(
      (
        await reviewer
          .post(`/api/cases/${id}/request-information`, { message: 'Please send the license certificate.' })
          .expect(200)
      ).body.case.status,
    ).toBe('information_requested');
    const page = (await me.get(`/api/cases/${id}`).expect(200)).body;
    expect(page.askedOfYou).toBe('Please send the license certificate.');
    const notTheirs = await reviewer.post(`/api/cases/${id}/answer`, { message: 'Not mine to answer' });
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.error.message).toBe('Only the applicant answers a request for information');
    expect((await me.post(`/api/cases/${id}/answer`, { message: 'Attached.' }).expect(200)).body.case.status).toBe(
      'in_review',
    );
    // Messages go both ways and tell the other side.
    await me.post(`/api/cases/${id}/messages`, { body: 'Is a scan of the certificate enough?' }).expect(201);
    await reviewer.post(`/api/cases/${id}/messages`, { body: 'Yes, a clear scan is fine.' }).expect(201);
    expect((await me.post(`/api/cases/${id}/messages`, { body: ' ' })).status).toBe(400);
    const stranger = await signIn(app, await aUser(db, ['professional']));
    expect((await stranger.post(`/api/cases/${id}/messages`, { body: 'Hello' })).status).toBe(404);
    const thread = (await me.get(`/api/cases/${id}`).expect(200)).body.messages.map((m: { body: string }) => m.body);
    expect(thread).toEqual([
      'Please send the license certificate.',
      'Attached.',
      'Is a scan of the certificate enough?',
      'Yes, a clear scan is fine.',
    ]);
    expect((await me.get('/api/notifications')).body.notifications[0].title).toMatch(/^New message: /);
    expect(
      (await me.post(`/api/cases/${id}/withdraw`, { reason: 'Sold the center.' }).expect(200)).body.case.status,
    ).toBe('withdrawn');
    expect((await me.get('/api/cases/mine').expect(200)).body.cases[0]).toMatchObject({ id, status: 'withdrawn' });
  });
});

describe('a reviewer who applies', () => {
  it('is never given their own case, and cannot claim or decide it', async () => {
    const { db } = database;
    const organization = await anOrganization(db, { name: 'Cedar Hollow Preschool', region: 'Southwest' });
    const both = await aUser(db, ['professional', 'reviewer']);
    const applicant = await signIn(app, both);
    const id = (
      await applicant
        .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' })
        .expect(201)
    ).body.case.id as number;
    await until(
      async () => db('cases').where({ id }).first<{ status: string }>('status'),
      (c) => c?.status === 'in_review',
    );
    // Assignment by workload passes over the applicant, though they hold fewer cases than the
    // only other reviewer (who holds this one, in the database only).
    const busy = await aUser(db, ['reviewer']);
    await db('user_roles').where({ role: 'reviewer' }).whereNotIn('user_id', [both.user.id, busy.user.id]).delete();
    await db('cases').where({ id }).update({ assignee_user_id: busy.user.id });
    expect(await pickReviewerByWorkload(db, (await db('cases').where({ id }).first())!)).toBe(busy.user.id);
    const claimed = await applicant.post(`/api/cases/${id}/claim`);
    expect(claimed.status).toBe(403);
    expect(claimed.body.error.message).toBe('This is your own application: another reviewer decides it');
    const decided = await applicant.post(`/api/cases/${id}/decide`, { decision: 'approved' });
    expect(decided.status).toBe(403);
    expect(
      await db('case_events')
        .where({ case_id: id })
        .whereIn('kind', ['claimed', 'approved'])
        .count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 0 }]);
  });
});

describe('a refusal from inside an update', () => {
  it("answers a decision its activity refused with the service's failure type and words, not Temporal's wrapper", async () => {
    const { db } = database;
    const organization = await anOrganization(db, { name: 'Two Rivers Preschool', region: 'Central' });
    const me = await signIn(app, await aUser(db, ['professional']));
    const reviewerUser = await aUser(db, ['reviewer']);
    const reviewer = await signIn(app, reviewerUser);
    const id = (
      await me
        .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' })
        .expect(201)
    ).body.case.id as number;
    await until(
      async () => (await reviewer.get(`/api/cases/${id}`).expect(200)).body.case.status as string,
      (status) => status === 'in_review',
    );
    await reviewer.post(`/api/cases/${id}/claim`).expect(200);
    // A decision already in the database that the workflow has not heard of: the update's
    // validator lets the click through (the case is in review as far as the workflow knows), and
    // its decideCase activity is refused by the one-decision constraint as a Conflict.
    await createCaseService({ db, publicUrl: 'http://mopd.test' }).decideCase({
      caseId: id,
      reviewerUserId: reviewerUser.user.id,
      decision: 'denied',
      reasons: ['Decided elsewhere.'],
      at: new Date().toISOString(),
      key: `elsewhere-${id}`,
    });
    const refused = await reviewer.post(`/api/cases/${id}/decide`, { decision: 'approved', reasons: ['Checked.'] });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      type: 'Conflict',
      message: `Case ${id} is already decided; a second decision is not recorded`,
    });
    expect(
      await db('case_events').where({ case_id: id }).whereIn('kind', ['approved', 'denied']).pluck('kind'),
    ).toEqual(['denied']);
  });
});

describe('fifty decisions at once', () => {
  it('the assignee clicks approve and deny fifty times at once, each with its own key: one decision, one email, the others refused', async () => {
    const { db } = database;
    const organization = await anOrganization(db, { name: 'Racing Oaks Child Center', region: 'Central' });
    const applicant = await aUser(db, ['professional']);
    const me = await signIn(app, applicant);
    const reviewer = await signIn(app, await aUser(db, ['reviewer']));
    const id = (
      await me
        .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' })
        .expect(201)
    ).body.case.id as number;
    await until(
      async () => (await reviewer.get(`/api/cases/${id}`).expect(200)).body.case.status as string,
      (status) => status === 'in_review',
    );
    await reviewer.post(`/api/cases/${id}/claim`).expect(200);

    const decide = (n: number) =>
      reviewer.agent
        .post(`/api/cases/${id}/decide`)
        .set('x-csrf-token', reviewer.csrf)
        .set('idempotency-key', `race-${n}`)
        .send(
          n % 2 === 0
            ? { decision: 'approved', reasons: ['Checked.'] }
            : { decision: 'denied', reasons: ['Not the owner.'] },
        );
    const answers = await Promise.all(Array.from({ length: 50 }, (_, n) => decide(n)));
    // Temporal takes a few updates of one workflow in flight at a time; past that (on a busy machine)
    // the API answers 503 with Retry-After, and the click sent again then is refused as too late.
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200 && s !== 409 && s !== 503)).toEqual([]);
    for (const [n, answer] of answers.entries()) {
      if (answer.status !== 503) continue;
      expect(answer.headers['retry-after']).toBeDefined();
      expect((await decide(n)).status).toBe(409);
    }
    const winner = answers.find((a) => a.status === 200)!.body.case.status as string;
    expect(['approved', 'denied']).toContain(winner);
    expect((await db('cases').where({ id }).first())?.status).toBe(winner);
    const decisions = await db('case_events')
      .where({ case_id: id })
      .whereIn('kind', ['approved', 'denied'])
      .select('kind');
    expect(decisions).toEqual([{ kind: winner }]);
    // The applicant is told once, of the decision that won. A denial's notice says "Not
    // approved: …" (either click may win the race). The email is put in the outbox in the
    // decision's own transaction (services/cases.ts), which commits before its update answers;
    // every click has been answered above (each 503 sent again and refused), so a second email,
    // had any click written one, would be there already: no wait is needed before counting.
    const decisionEmails = () =>
      db('outbox')
        .where({ to_address: applicant.user.email })
        .andWhere((q) => q.whereILike('subject', 'approved:%').orWhereILike('subject', 'not approved:%'))
        .pluck('subject');
    expect(await decisionEmails()).toEqual([
      expect.stringMatching(winner === 'approved' ? /^Approved: / : /^Not approved: /),
    ]);
  });
});

describe('case settings', () => {
  it('lets an admin change service levels and the calendar, with clear errors', async () => {
    const { db } = database;
    const admin = await signIn(app, await aUser(db, ['admin']));
    const bad = await admin.agent
      .put('/api/admin/case-settings')
      .set('x-csrf-token', admin.csrf)
      .send({
        businessCalendar: {
          timeZone: 'America/Chicago',
          workingDays: [1, 2, 3, 4, 5],
          opensAt: '17:00',
          closesAt: '08:00',
          holidays: [],
        },
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual([
      expect.objectContaining({ field: 'businessCalendar.closesAt', message: 'must be after the opening time' }),
    ]);
    await admin.agent
      .put('/api/admin/case-settings')
      .set('x-csrf-token', admin.csrf)
      .send({ serviceLevels: { organization_claim: { decideWithinWorkingDays: 3, escalateAfterWorkingDays: 1 } } })
      .expect(200);
    const settings = (await admin.get('/api/admin/case-settings').expect(200)).body;
    expect(settings.serviceLevels.organization_claim).toEqual({
      decideWithinWorkingDays: 3,
      escalateAfterWorkingDays: 1,
    });
    expect(settings.serviceLevels.trainer_application).toEqual({
      decideWithinWorkingDays: 10,
      escalateAfterWorkingDays: 2,
    });
    expect(settings.businessCalendar.holidays).toContain('2026-11-26');
    expect(
      await db('audit_log')
        .where({ action: 'setting.changed', entity_id: 'case_service_levels' })
        .count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 1 }]);

    const reviewer = await aUser(db, ['reviewer']);
    await admin.agent
      .put(`/api/admin/users/${reviewer.user.id}/reviewer-profile`)
      .set('x-csrf-token', admin.csrf)
      .send({ isLead: true, regions: ['Central'] })
      .expect(200);
    expect(await db('reviewer_profiles').where({ user_id: reviewer.user.id }).first()).toMatchObject({
      is_lead: true,
      regions: ['Central'],
      case_types: [],
    });
    const notReviewer = await aUser(db, ['professional']);
    expect(
      (
        await admin.agent
          .put(`/api/admin/users/${notReviewer.user.id}/reviewer-profile`)
          .set('x-csrf-token', admin.csrf)
          .send({ isLead: false })
      ).status,
    ).toBe(400);
  });
});
