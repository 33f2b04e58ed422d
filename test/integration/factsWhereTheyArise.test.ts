/**
 * Issue 18, facts taken where they arise: whether hours were earned in ratio with children comes
 * from the trainer's attendance (per participant, with the event's default); whether an online
 * module was used for a group comes from the catalog (an event of an on-demand course) or from the
 * director who enrolls a group. Over HTTP against PostgreSQL; the credit is the rule set's, and
 * nobody answers either fact for themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createEvent } from '../../db/events.js';
import { createRegistrations } from '../../services/registrations.js';
import { createOnlineCourses, type CourseContent } from '../../services/onlineCourses.js';
import type { CourseRow } from '../../db/rows.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, type Session, type TestUser } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;
let clockOffsetMs = 0;

beforeAll(async () => {
  http = await startHttpApp('facts-where-they-arise', { clock: () => new Date(Date.now() + clockOffsetMs) });
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

const IN_RATIO = 'Clock hours cannot be earned while you are counted in ratio with children.';
const GROUP = 'Online modules cannot be used for group training, so this session earns no clock hours.';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const place = { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: 'Central' as const, zip: '65201' };

async function aTrainer(): Promise<{ trainer: TestUser; as: Session }> {
  const trainer = await aUser(database.db, ['trainer']);
  await database.db('trainers').insert({ user_id: trainer.user.id, approved_until: '2099-12-31' });
  return { trainer, as: await signIn(app, trainer) };
}

/** An event of the course held this morning (one 3-hour session) with people registered last week. */
async function aHeldEvent(trainer: TestUser, course: CourseRow, people: Array<{ id: number }>) {
  const { db } = database;
  const event = await createEvent(db, {
    course,
    trainerUserId: trainer.user.id,
    place: course.delivery === 'online' ? null : place,
    onlineUrl: course.delivery === 'online' ? 'https://meet.example/room' : null,
    capacity: 30,
    sessions: [{ title: 'Morning', startsAt: hoursAgo(8), endsAt: hoursAgo(5), hours: 3 }],
  });
  const registrations = createRegistrations({ db, publicUrl: 'http://mopd.test', now: () => hoursAgo(24 * 7) });
  const registrationIds: number[] = [];
  for (const person of people) {
    const { registrationId } = await registrations.register({
      eventId: event.id,
      professionalId: person.id,
      byUserId: trainer.user.id,
    });
    registrationIds.push(registrationId);
  }
  const sessionId = Number((await db('event_sessions').where({ event_id: event.id }).first('id'))!.id);
  return { event, registrationIds, sessionId };
}

const content: CourseContent = {
  passMarkPercent: 50,
  modules: [
    { title: 'Part one', body: 'Read this.' },
    { title: 'Part two', body: 'And this.' },
  ],
  questions: [{ prompt: 'Two plus two?', choices: ['3', '4'], correctChoice: 1 }],
};

/** An on-demand online course (modules and a knowledge check), 1 minute minimum. */
async function anOnDemandCourse(trainerUserId: number | null = null) {
  const { db } = database;
  const course = await aCourse(db, {
    title: 'Guidance Online',
    delivery: 'online',
    topic: 'guidance',
    clock_hours: 2,
    minimum_minutes: 1,
    sponsor: 'Test sponsor',
    fee_cents: 0,
    trainer_user_id: trainerUserId,
  });
  await createOnlineCourses({ db }).saveContent({ courseId: course.id, content, byUserId: null });
  return course;
}

const recordOf = (eventId: number, professionalId: number) =>
  database.db('training_records').where({ event_id: eventId, professional_id: professionalId }).first();

