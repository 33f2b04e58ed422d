/**
 * The case invariants the database states (migration 025), where the checks before an insert
 * cannot see a twin in flight: the same submission sent several times at once makes one case, and two
 * decisions of one case at once record one.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createCase } from '../../db/cases.js';
import { createCaseService } from '../../services/cases.js';
import { DomainError } from '../../services/errors.js';
import { caseWorkflowId } from '../../services/workflowClient.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { anOrganization } from '../support/fixtures.js';
import { aUser, signIn, type Session } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('case-invariants', {
    uploadDir: path.join('/tmp', `mopd-case-invariants-${randomUUID()}`),
  });
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

async function uploadPdf(who: Session, name: string): Promise<string> {
  const pdf = Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF`);
  const uploaded = await who.agent
    .post('/api/uploads')
    .set('x-csrf-token', who.csrf)
    .field('purpose', 'document')
    .attach('file', pdf, name);
  expect(uploaded.status).toBe(201);
  return uploaded.body.upload.id as string;
}

describe('one open case per person and subject', () => {
  it('makes one organization claim of the same claim sent five times at once, refusing the rest as the check does', async () => {
    const organization = await anOrganization(database.db, { name: 'Twin Oaks Learning Center' });
    const me = await signIn(app, await aUser(database.db, ['professional']));
    const claim = { organizationId: organization.id, position: 'Director' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => me.post('/api/cases/organization-claims', claim)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const created = answers.find((a) => a.status === 201)!.body.case.id as number;
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body.error).toMatchObject({
        type: 'Conflict',
        message: `You already have an open claim on Twin Oaks Learning Center (case ${created})`,
        fields: [expect.objectContaining({ field: 'organizationId' })],
      });
    }
    expect(
      await database
        .db('cases')
        .where({ type: 'organization_claim', organization_id: organization.id })
        .count('* as n'),
    ).toEqual([{ n: 1 }]);
  });

  it('makes one micro-credential case of the same evidence sent five times at once', async () => {
    const applicant = await aUser(database.db, ['professional']);
    const me = await signIn(app, applicant);
    const evidence = {
      credentialId: 'safe-sleep-practice',
      reflection:
        'I put every infant down on their back in an empty crib and check on them every fifteen minutes. '.repeat(6),
      documents: [{ uploadId: await uploadPdf(me, 'crib.pdf') }],
    };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => me.post('/api/cases/micro-credentials', evidence)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error.message).toMatch(
      /^You already have evidence for “.+” under review \(case \d+\)$/,
    );
    expect(
      await database
        .db('cases')
        .where({ type: 'micro_credential', applicant_user_id: applicant.user.id })
        .count('* as n'),
    ).toEqual([{ n: 1 }]);
  });
});

describe('one decision per case', () => {
  it('records one of two decisions made at once, and grants once', async () => {
    const { db } = database;
    const trainer = await aUser(db, ['trainer']);
    const reviewer = await aUser(db, ['reviewer']);
    const submission = {
      title: 'Twice Approved?',
      description: 'Outdoor play.',
      sponsor: 'MOPD',
      topic: 'health-safety',
      level: 'introductory',
      clockHours: 2,
      delivery: 'in_person',
      feeCents: 0,
      materials: '',
    };
    const c = await db.transaction((trx) =>
      createCase(trx, {
        type: 'course_approval',
        applicantUserId: trainer.user.id,
        title: submission.title,
        submission,
        documents: [],
        ruleSet: COMPLIANCE_RULE_SET,
        ruleSetVersion: 1,
        workflowIdOf: (id) => caseWorkflowId('course_approval', id),
      }),
    );
    const cases = createCaseService({ db, publicUrl: 'http://mopd.test' });
    const decide = (key: string) =>
      cases.decideCase({
        caseId: c.id,
        reviewerUserId: reviewer.user.id,
        decision: 'approved',
        reasons: [],
        at: new Date().toISOString(),
        key,
      });
    const outcomes = await Promise.allSettled([decide(`decide-a-${c.id}`), decide(`decide-b-${c.id}`)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refusal = (outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason;
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({
      type: 'Conflict',
      message: `Case ${c.id} is already decided; a second decision is not recorded`,
    });
    expect(
      await db('case_events').where({ case_id: c.id }).whereIn('kind', ['approved', 'denied']).count('* as n'),
    ).toEqual([{ n: 1 }]);
    expect(await db('courses').where({ approved_by_case_id: c.id }).count('* as n')).toEqual([{ n: 1 }]);
  });
});
