/**
 * Training suggested in a deadline reminder, against a real database: events near the person that
 * end before the deadline with seats left, online courses they may still take, each with the hours
 * the rules in effect would credit them, and nothing they took, signed up for, or that earns nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { createEvent } from '../../db/events.js';
import type { CourseRow } from '../../db/rows.js';
import { recordTraining } from '../../services/training.js';
import { suggestTraining, type SuggestionQuery } from '../../services/trainingSuggestions.js';
import { DomainError } from '../../services/errors.js';
import { addDays, dateOf, localDateOf, yearOf } from '../../rules/dates.js';
import type { Region } from '../../rules/domain.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser } from '../support/app.js';
import {
  aCourse,
  anEmployment,
  anInstructorCertification,
  anOrganization,
  aProfessional,
} from '../support/fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const PUBLIC_URL = 'https://mopd.example';
const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
const place = (city: string, county: string, region: Region, zip: string) => ({
  addressLine: '1 Main St',
  city,
  county,
  region,
  zip,
});
// From the person's ZIP code (65203, Columbia): about 3, 29, 119 and 190 miles.
const COLUMBIA = place('Columbia', 'Boone', 'Central', '65201');
const JEFFERSON_CITY = place('Jefferson City', 'Cole', 'Central', '65101');
const ST_LOUIS = place('St. Louis', 'St. Louis City', 'St. Louis', '63101');
const CAPE_GIRARDEAU = place('Cape Girardeau', 'Cape Girardeau', 'Southeast', '63701');

/** An event of `course` with one session `inDays` from now, an hour long. */
const anEvent = (
  db: Db,
  course: CourseRow,
  inDays: number,
  where: ReturnType<typeof place> | null,
  over: Partial<Parameters<typeof createEvent>[1]> = {},
) =>
  createEvent(db, {
    course,
    capacity: 20,
    place: where,
    ...(where === null && { onlineUrl: 'https://meet.example/room' }),
    sessions: [{ startsAt: soon(inDays), endsAt: soon(inDays + 0.05), hours: Number(course.clock_hours) }],
    ...over,
  });

/** An approved online course open for enrollment: a module and a knowledge check. */
async function anOnlineCourse(db: Db, over: Partial<Omit<CourseRow, 'id'>>): Promise<CourseRow> {
  const course = await aCourse(db, { delivery: 'online', pass_mark_percent: 80, ...over });
  await db('course_modules').insert({ course_id: course.id, position: 1, title: 'Start here', body: 'Read.' });
  await db('course_questions').insert({
    course_id: course.id,
    position: 1,
    prompt: 'Ready?',
    choices: JSON.stringify(['Yes', 'No']),
    correct_choice: 0,
  });
  return course;
}

