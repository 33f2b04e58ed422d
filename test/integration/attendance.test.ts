/**
 * Attendance to credit to compliance, over HTTP against PostgreSQL, with a worker on the Temporal
 * dev server for the deadline a training meets: marks per session, completion issuing records
 * whose credit the rule set decides, audited corrections, and conference session choice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createEvent } from '../../db/events.js';
import { createRegistrations } from '../../services/registrations.js';
import type { CourseRow } from '../../db/rows.js';
import { localDateOf } from '../../rules/dates.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { startWorker } from '../support/worker.js';
import { until } from '../support/polling.js';
import {
  aCourse,
  aProfessional,
  anEmployment,
  anInstructorCertification,
  anOrganization,
} from '../support/fixtures.js';
import { aUser, signIn, type Session, type TestUser } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  http = await startHttpApp('attendance');
  ({ database, app } = http);
  worker = await startWorker(database.db, http.taskQueue);
});
afterAll(async () => {
  await worker?.stop();
  await http?.close();
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const place = { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: 'Central' as const, zip: '65201' };

/** An in-person event whose sessions started a few hours ago, with people registered last week. */
async function aHeldEvent(
  trainer: TestUser,
  course: CourseRow,
  people: number,
  sessions = [{ title: 'Morning', startsAt: hoursAgo(8), endsAt: hoursAgo(5), hours: 3 }],
) {
  const { db } = database;
  const event = await createEvent(db, { course, trainerUserId: trainer.user.id, place, capacity: 30, sessions });
  const registrations = createRegistrations({ db, publicUrl: 'http://mopd.test', now: () => hoursAgo(24 * 7) });
  const registrants = [];
  for (let i = 0; i < people; i++) {
    const person = await aProfessional(db, { firstName: `Attendee${i}` });
    const { registrationId } = await registrations.register({
      eventId: event.id,
      professionalId: person.id,
      byUserId: trainer.user.id,
    });
    registrants.push({ person, registrationId });
  }
  const sessionIds: number[] = (
    await db('event_sessions').where({ event_id: event.id }).orderBy('starts_at').pluck('id')
  ).map(Number);
  return { event, registrants, sessionIds };
}

async function aTrainer(): Promise<{ trainer: TestUser; as: Session }> {
  const trainer = await aUser(database.db, ['trainer']);
  return { trainer, as: await signIn(app, trainer) };
}

