/**
 * Corrections and voids of training records through the API (issue 18): who may, what is kept,
 * what is decided again, and who is told.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { Db } from '../../db/connection.js';
import type { CourseRow, OrganizationRow } from '../../db/rows.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { patchTrainingRecordsById, postTrainingRecordsByIdVoid } from '../../api/responses/trainingRecords.js';

let http: HttpApp;
let app: Express;
let db: Db;
let admin: Session;
let reviewer: Session;
let dese: CourseRow;
let twelve: CourseRow;
let center: OrganizationRow;

beforeAll(async () => {
  http = await startHttpApp('record-corrections');
  ({ app } = http);
  db = http.database.db;
  admin = await signIn(app, await aUser(db, ['admin']));
  reviewer = await signIn(app, await aUser(db, ['reviewer']));
  dese = await aCourse(db, {
    title: 'DESE Health and Safety',
    sponsor: 'DESE OOC',
    delivery: 'online',
    clock_hours: 2,
  });
  twelve = await aCourse(db, { title: 'Twelve Hours', sponsor: 'Child Care Aware', clock_hours: 12 });
  center = await anOrganization(db, { licensed: true, serves_infants: false });
});
afterAll(async () => {
  await http?.close();
});

/** A person with an account (to be told in the app), hired in 2025. */
async function aPerson() {
  const account = await aUser(db, ['professional']);
  const professional = await db('professionals').where({ id: account.professionalId }).first();
  await anEmployment(db, professional, center, '2025-01-06');
  return { id: account.professionalId!, email: professional.email as string, userId: account.user.id, account };
}

async function record(professionalId: number, courseId: number, completedOn: string, source = 'attendance') {
  const res = await admin.post('/api/training-records', { professionalId, courseId, completedOn, source }).expect(201);
  return res.body.record as { id: number; credited_hours: number };
}

describe('voiding a training record', () => {
  it('keeps it voided with its reason, decides the next completion again, and tells the person', async () => {
    const person = await aPerson();
    const first = await record(person.id, dese.id, '2025-03-01', 'online_course');
    const second = await record(person.id, dese.id, '2025-09-01', 'online_course');
    expect(second.credited_hours).toBe(0);

    const res = await admin
      .post(`/api/training-records/${first.id}/void`, { reason: 'Entered for the wrong person' })
      .expect(200);
    expect(postTrainingRecordsByIdVoid.parse(res.body)).toBeTruthy();
    expect(res.body.record).toMatchObject({
      id: first.id,
      credited_hours: 0,
      void_reason: 'Entered for the wrong person',
    });
    expect(res.body.record.voided_at).toEqual(expect.any(String));
    // The September completion is the first of the year now: re-decided, with its earlier decision kept.
    expect(res.body.redecided).toEqual([
      expect.objectContaining({ id: second.id, creditedBefore: 0, creditedAfter: 2 }),
    ]);
    const versions = (await admin.get(`/api/training-records/${second.id}/versions`).expect(200)).body.versions;
    expect(versions).toEqual([
      expect.objectContaining({
        kind: 'redecided',
        reason: expect.stringMatching(/^re-decided because record \d+ .* was voided: Entered for the wrong person$/),
        before: expect.objectContaining({ credited_hours: 0 }),
      }),
    ]);
    const voidVersions = (await admin.get(`/api/training-records/${first.id}/versions`).expect(200)).body.versions;
    expect(voidVersions).toEqual([expect.objectContaining({ kind: 'voided', reason: 'Entered for the wrong person' })]);
    expect(await db('audit_log').where({ action: 'training_record.voided', entity_id: String(first.id) })).toHaveLength(
      1,
    );
    // The transcript shows it voided, with the reason.
    const transcript = (await admin.get(`/api/professionals/${person.id}/transcript`).expect(200)).body;
    expect(transcript.trainingRecords.find((r: { id: number }) => r.id === first.id)).toMatchObject({
      void_reason: 'Entered for the wrong person',
      credited_hours: 0,
    });
    // Told in the app and by email.
    const notes = await db('notifications').where({ user_id: person.userId });
    expect(notes.map((n) => n.title)).toContain('A training record of yours was voided');
    const mail = await db('outbox').where({ to_address: person.email, template: 'training-record-notice' });
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('A training record of yours was voided');
    expect(mail[0]!.body_text).toContain('Entered for the wrong person');

    // A voided record is not changed again.
    await admin.post(`/api/training-records/${first.id}/void`, { reason: 'again' }).expect(409);
    await admin.patch(`/api/training-records/${first.id}`, { hours: 1, reason: 'again' }).expect(409);
  });

  it('tells the person when their compliance turns', async () => {
    const person = await aPerson();
    const only = await record(person.id, twelve.id, '2025-04-01');
    const before = await db('compliance_results').where({ professional_id: person.id }).first();
    const res = await admin.post(`/api/training-records/${only.id}/void`, { reason: 'No sign-in sheet' }).expect(200);
    // Twelve hours met 2025; without them 2025 is short, and the person is no longer compliant.
    expect(before.compliant).toBe(true);
    expect(res.body.compliance.compliant).toBe(false);
    expect(res.body.complianceTurned).toBe(true);
    const mail = await db('outbox').where({ to_address: person.email, template: 'training-record-notice' });
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body_text).toContain('no longer meet every training requirement');
    const notes = await db('notifications').where({ user_id: person.userId });
    expect(notes[0]!.body).toContain('no longer meet every training requirement');
  });
});