describe('training suggested toward an hours requirement', () => {
  const today = localDateOf(new Date());
  const periodEnd = addDays(today, 40);
  const ask = (professionalId: number, over: Partial<SuggestionQuery> = {}) =>
    suggestTraining(database.db, {
      professionalId,
      requirement: 'licensing-annual-hours',
      periodEnd,
      asOf: today,
      publicUrl: `${PUBLIC_URL}/`,
      ...over,
    });

  let person: number;
  let starter: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const { db } = database;
    const professional = await aProfessional(db);
    person = professional.id;
    await db('professionals').where({ id: person }).update({ zip: '65203' });
    await anEmployment(db, professional, await anOrganization(db), addDays(today, -400));
    starter = (await aProfessional(db)).id;

    const trainer = await aUser(db, ['trainer']);
    await anInstructorCertification(db, trainer.user.id, 'American Red Cross');
    const uncertified = await aUser(db, ['trainer']);

    const guidance = await aCourse(db, { title: 'Guidance Basics', topic: 'guidance', clock_hours: 3 });
    ids.near = (await anEvent(db, guidance, 10, COLUMBIA)).id;
    // The same course again nearby, later: one event per course is enough.
    ids.nearAgain = (await anEvent(db, guidance, 20, COLUMBIA)).id;
    // Blended CPR/First Aid: the rules credit only its 2 in-person hours of 4.
    const blendedCpr = await aCourse(db, {
      title: 'CPR and First Aid (blended)',
      topic: 'cpr-first-aid',
      delivery: 'blended',
      clock_hours: 4,
      in_person_hours: 2,
      cpr_model: 'American Red Cross',
    });
    ids.cpr = (await anEvent(db, blendedCpr, 25, JEFFERSON_CITY, { trainerUserId: trainer.user.id })).id;
    ids.far = (await anEvent(db, await aCourse(db, { title: 'Play Outdoors', topic: 'curriculum' }), 5, ST_LOUIS)).id;
    ids.farther = (
      await anEvent(db, await aCourse(db, { title: 'Infant Toddler Care', topic: 'health-safety' }), 15, CAPE_GIRARDEAU)
    ).id;
    ids.online = (
      await anEvent(db, await aCourse(db, { title: 'Live Webinar', topic: 'guidance', delivery: 'online' }), 8, null)
    ).id;

    // Left out: after the deadline, ending after it, full, crediting nothing, signed up, taken, closed.
    await anEvent(db, await aCourse(db, { title: 'After the Deadline' }), 45, COLUMBIA);
    const twoDays = await aCourse(db, { title: 'Ends After the Deadline', clock_hours: 6 });
    await createEvent(db, {
      course: twoDays,
      capacity: 20,
      place: COLUMBIA,
      sessions: [
        { startsAt: soon(38), endsAt: soon(38.05), hours: 3 },
        { startsAt: soon(43), endsAt: soon(43.05), hours: 3 },
      ],
    });
    const full = await anEvent(db, await aCourse(db, { title: 'Full House' }), 6, COLUMBIA, { capacity: 1 });
    await db('registrations').insert({ event_id: full.id, professional_id: starter, status: 'registered' });
    const uncertifiedCpr = await aCourse(db, {
      title: 'CPR by an Uncertified Trainer',
      topic: 'cpr-first-aid',
      clock_hours: 4,
      cpr_model: 'American Red Cross',
    });
    await anEvent(db, uncertifiedCpr, 7, COLUMBIA, { trainerUserId: uncertified.user.id });
    ids.registered = (await anEvent(db, await aCourse(db, { title: 'Signed Up Already' }), 9, COLUMBIA)).id;
    await db('registrations').insert({ event_id: ids.registered, professional_id: person, status: 'registered' });
    const taken = await aCourse(db, { title: 'Taken This Year' });
    ids.taken = (await anEvent(db, taken, 11, COLUMBIA)).id;
    await anEvent(db, await aCourse(db, { title: 'Registration Closed' }), 12, COLUMBIA, {
      registrationDeadline: soon(-1),
    });

    ids.calm = (await anOnlineCourse(db, { title: 'Calm Classrooms Online', topic: 'guidance', clock_hours: 2 })).id;
    ids.families = (
      await anOnlineCourse(db, {
        title: 'Families as Partners Online',
        sponsor: 'Parents as Teachers',
        topic: 'family-engagement',
        clock_hours: 1,
      })
    ).id;
    const credited = await anOnlineCourse(db, { title: 'Credited This Year Online', clock_hours: 1 });
    ids.credited = credited.id;
    // The rules give CPR/First Aid taken only online no hours.
    await anOnlineCourse(db, {
      title: 'CPR Online Only',
      topic: 'cpr-first-aid',
      clock_hours: 2,
      cpr_model: 'American Red Cross',
    });
    ids.started = (await anOnlineCourse(db, { title: 'Started Online', clock_hours: 3 })).id;
    await db('enrollments').insert({
      course_id: ids.started,
      professional_id: starter,
      status: 'in_progress',
      registered_on: today,
      started_at: new Date(),
    });

    const yearStart = dateOf(yearOf(today), 1, 1);
    await recordTraining(db, {
      professionalId: person,
      courseId: taken.id,
      completedOn: yearStart,
      source: 'attendance',
    });
    await recordTraining(db, {
      professionalId: person,
      courseId: credited.id,
      completedOn: yearStart,
      source: 'online_course',
    });
  });

  it('offers the nearest events that end by the deadline, then the online courses they can still take, with the hours the rules credit', async () => {
    const suggestions = await ask(person);
    expect(suggestions).toEqual([
      {
        kind: 'event',
        id: ids.near,
        title: 'Guidance Basics',
        hours: 3,
        startsOn: localDateOf(soon(10)),
        city: 'Columbia',
        distanceMiles: expect.any(Number),
        seatsLeft: 20,
        url: `${PUBLIC_URL}/events/${ids.near}`,
      },
      expect.objectContaining({ kind: 'event', id: ids.cpr, hours: 2, city: 'Jefferson City' }),
      expect.objectContaining({ kind: 'event', id: ids.far, hours: 3, city: 'St. Louis' }),
      // Most hours first.
      expect.objectContaining({ kind: 'online-course', id: ids.started, hours: 3 }),
      {
        kind: 'online-course',
        id: ids.calm,
        title: 'Calm Classrooms Online',
        hours: 2,
        url: `${PUBLIC_URL}/learn/${ids.calm}`,
      },
      expect.objectContaining({ kind: 'online-course', id: ids.families, hours: 1 }),
    ]);
    const miles = suggestions.filter((s) => s.kind === 'event').map((s) => s.distanceMiles!);
    expect(miles[0]).toBeLessThan(5);
    expect(miles[1]).toBeGreaterThan(20);
    expect(miles[1]).toBeLessThan(40);
    expect(miles[2]).toBeGreaterThan(100);
  });

  it('gives more of each kind when asked, the online event (no distance) after every place', async () => {
    const suggestions = await ask(person, { limit: 10 });
    expect(suggestions.map((s) => s.id)).toEqual([
      ids.near,
      ids.cpr,
      ids.far,
      ids.farther,
      ids.online,
      ids.started,
      ids.calm,
      ids.families,
    ]);
    expect(suggestions.find((s) => s.id === ids.online)).toMatchObject({ distanceMiles: null });
    expect(suggestions.find((s) => s.id === ids.online)).not.toHaveProperty('city');
  });

  it('orders events by date without a ZIP code, and offers no DESE online course while another is in progress', async () => {
    const suggestions = await ask(starter, { limit: 4 });
    expect(suggestions.map((s) => [s.kind, s.id])).toEqual([
      ['event', ids.far],
      ['event', ids.online],
      ['event', ids.registered],
      ['event', ids.near],
      // The enrollment rules refuse a second DESE online course at once; another sponsor's is fine.
      ['online-course', ids.families],
    ]);
    expect(suggestions[0]).toMatchObject({ distanceMiles: null });
  });

  it('orders events by date for a ZIP code the registry does not know', async () => {
    const { db } = database;
    const elsewhere = (await aProfessional(db)).id;
    await db('professionals').where({ id: elsewhere }).update({ zip: '99999' });
    const suggestions = await ask(elsewhere, { limit: 4 });
    expect(suggestions.map((s) => s.id)).toEqual([
      ids.far,
      ids.online,
      ids.registered,
      ids.near,
      ids.started,
      ids.calm,
      // Credited to someone else this year, not to them: of the 1-hour courses, by title.
      ids.credited,
      ids.families,
    ]);
    expect(suggestions.filter((s) => s.kind === 'event').every((s) => s.distanceMiles === null)).toBe(true);
  });

  it('suggests nothing once the deadline has passed, and names the field of a requirement the rules do not have', async () => {
    expect(await ask(person, { asOf: addDays(periodEnd, 1) })).toEqual([]);
    const refused = await ask(person, { requirement: 'licensing-annual' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ type: 'Invalid', field: 'requirement' });
  });

  it('asks the database a handful of times per person in a batch', async () => {
    const { db } = database;
    const people = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const p = await aProfessional(db);
        await db('professionals').where({ id: p.id }).update({ zip: '65203' });
        return p.id;
      }),
    );
    await ask(people[0]!);
    let queries = 0;
    const count = () => queries++;
    db.on('query', count);
    try {
      const answers = await Promise.all(people.map((id) => ask(id)));
      expect(answers.every((a) => a.length === 6)).toBe(true);
    } finally {
      db.off('query', count);
    }
    expect(queries / people.length).toBeLessThanOrEqual(12);
  });
});
