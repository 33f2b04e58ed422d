/**
 * Issue 18, individual training requests and CPR/First Aid cards, through the API with the real
 * workflow: a request names one of the exceptions the rule set lists (else it is refused with the
 * rule's reason); its approval decides credit from the registry's history by the version in
 * effect on the completion date; a card comes from an accepted national model with its scan, and
 * shows on the staff report as unverified until a reviewer verifies it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import { localDateOf } from '../../rules/dates.js';
import type { DeadlineRow } from '../../db/rows.js';
import type { RuleSetDocument } from '../../rules/schema.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startWorker } from '../support/worker.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, testApp, type Session } from '../support/app.js';
import { until } from '../support/polling.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let worker: { stop(): Promise<void> };
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  // Each test's reviewer claims the case by hand, so no earlier test's reviewer holds it.
  await database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const taskQueue = `training-requests-${randomUUID()}`;
  temporal = createTemporalGateway({ address: inject('temporalAddress'), namespace: 'default', taskQueue });
  worker = await startWorker(database.db, taskQueue);
  app = testApp(database, redis, temporal).app;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

async function upload(me: Session, purpose: 'training_proof' | 'cpr_card'): Promise<string> {
  const uploaded = await me.agent
    .post('/api/uploads')
    .set('x-csrf-token', me.csrf)
    .field('purpose', purpose)
    .attach('file', PDF, `${purpose}.pdf`)
    .expect(201);
  return uploaded.body.upload.id as string;
}

const caseStatus = async (me: Session, id: number) => (await me.get(`/api/cases/${id}`)).body.case.status as string;

/** Submits a request with proof and waits until it is in review. */
async function aRequestInReview(me: Session, over: Record<string, unknown>): Promise<number> {
  const proof = await upload(me, 'training_proof');
  const id = (
    await me
      .post('/api/cases/training-requests', {
        category: 'college-coursework',
        inRatio: false,
        title: 'Child development I',
        provider: 'Columbia College',
        topic: 'child-development',
        completedOn: '2025-05-10',
        hours: 3,
        delivery: 'in_person',
        proof: [proof],
        ...over,
      })
      .expect(201)
  ).body.case.id as number;
  await until(
    () => caseStatus(me, id),
    (s) => s === 'in_review',
  );
  return id;
}

async function approve(id: number): Promise<void> {
  const reviewer = await signIn(app, await aUser(database.db, ['reviewer']));
  await reviewer.post(`/api/cases/${id}/claim`).expect(200);
  await reviewer
    .post(`/api/cases/${id}/decide`, { decision: 'approved', reasons: ['Transcript checked.'] })
    .expect(200);
}

/** The training record an approved request left, once the decision is committed. */
const recordOfRequest = (professionalId: number, completedOn: string) =>
  until(
    () =>
      database
        .db('training_records')
        .where({ professional_id: professionalId, source: 'individual_request', completed_on: completedOn })
        .first(),
    (row) => row !== undefined,
  );