describe('attendance', () => {
  it('issues records on completion with credit by the rule set, and the hours show in compliance at once', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const course = await aCourse(db, { title: 'Positive Guidance', topic: 'guidance', clock_hours: 6 });
    const { event, registrants, sessionIds } = await aHeldEvent(trainer, course, 3, [
      { title: 'Part 1', startsAt: hoursAgo(30), endsAt: hoursAgo(27), hours: 3 },
      { title: 'Part 2', startsAt: hoursAgo(6), endsAt: hoursAgo(3), hours: 3 },
    ]);
    const [full, partial, absent] = registrants;
    const organization = await anOrganization(db, { licensed: true, serves_infants: false });
    await anEmployment(db, full!.person, organization, `${localDateOf(new Date()).slice(0, 4)}-01-01`);

    // Completing before everyone is marked says who is missing.
    await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: full!.registrationId, sessionId: sessionIds[0]!, status: 'present' }],
      })
      .expect(200);
    const early = await as.post(`/api/events/${event.id}/attendance/complete`).expect(400);
    expect(early.body.error.fields[0].field).toBe('marks');
    expect(early.body.error.message).toContain('Attendee1');

    // Hours beyond the session, and marks for someone not registered, name the field.
    const tooMany = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: partial!.registrationId, sessionId: sessionIds[0]!, status: 'present', hours: 4 }],
      })
      .expect(400);
    expect(tooMany.body.error.fields[0].field).toBe('marks.0.hours');
    const stranger = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: 999_999, sessionId: sessionIds[0]!, status: 'present' }],
      })
      .expect(400);
    expect(stranger.body.error.fields[0].field).toBe('marks.0.registrationId');

    await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [
          { registrationId: full!.registrationId, sessionId: sessionIds[1]!, status: 'present' },
          { registrationId: partial!.registrationId, sessionId: sessionIds[0]!, status: 'present', hours: 2 },
          { registrationId: partial!.registrationId, sessionId: sessionIds[1]!, status: 'absent' },
          { registrationId: absent!.registrationId, sessionId: sessionIds[0]!, status: 'absent' },
          { registrationId: absent!.registrationId, sessionId: sessionIds[1]!, status: 'absent' },
        ],
      })
      .expect(200);
    const completed = await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);
    expect(completed.body.issued.map((i: { change: string }) => i.change).sort()).toEqual([
      'created',
      'created',
      'unchanged',
    ]);

    const records = await db('training_records').where({ event_id: event.id }).orderBy('hours', 'desc');
    expect(
      records.map((r) => [
        Number(r.professional_id),
        Number(r.hours),
        Number(r.credited_hours),
        r.source,
        r.credit_rule_set_version,
      ]),
    ).toEqual([
      [full!.person.id, 6, 6, 'attendance', 1],
      [partial!.person.id, 2, 2, 'attendance', 1],
    ]);
    expect(records[0].completed_on).toBe(localDateOf(hoursAgo(6)));
    // Compliance was refreshed in the same transaction: the stored summary already counts the hours.
    const stored = await db('compliance_results').where({ professional_id: full!.person.id }).first();
    expect(stored.result.requirements[0]).toMatchObject({ requirement: 'licensing-annual-hours', applied: 6 });

    // Completing again issues nothing more.
    const again = await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);
    expect(again.body.issued).toEqual([]);
    expect(await db('training_records').where({ event_id: event.id }).count('* as n')).toEqual([{ n: 2 }]);

    // The sheet shows the trainer what was issued.
    const sheet = (await as.get(`/api/events/${event.id}/attendance`).expect(200)).body.sheet;
    expect(sheet.event.attendanceCompletedAt).not.toBeNull();
    expect(
      sheet.registrants.find((r: { professionalId: number }) => r.professionalId === full!.person.id).record,
    ).toMatchObject({ hours: 6, creditedHours: 6 });
  });

  it('corrections after completion need a reason, re-decide the credit, and are audited; withdrawn when no longer attended', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const course = await aCourse(db, { title: 'Health and Safety Basics', topic: 'health-safety', clock_hours: 3 });
    const { event, registrants, sessionIds } = await aHeldEvent(trainer, course, 2);
    const [a, b] = registrants;
    await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [
          { registrationId: a!.registrationId, sessionId: sessionIds[0]!, status: 'present', hours: 1.5 },
          { registrationId: b!.registrationId, sessionId: sessionIds[0]!, status: 'present' },
        ],
      })
      .expect(200);
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);

    const noReason = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: a!.registrationId, sessionId: sessionIds[0]!, status: 'present', hours: 3 }],
      })
      .expect(400);
    expect(noReason.body.error.fields[0].field).toBe('reason');

    const fixed = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: a!.registrationId, sessionId: sessionIds[0]!, status: 'present', hours: 3 }],
        reason: 'Sign-in sheet showed she stayed to the end',
      })
      .expect(200);
    expect(fixed.body.issued).toEqual([
      { professionalId: a!.person.id, change: 'corrected', recordId: expect.any(Number) },
    ]);
    const record = await db('training_records').where({ event_id: event.id, professional_id: a!.person.id }).first();
    expect([Number(record.hours), Number(record.credited_hours)]).toEqual([3, 3]);
    const corrected = await db('audit_log')
      .where({ action: 'training_record.corrected', entity_id: String(record.id) })
      .first();
    expect(Number(corrected.before.hours)).toBe(1.5);
    expect(corrected.after.reason).toBe('Sign-in sheet showed she stayed to the end');
    expect(Number(corrected.actor_user_id)).toBe(trainer.user.id);

    const withdrawn = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: b!.registrationId, sessionId: sessionIds[0]!, status: 'absent' }],
        reason: 'Marked present by mistake',
      })
      .expect(200);
    expect(withdrawn.body.issued[0]).toMatchObject({
      professionalId: b!.person.id,
      change: 'withdrawn',
      recordId: null,
    });
    expect(
      await db('training_records').where({ event_id: event.id, professional_id: b!.person.id }).first(),
    ).toBeUndefined();
    expect(
      await db('audit_log')
        .where({ action: 'training_record.withdrawn' })
        .whereRaw("after->>'reason' = ?", ['Marked present by mistake'])
        .first(),
    ).toBeDefined();
  });

  it('CPR/First Aid: full attendance with a certified trainer earns the hours; partial attendance earns none, with the rule’s reason', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    await anInstructorCertification(db, trainer.user.id, 'American Red Cross');
    const course = await aCourse(db, {
      title: 'Pediatric CPR and First Aid',
      topic: 'cpr-first-aid',
      cpr_model: 'American Red Cross',
      clock_hours: 3,
    });
    const { event, registrants, sessionIds } = await aHeldEvent(trainer, course, 2);
    const [whole, part] = registrants;
    await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [
          { registrationId: whole!.registrationId, sessionId: sessionIds[0]!, status: 'present' },
          { registrationId: part!.registrationId, sessionId: sessionIds[0]!, status: 'present', hours: 2 },
        ],
      })
      .expect(200);
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);
    const records = await db('training_records').where({ event_id: event.id });
    const byPerson = new Map(records.map((r) => [Number(r.professional_id), r]));
    expect(Number(byPerson.get(whole!.person.id).credited_hours)).toBe(3);
    expect(byPerson.get(whole!.person.id).trainer_has_instructor_certification).toBe(true);
    expect(Number(byPerson.get(part!.person.id).credited_hours)).toBe(0);
    expect(byPerson.get(part!.person.id).credit_reasons.map((r: { code: string }) => r.code)).toEqual([
      'cpr-partial-attendance',
    ]);
    // The event page tells the person why their hours were not credited.
    const partSees = (
      await (
        await signIn(app, await aUser(db, ['professional'], { professionalId: part!.person.id }))
      )
        .get(`/api/events/${event.id}`)
        .expect(200)
    ).body.mine;
    expect(partSees.record).toMatchObject({
      hours: 2,
      creditedHours: 0,
      reasons: [expect.objectContaining({ code: 'cpr-partial-attendance', text: expect.any(String) })],
    });
  });

  it('ends the hire deadline the attended training meets', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const organization = await anOrganization(db, { licensed: true, serves_infants: true });
    const course = await aCourse(db, {
      title: 'Infant Safe Sleep in the Classroom',
      topic: 'infant-safe-sleep',
      clock_hours: 2,
    });
    const { event, registrants, sessionIds } = await aHeldEvent(trainer, course, 1, [
      { title: 'Safe sleep', startsAt: hoursAgo(4), endsAt: hoursAgo(2), hours: 2 },
    ]);
    const newHire = registrants[0]!;
    const employment = await anEmployment(db, newHire.person, organization, localDateOf(hoursAgo(24 * 3)));
    await http.temporal.startEmploymentDeadlines(employment.id);
    const opened = await until(
      () => db('deadlines').where({ employment_id: employment.id }).first(),
      (d) => d !== undefined,
      20_000,
    );
    expect(opened).toMatchObject({ requirement: 'infant-safe-sleep', status: 'open' });

    await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: newHire.registrationId, sessionId: sessionIds[0]!, status: 'present' }],
      })
      .expect(200);
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);
    const met = (await until(
      () => db('deadlines').where({ employment_id: employment.id }).first(),
      (d) => d?.status === 'met',
      20_000,
    ))!;
    expect(met.status).toBe('met');
    const record = await db('training_records').where({ event_id: event.id }).first();
    expect(Number(met.met_by_training_record_id)).toBe(Number(record.id));
    // The met deadline holds the record: withdrawing that attendance is refused with the reason.
    const refused = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [{ registrationId: newHire.registrationId, sessionId: sessionIds[0]!, status: 'absent' }],
        reason: 'Wrong person',
      })
      .expect(409);
    expect(refused.body.error.message).toContain('deadline');
  });

  it('only the event’s own trainer sees and marks its attendance', async () => {
    const { db } = database;
    const { trainer } = await aTrainer();
    const course = await aCourse(db);
    const { event } = await aHeldEvent(trainer, course, 1);
    const { as: other } = await aTrainer();
    await other.get(`/api/events/${event.id}/attendance`).expect(404);
    await other.post(`/api/events/${event.id}/attendance/complete`).expect(404);
  });
});