describe('in ratio with children: the trainer’s attendance says', () => {
  it('a participant marked in ratio earns nothing with the rule’s reason, on the sheet and the transcript; the others earn', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const course = await aCourse(db, { title: 'Positive Guidance', topic: 'guidance', clock_hours: 3 });
    const learner = await aUser(db, ['professional']);
    const other = await aProfessional(db, { firstName: 'Out', lastName: 'OfRatio' });
    const { event, registrationIds, sessionId } = await aHeldEvent(trainer, course, [
      { id: learner.professionalId! },
      other,
    ]);
    const put = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [
          { registrationId: registrationIds[0], sessionId, status: 'present', inRatio: true },
          { registrationId: registrationIds[1], sessionId, status: 'present', inRatio: false },
        ],
      })
      .expect(200);
    const marked = put.body.sheet.registrants.find(
      (r: { registrationId: number }) => r.registrationId === registrationIds[0],
    );
    expect(marked.marks).toEqual([{ sessionId, status: 'present', hours: 3, inRatio: true }]);
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);

    const inRatio = await recordOf(event.id, learner.professionalId!);
    expect([Number(inRatio.hours), Number(inRatio.credited_hours), inRatio.in_ratio]).toEqual([3, 0, true]);
    expect(inRatio.credit_reasons).toEqual([
      { ruleId: 'credit.not-while-in-ratio', code: 'in-ratio-with-children', text: IN_RATIO },
    ]);
    const out = await recordOf(event.id, other.id);
    expect([Number(out.credited_hours), out.in_ratio]).toEqual([3, false]);

    // The learner's own transcript shows the reason.
    const self = await signIn(app, learner);
    const transcript = (await self.get(`/api/professionals/${learner.professionalId}/training-records`).expect(200))
      .body.trainingRecords;
    expect(transcript).toEqual([
      expect.objectContaining({ credited_hours: 0, credit_reasons: [expect.objectContaining({ text: IN_RATIO })] }),
    ]);
  });

  it('a correction to "in ratio" takes the credit away and keeps it away when the year is decided again', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const course = await aCourse(db, { topic: 'guidance', clock_hours: 3 });
    const person = await aProfessional(db);
    const { event, registrationIds, sessionId } = await aHeldEvent(trainer, course, [person]);
    await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: registrationIds[0], sessionId, status: 'present' }],
      })
      .expect(200);
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);
    expect(Number((await recordOf(event.id, person.id)).credited_hours)).toBe(3);

    const corrected = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: registrationIds[0], sessionId, status: 'present', inRatio: true }],
        reason: 'She was covering the toddler room during the training',
      })
      .expect(200);
    expect(corrected.body.issued).toEqual([
      { professionalId: person.id, change: 'corrected', recordId: expect.any(Number) },
    ]);
    const after = await recordOf(event.id, person.id);
    expect([Number(after.credited_hours), after.in_ratio]).toEqual([0, true]);
    expect(after.credit_reasons.map((r: { code: string }) => r.code)).toEqual(['in-ratio-with-children']);

    // Another completion of the course that year decides this one again: it stays at 0.
    const second = await aHeldEvent(trainer, course, [person]);
    await as
      .put(`/api/events/${second.event.id}/attendance`, {
        marks: [{ registrationId: second.registrationIds[0], sessionId: second.sessionId, status: 'present' }],
      })
      .expect(200);
    await as.post(`/api/events/${second.event.id}/attendance/complete`).expect(200);
    expect(Number((await recordOf(event.id, person.id)).credited_hours)).toBe(0);
  });

  it('"held in a classroom with children" makes in ratio the default; the trainer’s answer per person wins', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const course = await aCourse(db, { topic: 'guidance', clock_hours: 3 });
    const a = await aProfessional(db);
    const b = await aProfessional(db);
    const { event, registrationIds, sessionId } = await aHeldEvent(trainer, course, [a, b]);
    const { body } = await as
      .put(`/api/events/${event.id}/attendance`, {
        heldWithChildren: true,
        marks: [
          { registrationId: registrationIds[0], sessionId, status: 'present' },
          { registrationId: registrationIds[1], sessionId, status: 'present', inRatio: false },
        ],
      })
      .expect(200);
    expect(body.sheet.event.heldWithChildren).toBe(true);
    const inRatio = (registrationId: number) =>
      body.sheet.registrants.find((r: { registrationId: number }) => r.registrationId === registrationId).marks[0]
        .inRatio;
    expect([inRatio(registrationIds[0]!), inRatio(registrationIds[1]!)]).toEqual([true, false]);
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);
    expect(Number((await recordOf(event.id, a.id)).credited_hours)).toBe(0);
    expect(Number((await recordOf(event.id, b.id)).credited_hours)).toBe(3);
  });

  it('nobody says it of themselves: a participant cannot mark attendance, nor a trainer their own registration', async () => {
    const { db } = database;
    const course = await aCourse(db, { topic: 'guidance', clock_hours: 3 });
    // A trainer who is also a professional, registered at their own event.
    const trainer = await aUser(db, ['trainer', 'professional']);
    const as = await signIn(app, trainer);
    const learner = await aUser(db, ['professional']);
    const { event, registrationIds, sessionId } = await aHeldEvent(trainer, course, [
      { id: trainer.professionalId! },
      { id: learner.professionalId! },
    ]);
    const own = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: registrationIds[0], sessionId, status: 'present', inRatio: false }],
      })
      .expect(403);
    expect(own.body.error.fields?.[0]?.field ?? own.body.error.field).toBe('marks.0.registrationId');
    const self = await signIn(app, learner);
    await self
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: registrationIds[1], sessionId, status: 'present', inRatio: false }],
      })
      .expect(403);
    expect(await db('attendance').whereIn('registration_id', registrationIds)).toEqual([]);
    // The admin's training-record route takes no such fact from a learner either: it is admins only.
    await self
      .post('/api/training-records', {
        professionalId: learner.professionalId,
        courseId: course.id,
        completedOn: '2026-03-02',
        inRatio: false,
      })
      .expect(403);
  });
});