describe('individual training requests', () => {
  it('offers the exceptions the rule set lists, labelled in the person’s language', async () => {
    const person = await aUser(database.db, ['professional']);
    const me = await signIn(app, person);
    const { body } = await me.get('/api/training-requests/categories').expect(200);
    expect(body.categories).toContainEqual({
      category: 'college-coursework',
      label: 'College coursework in early childhood or a related field',
    });
    await me.put('/api/me/language', { language: 'es' }).expect(200);
    const es = (await me.get('/api/training-requests/categories').expect(200)).body;
    expect(es.categories).toContainEqual({
      category: 'college-coursework',
      label: 'Cursos universitarios en primera infancia o un campo relacionado',
    });
  });

  it('refuses a category the rule set does not list, with the rule’s reason, and one left out', async () => {
    const person = await aUser(database.db, ['professional']);
    const me = await signIn(app, person);
    const base = {
      inRatio: false,
      title: 'Workshop at my church',
      provider: 'First Church',
      topic: 'guidance',
      completedOn: '2025-04-01',
      hours: 2,
      delivery: 'in_person',
      proof: [],
    };
    const unlisted = await me.post('/api/cases/training-requests', { ...base, category: 'church-workshop' });
    expect(unlisted.status).toBe(400);
    expect(unlisted.body.error.fields).toEqual([
      expect.objectContaining({
        field: 'category',
        message: expect.stringContaining('Only the exceptions DESE lists may be submitted'),
      }),
    ]);
    const missing = await me.post('/api/cases/training-requests', base);
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toEqual([expect.objectContaining({ field: 'category' })]);
    const noRatioAnswer = await me.post('/api/cases/training-requests', {
      ...base,
      category: 'college-coursework',
      inRatio: undefined,
    });
    expect(noRatioAnswer.body.error.fields).toEqual([expect.objectContaining({ field: 'inRatio' })]);
    expect(await database.db('cases').where({ applicant_user_id: person.user.id }).count()).toEqual([{ count: 0 }]);
  });

  it('refuses hours earned in ratio with children, by the rule’s reason', async () => {
    const person = await aUser(database.db, ['professional']);
    const me = await signIn(app, person);
    const proof = await upload(me, 'training_proof');
    const id = (
      await me
        .post('/api/cases/training-requests', {
          category: 'school-district-pd',
          inRatio: true,
          title: 'Literacy in the classroom',
          provider: 'Columbia Public Schools',
          topic: 'curriculum',
          completedOn: '2025-02-03',
          hours: 2,
          delivery: 'in_person',
          proof: [proof],
        })
        .expect(201)
    ).body.case.id as number;
    await until(
      () => caseStatus(me, id),
      (s) => s === 'refused',
    );
    const { checkResults } = (await me.get(`/api/cases/${id}`)).body.case;
    expect(checkResults).toContainEqual(
      expect.objectContaining({ check: 'credit-in-ratio-with-children', passed: false }),
    );
  });

  it('earns nothing for a second completion of a DESE course in the year, whichever arrived first', async () => {
    const { db } = database;
    const dese = await aCourse(db, {
      title: 'DESE Health and Safety',
      sponsor: 'DESE OOC',
      delivery: 'online',
      clock_hours: 2,
    });
    const person = await aUser(db, ['professional']);
    const me = await signIn(app, person);
    const id = await aRequestInReview(me, {
      category: 'out-of-state-registry',
      courseId: dese.id,
      title: dese.title,
      provider: 'DESE OOC',
      topic: dese.topic,
      completedOn: '2025-09-01',
      hours: 2,
      delivery: 'online',
    });
    // While the request waits for its reviewer, the earlier completion of the same course is recorded.
    const admin = await signIn(app, await aUser(db, ['admin']));
    const earlier = await admin
      .post('/api/training-records', {
        professionalId: person.professionalId,
        courseId: dese.id,
        completedOn: '2025-03-01',
        source: 'online_course',
      })
      .expect(201);
    expect(earlier.body.record.credited_hours).toBe(2);

    await approve(id);
    const record = await recordOfRequest(person.professionalId!, '2025-09-01');
    expect(Number(record!.credited_hours)).toBe(0);
    expect(record!.credit_reasons.map((r: { code: string }) => r.code)).toEqual([
      'dese-course-already-credited-this-year',
    ]);
    expect(record!.course_id).toBe(dese.id);
    // The earlier one keeps its hours; the approval was audited as the reviewer's record.
    expect(Number((await db('training_records').where({ id: earlier.body.record.id }).first()).credited_hours)).toBe(2);
  });

  it('wakes the deadline an approved request meets', async () => {
    const { db } = database;
    const organization = await anOrganization(db);
    const person = await aUser(db, ['professional']);
    const professional = await db('professionals').where({ id: person.professionalId }).first();
    const hireDate = localDateOf(new Date());
    const employment = await anEmployment(db, professional, organization, hireDate);
    await temporal.startEmploymentDeadlines(employment.id);
    const deadline = await until(
      () =>
        db('deadlines')
          .where({ professional_id: person.professionalId!, requirement: 'infant-safe-sleep' })
          .first<DeadlineRow | undefined>(),
      (d) => d !== undefined,
    );
    const me = await signIn(app, person);
    const id = await aRequestInReview(me, {
      category: 'out-of-state-registry',
      title: 'Safe sleep for infants (Kansas registry)',
      provider: 'Kansas Child Care Training Opportunities',
      topic: 'infant-safe-sleep',
      completedOn: hireDate,
      hours: 1,
    });
    await approve(id);
    const met = await until(
      () => db('deadlines').where({ id: deadline!.id }).first<DeadlineRow | undefined>(),
      (d) => d?.status === 'met',
    );
    expect(met!.met_by_training_record_id).not.toBeNull();
  });
});

