/**
 * Credit does not depend on the order training is entered (issue 18). For random sets of one
 * person's training records, entering them in a random order, and in random batches (each batch
 * one transaction, as attendance issues records), ends with the same credit per record and the
 * same compliance as entering them in date order. `CREDIT_ORDER_RUNS` sets the number of cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../db/connection.js';
import type { CourseRow, OrganizationRow, TrainingRecordRow } from '../../db/rows.js';
import { recordTraining, type CompletedTraining } from '../../services/training.js';
import { complianceAsOf } from '../../services/compliance.js';
import { summarize } from '../../rules/compliance.js';
import type { TrainingSource } from '../../rules/domain.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  aCourse,
  anEmployment,
  anInstructorCertification,
  anOrganization,
  aProfessional,
  aSafeSleepCourse,
} from '../support/fixtures.js';
import { aUser } from '../support/app.js';

const RUNS = Number(process.env.CREDIT_ORDER_RUNS ?? 40);

let database: TestDatabase;
let organization: OrganizationRow;
/** The catalog the generated records draw from; `dese` ones are the once-a-year, one-at-a-time kind. */
let courses: Array<{ row: CourseRow; dese: boolean; source: TrainingSource }>;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  organization = await anOrganization(db, { licensed: true, serves_infants: true });
  const trainer = await aUser(db, ['trainer']);
  await anInstructorCertification(db, trainer.user.id, 'American Red Cross');
  courses = [
    {
      row: await aCourse(db, {
        title: 'DESE Health and Safety',
        sponsor: 'DESE OOC',
        delivery: 'online',
        clock_hours: 2,
      }),
      dese: true,
      source: 'online_course',
    },
    {
      row: await aCourse(db, {
        title: 'DESE Guidance',
        sponsor: 'DESE OOC',
        topic: 'guidance',
        delivery: 'online',
        clock_hours: 3,
      }),
      dese: true,
      source: 'online_course',
    },
    { row: await aSafeSleepCourse(db), dese: true, source: 'online_course' },
    {
      row: await aCourse(db, {
        title: 'Playground Safety',
        sponsor: 'Boone County Health',
        delivery: 'in_person',
        clock_hours: 3,
      }),
      dese: false,
      source: 'attendance',
    },
    {
      row: await aCourse(db, {
        title: 'Guidance Workshop',
        sponsor: 'Child Care Aware',
        topic: 'guidance',
        delivery: 'in_person',
        clock_hours: 4,
      }),
      dese: false,
      source: 'attendance',
    },
    {
      row: await aCourse(db, {
        title: 'Pediatric CPR',
        sponsor: 'Red Cross',
        topic: 'cpr-first-aid',
        delivery: 'in_person',
        clock_hours: 6,
        cpr_model: 'American Red Cross',
        trainer_user_id: trainer.user.id,
      }),
      dese: false,
      source: 'attendance',
    },
    {
      row: await aCourse(db, {
        title: 'Blended CPR',
        sponsor: 'Red Cross',
        topic: 'cpr-first-aid',
        delivery: 'blended',
        clock_hours: 6,
        in_person_hours: 2.5,
        cpr_model: 'American Red Cross',
        trainer_user_id: trainer.user.id,
      }),
      dese: false,
      source: 'attendance',
    },
    {
      row: await aCourse(db, {
        title: 'Online CPR',
        sponsor: 'Red Cross',
        topic: 'cpr-first-aid',
        delivery: 'online',
        clock_hours: 4,
        cpr_model: 'American Red Cross',
        trainer_user_id: trainer.user.id,
      }),
      dese: false,
      source: 'online_course',
    },
  ];
});

afterAll(async () => {
  await database?.drop();
});

const iso = (d: Date) => d.toISOString().slice(0, 10);
const YEARS = [2024, 2025, 2026] as const;
/** Year ends and starts weigh heavily (the once-a-year rules turn there), and a few days recur so a course repeats in a year. */
const aDate = fc.oneof(
  fc.constantFrom('2024-03-15', '2024-09-01', '2025-03-15', '2025-09-01', '2026-03-15', '2026-09-01'),
  fc.constantFrom('2024-01-01', '2024-12-31', '2025-01-01', '2025-12-31', '2026-01-01', '2026-12-31'),
  fc
    .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
    .map(iso),
);

interface Generated {
  course: number;
  completedOn: string;
  /** A fraction of the course's clock hours attended (partial attendance), or all of them. */
  partial: boolean;
  /** DESE only: registered that year, or the year before (completed after Dec 31 of the year registered). */
  registeredYearBefore: boolean | null;
  inRatio: boolean;
  usedForGroup: boolean;
}