describe('online modules used for group training', () => {
  it('an event of an on-demand course is refused when scheduled, with the rule’s reason; a live online course is not', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const onDemand = await anOnDemandCourse(trainer.user.id);
    const live = await aCourse(db, { delivery: 'online', trainer_user_id: trainer.user.id, topic: 'guidance' });
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const body = {
      capacity: 20,
      onlineUrl: 'https://meet.example/room',
      sessions: [{ title: '', startsAt: `${day}T09:00:00-05:00`, endsAt: `${day}T11:00:00-05:00`, hours: 2 }],
    };
    const refused = await as.post('/api/events', { ...body, courseId: onDemand.id }).expect(409);
    expect(refused.body.error.message).toBe(GROUP);
    expect(await db('events').where({ course_id: onDemand.id })).toEqual([]);
    const created = await as.post('/api/events', { ...body, courseId: live.id }).expect(201);
    expect((await db('events').where({ id: created.body.event.id }).first())?.online_module_group).toBe(false);
  });

  it('a group session that exists anyway (scheduled before the rule) earns nothing through attendance, with the reason', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const onDemand = await anOnDemandCourse(trainer.user.id);
    const person = await aProfessional(db);
    const { event, registrationIds, sessionId } = await aHeldEvent(trainer, onDemand, [person]);
    expect((await db('events').where({ id: event.id }).first())?.online_module_group).toBe(true);
    const sheet = (
      await as
        .put(`/api/events/${event.id}/attendance`, {
          marks: [{ registrationId: registrationIds[0], sessionId, status: 'present', hours: 2 }],
        })
        .expect(200)
    ).body.sheet;
    expect(sheet.event.onlineModuleGroup).toBe(true);
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);
    const record = await recordOf(event.id, person.id);
    expect([Number(record.credited_hours), record.used_for_group]).toEqual([0, true]);
    expect(record.credit_reasons.map((r: { text: string }) => r.text)).toEqual([GROUP]);
  });

  it('a director enrolling staff as a group is refused with the rule’s reason; the learner cannot say "not a group"', async () => {
    const { db } = database;
    const course = await anOnDemandCourse();
    const organization = await anOrganization(db);
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: organization.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const staff = [await aUser(db, ['professional']), await aUser(db, ['professional'])];
    for (const s of staff)
      await anEmployment(
        db,
        (await db('professionals').where({ id: s.professionalId }).first())!,
        organization,
        '2025-01-06',
      );
    const dir = await signIn(app, director);
    const ids = staff.map((s) => s.professionalId!);
    const refused = await dir.post(`/api/online-courses/${course.id}/group-enrollments`, { professionalIds: ids });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(GROUP);
    expect(await db('enrollments').where({ course_id: course.id })).toEqual([]);
    const stranger = await aProfessional(db);
    await dir
      .post(`/api/online-courses/${course.id}/group-enrollments`, { professionalIds: [ids[0], stranger.id] })
      .expect(403);

    // A learner enrolling alone who claims "not a group" changes nothing; the knowledge check refuses the key.
    const learner = await signIn(app, staff[0]!);
    const { enrollmentId } = (
      await learner.post(`/api/online-courses/${course.id}/enrollments`, { usedForGroup: false }).expect(201)
    ).body;
    expect((await db('enrollments').where({ id: enrollmentId }).first())?.taken_as_group).toBe(false);
    const sneaky = await learner.post(`/api/enrollments/${enrollmentId}/knowledge-check`, {
      answers: [1],
      usedForGroup: false,
    });
    expect(sneaky.status).toBe(400);
  });

  it('an enrollment taken as a group (enrolled when a version allowed it) completes with no credit and the reason', async () => {
    const { db } = database;
    const course = await anOnDemandCourse();
    const director = await aUser(db, ['director']);
    const learnerUser = await aUser(db, ['professional']);
    const learner = await signIn(app, learnerUser);
    const { enrollmentId } = (await learner.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    await db('enrollments')
      .where({ id: enrollmentId })
      .update({ taken_as_group: true, group_enrolled_by_user_id: director.user.id });
    const { modules } = (await learner.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    for (const m of modules) {
      await learner.post(`/api/enrollments/${enrollmentId}/modules/${m.id}/engagement`).expect(200);
      for (let spent = 0; spent < 30; spent += 15) {
        clockOffsetMs += 15_000;
        await learner.post(`/api/enrollments/${enrollmentId}/modules/${m.id}/engagement`).expect(200);
      }
      await learner.post(`/api/enrollments/${enrollmentId}/modules/${m.id}/complete`).expect(200);
    }
    const done = (await learner.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: [1] }).expect(200))
      .body;
    expect(done.passed).toBe(true);
    expect(done.enrollment.record).toMatchObject({ hours: 2, creditedHours: 0 });
    expect(done.enrollment.record.reasons.map((r: { code: string }) => r.code)).toEqual([
      'online-module-used-for-group',
    ]);
    const row = await db('training_records').where({ id: done.enrollment.record.id }).first();
    expect(row.used_for_group).toBe(true);
  });
});
