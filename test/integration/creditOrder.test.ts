/**
 * Credit does not depend on the order training is entered (issue 18). For random sets of one
 * person's training records (DESE online courses that may overlap in time, year boundaries, CPR),
 * entering them in a random order and in random batches (each batch one transaction, as attendance
 * issues records), with random corrections (date, hours, course) and voids made along the way,
 * ends with the same credit per record and the same compliance as entering the final facts in
 * date order and voiding afterwards. `CREDIT_ORDER_RUNS` sets the number of cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../db/connection.js';
import type { CourseRow, OrganizationRow, TrainingRecordRow } from '../../db/rows.js';
import { correctRecord, recordTraining, voidRecord, type CompletedTraining } from '../../services/training.js';
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
  {
    weight: 3,
    arbitrary: fc.constantFrom('2024-03-15', '2024-09-01', '2025-03-15', '2025-09-01', '2026-03-15', '2026-09-01'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom('2024-01-01', '2024-12-31', '2025-01-01', '2025-12-31', '2026-01-01', '2026-12-31'),
  },
  {
    weight: 1,
    arbitrary: fc
      .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
      .map(iso),
  },
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
  /** DESE only: when it started on its day (in 20-minute steps from 14:00 UTC) and how long it took. */
  slot: number;
  minutes: number;
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
  // Few slots and lengths, so completions on one day overlap often and tie now and then.
  slot: fc.integer({ min: 0, max: 3 }),
  minutes: fc.constantFrom(20, 40, 60),
});

/** A correction (new date, hours or course of the same kind) or a void of one of the records. */
interface Change {
  target: number;
  kind: 'correct' | 'void';
  completedOn: string | null;
  partial: boolean | null;
  /** Another course of the same kind (DESE online ↔ DESE online, attendance ↔ attendance). */
  course: number | null;
  /** Made after this many records are in (the rest of the entries come after it). */
  after: number;
}

const aChange: fc.Arbitrary<Omit<Change, 'target' | 'after'> & { target: number; after: number }> = fc.record({
  target: fc.nat(),
  kind: fc.constantFrom('correct', 'correct', 'void'),
  completedOn: fc.option(aDate, { nil: null }),
  partial: fc.option(fc.boolean(), { nil: null }),
  course: fc.option(fc.nat(), { nil: null }),
  after: fc.nat(),
});

/** Courses a correction may move a record to: the same source and the same DESE-ness. */
const KINDS = [[0, 1, 2], [3, 4, 5, 6], [7]];
const sameKind = (course: number) => KINDS.find((k) => k.includes(course))!;

/**
 * A person's records; a course is completed at most once a day (two completions of one course on
 * one day would be told apart only by their ids). DESE completions take slots of their day that
 * may overlap; of two that do, the one started first keeps its credit (whatever the order of entry).
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
      changes: fc.array(aChange, { maxLength: 3 }),
    }),
  )
  .map(({ records, order, cuts, changes }) => ({
    records,
    order,
    cuts,
    changes: settle(records, changes),
  }));

/** Changes that apply: one per record, none making a course repeat on a day, each after its record is in. */
function settle(records: Generated[], raw: Array<Omit<Change, 'after'> & { after: number }>): Change[] {
  const taken = new Set(records.map((r) => `${r.course}@${r.completedOn}`));
  const done = new Set<number>();
  const changes: Change[] = [];
  for (const c of raw) {
    const target = c.target % records.length;
    if (done.has(target)) continue;
    const record = records[target]!;
    const kind = sameKind(record.course);
    const course = c.kind === 'correct' && c.course !== null ? kind[c.course % kind.length]! : null;
    const change: Change = {
      target,
      kind: c.kind,
      completedOn: c.kind === 'correct' ? c.completedOn : null,
      partial: c.kind === 'correct' ? c.partial : null,
      course,
      after: c.after % (records.length + 1),
    };
    if (change.kind === 'correct' && change.completedOn === null && change.partial === null && change.course === null)
      continue;
    const to = `${change.course ?? record.course}@${change.completedOn ?? record.completedOn}`;
    if (change.kind === 'correct' && to !== `${record.course}@${record.completedOn}`) {
      if (taken.has(to)) continue;
      taken.add(to);
    }
    done.add(target);
    changes.push(change);
  }
  return changes;
}

/** The records as they are once corrected (a void keeps the record's facts). */
function corrected(records: Generated[], changes: Change[]): Generated[] {
  return records.map((r, i) => {
    const c = changes.find((x) => x.target === i && x.kind === 'correct');
    if (!c) return r;
    return {
      ...r,
      course: c.course ?? r.course,
      completedOn: c.completedOn ?? r.completedOn,
      partial: c.partial ?? r.partial,
    };
  });
}

/** The year the person registered for a DESE course: that of the record's first completion date. */
function input(professionalId: number, generated: Generated, registeredFor: string): CompletedTraining {
  const { row, dese, source } = courses[generated.course]!;
  const year = Number(registeredFor.slice(0, 4));
  const start = new Date(`${generated.completedOn}T14:00:00Z`);
  start.setUTCMinutes(generated.slot * 20);
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
          completedAt: new Date(start.getTime() + generated.minutes * 60_000),
        }
      : {}),
  };
}