const aRecord: fc.Arbitrary<Generated> = fc.record({
  // DESE online courses (0–2) more often: their once-a-year rules are what order could change.
  course: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(0, 1, 2) },
    { weight: 2, arbitrary: fc.constantFrom(3, 4, 5, 6, 7) },
  ),
  completedOn: aDate,
  partial: fc.constantFrom(false, false, true),
  registeredYearBefore: fc.option(fc.boolean(), { nil: null }),
  inRatio: fc.constantFrom(false, false, false, true),
  usedForGroup: fc.constantFrom(false, false, false, true),
});

/**
 * A person's records; a course is completed at most once a day (two completions of one course on
 * one day would be told apart only by their ids). Each DESE completion gets a half-hour slot of its
 * own on its day, so no two online courses overlap in time (see the `it.todo` below).
 */
const aCase = fc
  .uniqueArray(aRecord, { minLength: 1, maxLength: 9, selector: (r) => `${r.course}@${r.completedOn}` })
  .chain((records) =>
    fc.record({
      records: fc.constant(records),
      // A random order of entry, and the cut points that split it into batches.
      order: fc.shuffledSubarray(
        records.map((_, i) => i),
        { minLength: records.length, maxLength: records.length },
      ),
      cuts: fc.array(fc.boolean(), { minLength: records.length, maxLength: records.length }),
    }),
  );

function input(professionalId: number, generated: Generated, slot: number): CompletedTraining {
  const { row, dese, source } = courses[generated.course]!;
  const year = Number(generated.completedOn.slice(0, 4));
  const start = new Date(`${generated.completedOn}T14:00:00Z`);
  start.setUTCMinutes(slot * 30);
  return {
    professionalId,
    courseId: row.id,
    completedOn: generated.completedOn,
    hours: generated.partial ? Number(row.clock_hours) / 2 : undefined,
    source,
    inRatio: generated.inRatio,
    usedForGroup: generated.usedForGroup,
    ...(dese
      ? {
          registeredOn:
            generated.registeredYearBefore === null
              ? null
              : generated.registeredYearBefore
                ? `${year - 1}-11-15`
                : `${year}-01-01`,
          startedAt: start,
          completedAt: new Date(start.getTime() + 20 * 60_000),
        }
      : {}),
  };
}

/** Enters the records in the given order, each batch in one transaction; what each record ends with. */
async function enter(db: Db, records: Generated[], order: number[], cuts: boolean[]) {
  const professional = await aProfessional(db);
  await anEmployment(db, professional, organization, '2023-06-01');
  const ids = new Map<number, number>();
  const batches: number[][] = [];
  order.forEach((index, at) => {
    if (at === 0 || cuts[at]) batches.push([]);
    batches[batches.length - 1]!.push(index);
  });
  for (const batch of batches) {
    await db.transaction(async (trx) => {
      for (const index of batch)
        ids.set(index, (await recordTraining(trx, input(professional.id, records[index]!, index))).record.id);
    });
  }
  const rows = new Map(
    (await db('training_records').where({ professional_id: professional.id }).select<TrainingRecordRow[]>('*')).map(
      (r) => [r.id, r],
    ),
  );
  const credits = records.map((r, index) => {
    const row = rows.get(ids.get(index)!)!;
    return {
      record: `${courses[r.course]!.row.title} ${r.completedOn}`,
      creditedHours: Number(row.credited_hours),
      reasons: row.credit_reasons.map((c) => c.code).sort(),
    };
  });
  const stored = await db('compliance_results')
    .where({ professional_id: professional.id })
    .first<{ result: unknown }>('result');
  const compliance = [];
  for (const year of YEARS) compliance.push(summarize(await complianceAsOf(db, professional.id, `${year}-12-31`)));
  return { credits, stored: stored?.result, compliance };
}

const inDateOrder = (records: Generated[]) =>
  records
    .map((r, i) => [r, i] as const)
    .sort(([a, i], [b, j]) => a.completedOn.localeCompare(b.completedOn) || i - j)
    .map(([, i]) => i);

describe('credit whatever the order of entry', () => {
  it(
    `is the same for a random order and random batches as for date order (${RUNS} cases)`,
    async () => {
      const { db } = database;
      await fc.assert(
        fc.asyncProperty(aCase, async ({ records, order, cuts }) => {
          const expected = await enter(
            db,
            records,
            inDateOrder(records),
            records.map(() => true),
          );
          const shuffled = await enter(
            db,
            records,
            order,
            records.map(() => true),
          );
          expect(shuffled).toEqual(expected);
          const batched = await enter(db, records, order, cuts);
          expect(batched).toEqual(expected);
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(120_000, RUNS * 500),
  ); // about 0.1 s a case; a long run must not hit the default timeout

  // Known open item, found by this property with overlapping slots: DESE Health and Safety and DESE
  // Guidance both 2025-01-01 14:00–14:20 credit whichever is entered first and deny the other
  // (`dese-course-overlapped-another`); one at a time is decided once, on entry, not again.
  it.todo('is the same when DESE online completions overlap in time (one at a time is not decided again yet)');
});