describe('conference sessions', () => {
  it('registrants choose sessions without clashes; attendance expects only their choices', async () => {
    const { db } = database;
    const { trainer, as } = await aTrainer();
    const course = await aCourse(db, {
      title: 'Conference on the Young Years',
      topic: 'child-development',
      clock_hours: 17,
    });
    const day = Date.now() + 10 * 86_400_000;
    const at = (h: number) => new Date(day + h * 3_600_000);
    const event = await createEvent(db, {
      course,
      trainerUserId: trainer.user.id,
      place,
      capacity: 500,
      sessionChoice: true,
      sessions: [
        { title: 'Keynote', track: 'Main hall', startsAt: at(0), endsAt: at(1), hours: 1 },
        { title: 'Block play and math', track: 'Room A', startsAt: at(1.5), endsAt: at(3), hours: 1.5 },
        { title: 'Infant language', track: 'Room B', startsAt: at(1.5), endsAt: at(3), hours: 1.5 },
        { title: 'Outdoor learning', track: 'Room A', startsAt: at(3.5), endsAt: at(5), hours: 1.5 },
      ],
    });
    const sessions: Array<{ id: number; title: string }> = await db('event_sessions')
      .where({ event_id: event.id })
      .orderBy('id');
    const id = (title: string) => Number(sessions.find((s) => s.title === title)!.id);
    const attendee = await aUser(db, ['professional']);
    const me = await signIn(app, attendee);
    const { registration } = (await me.post(`/api/events/${event.id}/registrations`).expect(201)).body;

    const clash = await me
      .put(`/api/registrations/${registration.registrationId}/sessions`, {
        sessionIds: [id('Keynote'), id('Block play and math'), id('Infant language')],
      })
      .expect(400);
    expect(clash.body.error.message).toMatch(/"Block play and math" and "Infant language" run at the same time/);
    expect(clash.body.error.fields[0].field).toBe('sessionIds');
    await me
      .put(`/api/registrations/${registration.registrationId}/sessions`, {
        sessionIds: [id('Keynote'), id('Infant language'), id('Outdoor learning')],
      })
      .expect(200);
    const detail = (await me.get(`/api/events/${event.id}`).expect(200)).body;
    expect(detail.mine.sessionIds.sort()).toEqual(
      [id('Keynote'), id('Infant language'), id('Outdoor learning')].sort(),
    );
    expect(detail.sessions).toHaveLength(4);

    // Someone else cannot change my choice.
    const stranger = await signIn(app, await aUser(db, ['professional']));
    await stranger.put(`/api/registrations/${registration.registrationId}/sessions`, { sessionIds: [] }).expect(404);

    // After the conference: the trainer's sheet expects only the chosen sessions, and nobody is in two rooms at once.
    await db('event_sessions')
      .where({ event_id: event.id })
      .update({ starts_at: db.raw("starts_at - interval '11 days'"), ends_at: db.raw("ends_at - interval '11 days'") });
    const sheet = (await as.get(`/api/events/${event.id}/attendance`).expect(200)).body.sheet;
    expect(sheet.registrants[0].expectedSessionIds.sort()).toEqual(
      [id('Keynote'), id('Infant language'), id('Outdoor learning')].sort(),
    );
    const twoRooms = await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [
          { registrationId: registration.registrationId, sessionId: id('Block play and math'), status: 'present' },
          { registrationId: registration.registrationId, sessionId: id('Infant language'), status: 'present' },
        ],
      })
      .expect(400);
    expect(twoRooms.body.error.message).toContain('run at the same time');
    await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [
          { registrationId: registration.registrationId, sessionId: id('Keynote'), status: 'present' },
          { registrationId: registration.registrationId, sessionId: id('Infant language'), status: 'present' },
          { registrationId: registration.registrationId, sessionId: id('Outdoor learning'), status: 'absent' },
        ],
      })
      .expect(200);
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);
    const record = await db('training_records').where({ event_id: event.id }).first();
    expect([Number(record.hours), Number(record.credited_hours)]).toEqual([2.5, 2.5]);
  });

  it('an ordinary training refuses overlapping sessions when scheduled; a conference allows them but needs titles', async () => {
    const { db } = database;
    const trainer = await aUser(db, ['trainer']);
    await db('trainers').insert({ user_id: trainer.user.id, approved_until: '2099-12-31' });
    const course = await aCourse(db, { trainer_user_id: trainer.user.id, delivery: 'in_person' });
    const as = await signIn(app, trainer);
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const sessions = [
      { title: 'A', startsAt: `${day}T09:00:00-05:00`, endsAt: `${day}T11:00:00-05:00`, hours: 2 },
      { title: '', startsAt: `${day}T10:00:00-05:00`, endsAt: `${day}T12:00:00-05:00`, hours: 2 },
    ];
    const body = { courseId: course.id, capacity: 20, place, sessions };
    expect((await as.post('/api/events', body).expect(400)).body.error.fields[0].field).toBe('sessions');
    expect(
      (await as.post('/api/events', { ...body, sessionChoice: true }).expect(400)).body.error.fields[0].field,
    ).toBe('sessions.1.title');
    const created = await as
      .post('/api/events', { ...body, sessionChoice: true, sessions: [sessions[0], { ...sessions[1], title: 'B' }] })
      .expect(201);
    expect((await db('events').where({ id: created.body.event.id }).first())?.session_choice).toBe(true);
  });
});
