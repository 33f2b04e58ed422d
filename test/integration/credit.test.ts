/** Credit decisions that depend on what the registry already holds, against the real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordTraining } from '../../services/training.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aCourse, aProfessional } from '../support/fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const deseCourse = (title: string) =>
  aCourse(database.db, { title, sponsor: 'DESE OOC', delivery: 'online', clock_hours: 2 });

describe('DESE online courses over time', () => {
  it('credits a course once in a calendar year and again the next year', async () => {
    const { db } = database;
    const person = await aProfessional(db);
    const course = await deseCourse('Health and Safety Basics');
    const take = (completedOn: string, registeredOn: string) =>
      recordTraining(db, {
        professionalId: person.id,
        courseId: course.id,
        completedOn,
        registeredOn,
        source: 'online_course',
      });
    expect((await take('2025-03-01', '2025-02-20')).record.credited_hours).toBe(2);
    const again = await take('2025-10-01', '2025-09-30');
    expect(again.record.credited_hours).toBe(0);
    expect(again.record.credit_reasons.map((r) => r.code)).toEqual(['dese-course-already-credited-this-year']);
    expect((await take('2026-01-15', '2026-01-10')).record.credited_hours).toBe(2);
  });

  it('denies a completion that overlapped another course in progress, and keeps the times it was judged on', async () => {
    const { db } = database;
    const person = await aProfessional(db);
    const first = await deseCourse('Family Engagement Essentials');
    const second = await deseCourse('Early Literacy Online');
    const one = await recordTraining(db, {
      professionalId: person.id,
      courseId: first.id,
      completedOn: '2026-02-10',
      registeredOn: '2026-02-01',
      startedAt: new Date('2026-02-09T15:00:00-06:00'),
      completedAt: new Date('2026-02-10T11:00:00-06:00'),
      source: 'online_course',
    });
    expect(one.record.credited_hours).toBe(2);
    const two = await recordTraining(db, {
      professionalId: person.id,
      courseId: second.id,
      completedOn: '2026-02-10',
      registeredOn: '2026-02-01',
      startedAt: new Date('2026-02-10T09:00:00-06:00'),
      completedAt: new Date('2026-02-10T12:00:00-06:00'),
      source: 'online_course',
    });
    expect(two.record.credited_hours).toBe(0);
    expect(two.record.credit_reasons.map((r) => r.code)).toEqual(['dese-course-overlapped-another']);
    expect(two.record.started_at?.toISOString()).toBe('2026-02-10T15:00:00.000Z');
    const three = await recordTraining(db, {
      professionalId: person.id,
      courseId: second.id,
      completedOn: '2026-02-11',
      registeredOn: '2026-02-01',
      startedAt: new Date('2026-02-11T09:00:00-06:00'),
      completedAt: new Date('2026-02-11T10:00:00-06:00'),
      source: 'online_course',
    });
    expect(three.record.credited_hours).toBe(2);
  });
});