/**
 * Enters the records in the given order, each batch in one transaction, making each change once
 * `after` records are in (and its record is); what each record ends with. `registeredFor` gives
 * each record's original completion date (a correction keeps the registration).
 */
async function enter(
  db: Db,
  records: Generated[],
  registeredFor: string[],
  order: number[],
  cuts: boolean[],
  changes: Change[],
) {
  const professional = await aProfessional(db);
  await anEmployment(db, professional, organization, '2023-06-01');
  const ids = new Map<number, number>();
  const batches: number[][] = [];
  order.forEach((index, at) => {
    if (at === 0 || cuts[at]) batches.push([]);
    batches[batches.length - 1]!.push(index);
  });
  const pending = [...changes];
  const by = { actorUserId: null };
  const makeDue = async (entered: number, all: boolean) => {
    for (const c of [...pending]) {
      if (!ids.has(c.target) || (!all && c.after > entered)) continue;
      pending.splice(pending.indexOf(c), 1);
      const id = ids.get(c.target)!;
      if (c.kind === 'void') await voidRecord(db, id, 'entered in error', by);
      else {
        const course = c.course === null ? undefined : courses[c.course]!.row;
        const clock = Number((course ?? courses[records[c.target]!.course]!.row).clock_hours);
        await correctRecord(
          db,
          id,
          {
            completedOn: c.completedOn ?? undefined,
            courseId: course?.id,
            hours:
              c.partial === null && c.course === null
                ? undefined
                : (c.partial ?? records[c.target]!.partial)
                  ? clock / 2
                  : clock,
            reason: 'typed wrong',
          },
          by,
        );
      }
    }
  };
  let entered = 0;
  for (const batch of batches) {
    await db.transaction(async (trx) => {
      for (const index of batch)
        ids.set(
          index,
          (await recordTraining(trx, input(professional.id, records[index]!, registeredFor[index]!))).record.id,
        );
    });
    entered += batch.length;
    await makeDue(entered, false);
  }
  await makeDue(entered, true);
  const rows = new Map(
    (await db('training_records').where({ professional_id: professional.id }).select<TrainingRecordRow[]>('*')).map(
      (r) => [r.id, r],
    ),
  );
  const credits = records.map((_, index) => {
    const row = rows.get(ids.get(index)!)!;
    return {
      record: `${row.title} ${row.completed_on} ${row.hours}h${row.voided_at ? ' voided' : ''}`,
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
    `is the same for any order, batches, overlaps, corrections and voids as for the final facts in date order (${RUNS} cases)`,
    async () => {
      const { db } = database;
      let overlapping = 0;
      let changed = 0;
      await fc.assert(
        fc.asyncProperty(aCase, async ({ records, order, cuts, changes }) => {
          const registeredFor = records.map((r) => r.completedOn);
          const final = corrected(records, changes);
          // The final facts in date order, one at a time; the voids at the end.
          const voids = changes.filter((c) => c.kind === 'void').map((c) => ({ ...c, after: records.length }));
          const expected = await enter(
            db,
            final,
            registeredFor,
            inDateOrder(final),
            final.map(() => true),
            voids,
          );
          const shuffled = await enter(db, records, registeredFor, order, cuts, changes);
          expect(shuffled).toEqual(expected);
          if (expected.credits.some((c) => c.reasons.includes('dese-course-overlapped-another'))) overlapping += 1;
          if (changes.length > 0) changed += 1;
        }),
        { numRuns: RUNS },
      );
      // The generator reaches what it is for: overlaps that deny credit, and corrections or voids.
      console.info(`credit order: ${RUNS} cases, ${overlapping} with an overlap denied, ${changed} with changes`);
      if (RUNS >= 40) {
        expect(overlapping).toBeGreaterThan(0);
        expect(changed).toBeGreaterThan(RUNS / 4);
      }
    },
    Math.max(180_000, RUNS * 5_000),
  );

  it('credits the earlier started of two overlapping DESE completions, in either order of entry', async () => {
    const { db } = database;
    const first: Generated = {
      course: 1,
      completedOn: '2025-04-01',
      partial: false,
      registeredYearBefore: false,
      inRatio: false,
      usedForGroup: false,
      slot: 1,
      minutes: 60,
    };
    // Started earlier (slot 0), finished inside the other: it keeps the credit.
    const earlier: Generated = { ...first, course: 0, slot: 0, minutes: 40 };
    const dates = ['2025-04-01', '2025-04-01'];
    for (const order of [
      [0, 1],
      [1, 0],
    ]) {
      const { credits } = await enter(db, [first, earlier], dates, order, [true, true], []);
      expect(credits.map((c) => c.creditedHours)).toEqual([0, 2]);
      expect(credits[0]!.reasons).toContain('dese-course-overlapped-another');
    }
  });
});