describe('CPR/First Aid cards', () => {
  it('refuses an issuer that is not an accepted national model, and a card without its scan', async () => {
    const person = await aUser(database.db, ['professional']);
    const me = await signIn(app, person);
    const { body } = await me.get('/api/cpr-cards/accepted-issuers').expect(200);
    expect(body.issuers).toContain('American Red Cross');
    expect(body.issuers).toHaveLength(7);
    expect(body.expiringWithinDays).toBe(60);

    const scan = await upload(me, 'cpr_card');
    const unknown = await me.post(`/api/professionals/${person.professionalId}/credentials`, {
      issuer: 'Bob’s CPR Shack',
      issuedOn: '2025-06-01',
      expiresOn: '2027-06-01',
      uploadId: scan,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([
      expect.objectContaining({
        field: 'issuer',
        message: expect.stringContaining('not from one of the national models DESE accepts'),
      }),
    ]);
    const noScan = await me.post(`/api/professionals/${person.professionalId}/credentials`, {
      issuer: 'American Red Cross',
      issuedOn: '2025-06-01',
      expiresOn: '2027-06-01',
    });
    expect(noScan.status).toBe(400);
    expect(noScan.body.error.fields).toEqual([expect.objectContaining({ field: 'uploadId' })]);
    expect(await database.db('credentials').where({ professional_id: person.professionalId! })).toEqual([]);
  });

  it('shows a card as unverified until a reviewer verifies it, then verified, expiring and expired', async () => {
    const { db } = database;
    const organization = await anOrganization(db, { name: `Card Center ${randomUUID().slice(0, 6)}` });
    const person = await aUser(db, ['professional']);
    const professional = await db('professionals').where({ id: person.professionalId }).first();
    await anEmployment(db, professional, organization, '2024-01-08');
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: organization.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const me = await signIn(app, person);
    const added = await me
      .post(`/api/professionals/${person.professionalId}/credentials`, {
        issuer: 'american heart association',
        issuedOn: '2025-06-01',
        expiresOn: '2027-06-01',
        uploadId: await upload(me, 'cpr_card'),
      })
      .expect(201);
    const card = added.body.credential;
    // Stored as the rule set spells the model, and unverified.
    expect(card).toMatchObject({ issuer: 'American Heart Association', verification: 'unverified' });

    const boss = await signIn(app, director);
    const report = async (asOf: string) =>
      (await boss.get(`/api/organizations/${organization.id}/staff-report?asOf=${asOf}`).expect(200)).body.report
        .staff[0].cprCard;
    expect(await report('2026-01-15')).toEqual({
      status: 'unverified',
      issuer: 'American Heart Association',
      expiresOn: '2027-06-01',
    });
    const profile = (await me.get(`/api/professionals/${person.professionalId}/profile`).expect(200)).body;
    expect(profile.credentials[0].standing.status).toBe('unverified');

    // Professionals neither see the queue nor verify.
    expect((await me.get('/api/cpr-cards/queue')).status).toBe(403);
    expect((await me.post(`/api/cpr-cards/${card.id}/verification`, { decision: 'verified' })).status).toBe(403);

    const reviewerUser = await aUser(db, ['reviewer']);
    const reviewer = await signIn(app, reviewerUser);
    const queue = (await reviewer.get('/api/cpr-cards/queue').expect(200)).body.cards;
    expect(queue).toContainEqual(expect.objectContaining({ id: card.id, mopd_id: professional.mopd_id }));
    // The reviewer reads the scan.
    await reviewer.get(`/api/uploads/${card.upload_id}`).expect(200);
    const rejectedWithoutWords = await reviewer.post(`/api/cpr-cards/${card.id}/verification`, {
      decision: 'rejected',
    });
    expect(rejectedWithoutWords.status).toBe(400);
    const verified = await reviewer
      .post(`/api/cpr-cards/${card.id}/verification`, { decision: 'verified' })
      .expect(200);
    expect(verified.body.credential).toMatchObject({
      verification: 'verified',
      verified_by_user_id: reviewerUser.user.id,
    });
    expect((await reviewer.post(`/api/cpr-cards/${card.id}/verification`, { decision: 'verified' })).status).toBe(409);
    expect((await reviewer.get('/api/cpr-cards/queue').expect(200)).body.cards).not.toContainEqual(
      expect.objectContaining({ id: card.id }),
    );
    expect(
      await db('audit_log').where({ entity: 'credential', entity_id: String(card.id), action: 'credential.verified' }),
    ).toHaveLength(1);

    expect((await report('2026-01-15')).status).toBe('verified');
    // Within the renewal rule's 60 days it is expiring; after its expiry date, expired.
    expect((await report('2027-05-01')).status).toBe('expiring');
    expect((await report('2027-06-02')).status).toBe('expired');
    const csv = await boss.get(`/api/organizations/${organization.id}/staff-report?asOf=2026-01-15&format=csv`);
    expect(csv.text).toContain(',Verified,2027-06-01');
  });
});

// Last: it publishes a version 2 that stays in effect for the rest of this file.
describe('the rule-set version of an approved request', () => {
  it('decides by the version in effect on the completion date, not the one pinned when the case opened', async () => {
    const { db } = database;
    // Version 2, in effect from 2026-01-01, credits no individual request at all; the case opens under it.
    const v1 = shippedRuleSets[0]!;
    const v2: RuleSetDocument = {
      ...v1,
      version: 2,
      effectiveFrom: '2026-01-01',
      rules: [
        ...v1.rules,
        {
          id: 'credit.test-no-individual-requests',
          scope: 'training',
          description: 'A test version that credits no individual request.',
          source: 'this test',
          conditions: {
            all: [{ fact: 'training', path: '$.source', operator: 'equal', value: 'individual_request' }],
          },
          event: {
            type: 'credit-none',
            params: { reasonCode: 'test-no-requests', reason: 'Version 2 of this test credits no request.' },
          },
        },
      ],
    };
    await db('rule_set_versions').insert({
      rule_set: v2.ruleSet,
      version: 2,
      status: 'published',
      effective_from: v2.effectiveFrom,
      document: JSON.stringify(v2),
      change_note: 'test version 2',
    });
    const person = await aUser(db, ['professional']);
    const me = await signIn(app, person);
    const id = await aRequestInReview(me, { completedOn: '2025-11-20', title: 'Child development II' });
    expect((await db('cases').where({ id }).first())?.rule_set_version).toBe(2);
    await approve(id);
    const record = await recordOfRequest(person.professionalId!, '2025-11-20');
    expect(record).toMatchObject({ credit_rule_set_version: 1, credit_reasons: [] });
    expect(Number(record!.credited_hours)).toBe(3);
  });
});