describe('correcting a training record', () => {
  it('moves a DESE completion before another of its year: the credit moves with it', async () => {
    const person = await aPerson();
    const march = await record(person.id, dese.id, '2025-03-01', 'online_course');
    const september = await record(person.id, dese.id, '2025-09-01', 'online_course');
    const res = await admin
      .patch(`/api/training-records/${september.id}`, { completedOn: '2025-02-01', reason: 'Date typed wrong' })
      .expect(200);
    expect(patchTrainingRecordsById.parse(res.body)).toBeTruthy();
    expect(res.body.record).toMatchObject({ completed_on: '2025-02-01', credited_hours: 2 });
    expect(res.body.redecided).toEqual([
      expect.objectContaining({ id: march.id, creditedBefore: 2, creditedAfter: 0 }),
    ]);
    const versions = (await admin.get(`/api/training-records/${september.id}/versions`).expect(200)).body.versions;
    expect(versions[0]).toMatchObject({ kind: 'corrected', reason: 'Date typed wrong' });
    expect(versions[0].before).toMatchObject({ completed_on: '2025-09-01', credited_hours: 0 });
    const audits = await db('audit_log').where({ action: 'training_record.redecided', entity_id: String(march.id) });
    expect(audits.at(-1).after.reason).toMatch(/^re-decided because record \d+ .* was corrected: Date typed wrong$/);
    const mail = await db('outbox').where({ to_address: person.email, template: 'training-record-notice' });
    expect(mail.map((m) => m.subject)).toContain('A training record of yours was corrected');
  });

  it('corrects hours and course, deciding the credit again', async () => {
    const person = await aPerson();
    const other = await aCourse(db, { title: 'Other Course', sponsor: 'Child Care Aware', clock_hours: 4 });
    const r = await record(person.id, twelve.id, '2025-05-01');
    const res = await admin
      .patch(`/api/training-records/${r.id}`, { courseId: other.id, hours: 3, reason: 'Wrong course chosen' })
      .expect(200);
    expect(res.body.record).toMatchObject({ course_id: other.id, title: 'Other Course', hours: 3, credited_hours: 3 });
  });

  it('refuses a correction without a reason, or with nothing to correct, naming the field', async () => {
    const person = await aPerson();
    const r = await record(person.id, twelve.id, '2025-05-01');
    const noReason = await admin.patch(`/api/training-records/${r.id}`, { hours: 2 }).expect(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const nothing = await admin.patch(`/api/training-records/${r.id}`, { reason: 'because' }).expect(400);
    expect(JSON.stringify(nothing.body)).toContain('give the date, the hours or the course');
    await admin.patch(`/api/training-records/${r.id}`, { hours: 20, reason: 'too many' }).expect(400);
    await admin.post(`/api/training-records/${r.id}/void`, { reason: '  ' }).expect(400);
    await admin.patch('/api/training-records/99999999', { hours: 1, reason: 'none' }).expect(404);
  });
});

describe('who may correct or void', () => {
  it('lets a reviewer change records from individual requests only, and no one else', async () => {
    const person = await aPerson();
    const fromRequest = await record(person.id, twelve.id, '2025-06-01', 'individual_request');
    const fromAttendance = await record(person.id, twelve.id, '2025-07-01');
    await reviewer
      .patch(`/api/training-records/${fromRequest.id}`, { hours: 6, reason: 'Certificate says 6' })
      .expect(200);
    await reviewer.patch(`/api/training-records/${fromAttendance.id}`, { hours: 6, reason: 'no' }).expect(404);
    await reviewer.post(`/api/training-records/${fromAttendance.id}/void`, { reason: 'no' }).expect(404);
    const self = await signIn(app, person.account);
    await self.patch(`/api/training-records/${fromRequest.id}`, { hours: 1, reason: 'mine' }).expect(403);
    await self.post(`/api/training-records/${fromRequest.id}/void`, { reason: 'mine' }).expect(403);
    await reviewer.post(`/api/training-records/${fromRequest.id}/void`, { reason: 'Duplicate request' }).expect(200);
  });
});
