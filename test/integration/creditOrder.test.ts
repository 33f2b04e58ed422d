/**
 * Credit does not depend on the order training is entered (issue 18). For random sets of one
 * person's training records (DESE online courses that may overlap in time, year boundaries, CPR,
 * the same course twice on one day), entering them in a random order and in random batches, each
 * record by a real path that can carry its facts (the registry's entry, one transaction per
 * batch; a legacy import of the batch's older records, as `applyBatch` writes them; attendance
 * issued by an event's trainer), with random corrections (date, hours, course) and voids made
 * along the way, ends with the same credit per record and the same compliance as entering the
 * final facts in date order, one at a time by the same paths, and voiding afterwards. Which path a
 * record takes is one of its facts (an imported record's source is the import).
 * `CREDIT_ORDER_RUNS` sets the number of cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../db/connection.js';
import type { CourseRow, OrganizationRow, ProfessionalRow, TrainingRecordRow } from '../../db/rows.js';
import { correctRecord, recordTraining, voidRecord, type CompletedTraining } from '../../services/training.js';
import { complianceAsOf } from '../../services/compliance.js';
import { summarize } from '../../rules/compliance.js';
import type { TrainingSource } from '../../rules/domain.js';
import { localDateOf } from '../../rules/dates.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createEvent } from '../../db/events.js';
import { createAttendance } from '../../services/attendance.js';
import { applyBatch, previewBatch, startApplying } from '../../services/legacyImport/index.js';
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
let trainerUserId: number;
/** Attendance marked after every generated session (the latest is 2026-12-31). */
let attendance: ReturnType<typeof createAttendance>;
/** The catalog the generated records draw from; `dese` ones are the once-a-year, one-at-a-time kind. */
let courses: Array<{ row: CourseRow; dese: boolean; source: TrainingSource }>;

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  organization = await anOrganization(db, { licensed: true, serves_infants: true });
  const trainer = await aUser(db, ['trainer']);
  trainerUserId = trainer.user.id;
  attendance = createAttendance({ db, now: () => new Date('2027-02-01T12:00:00Z') });
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
const TODAY = localDateOf(new Date());
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

/** How a record enters: the registry's entry (as the API does), a legacy import, or an event's attendance. */
type Path = 'api' | 'import' | 'attendance';

interface Generated {
  course: number;
  /** The path asked for; `pathOf` says the one taken (a path that cannot carry the facts falls back to the API). */
  path: Path;
  /** DESE only: the LMS reported when it started and finished (a legacy file says neither, nor the registration). */
  timed: boolean;
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
  path: fc.constantFrom<Path>('api', 'import', 'attendance', 'attendance'),
  timed: fc.constantFrom(true, true, false),
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
 * The path a record takes: an import carries no times, registration, ratio or group (the legacy
 * files do not say); attendance is for the courses events teach, never a group's online module.
 */
function takenPath(r: Generated): Path {
  const { dese, source } = courses[r.course]!;
  // The legacy files hold no completion in the future.
  if (r.path === 'import' && !r.inRatio && !r.usedForGroup && !(dese && r.timed) && r.completedOn <= TODAY)
    return 'import';
  if (r.path === 'attendance' && source === 'attendance' && !r.usedForGroup) return 'attendance';
  return 'api';
}

/**
 * A person's records. DESE completions take slots of their day that may overlap; of two that do,
 * the one started first keeps its credit (whatever the order of entry). A course may be completed
 * twice on one day (`sameDay` makes that frequent): which of the two keeps the year's credit is
 * decided by their facts (services/credit.ts `sameDayOrderKey`), never by which arrived first.
 */
const aCase = fc
  .array(aRecord, { minLength: 1, maxLength: 9 })
  .chain((records) =>
    // A copy of one record on its own day (other facts possibly changed): same-day pairs.
    fc.record({
      records: fc.constant(records),
      sameDay: fc.option(fc.tuple(fc.nat(), aRecord), { nil: null, freq: 2 }),
    }),
  )
  .map(({ records, sameDay }) => {
    const all =
      !sameDay || records.length >= 9
        ? records
        : [
            ...records,
            {
              ...sameDay[1],
              course: records[sameDay[0] % records.length]!.course,
              completedOn: records[sameDay[0] % records.length]!.completedOn,
            },
          ];
    // The path is settled as entered: a later correction of the date does not change how it came.
    return all.map((r) => ({ ...r, path: takenPath(r) }));
  })
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

/** Changes that apply: one per record, each after its record is in. */
function settle(records: Generated[], raw: Array<Omit<Change, 'after'> & { after: number }>): Change[] {
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
    // The expected run imports the final facts, and no legacy file holds a completion in the future.
    if (change.completedOn !== null && record.path === 'import' && change.completedOn > TODAY)
      change.completedOn = null;
    if (change.kind === 'correct' && change.completedOn === null && change.partial === null && change.course === null)
      continue;
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

/** The path a record took (settled when the case is generated). */
const pathOf = (g: Generated): Path => g.path;

const sourceOf = (g: Generated): TrainingSource =>
  pathOf(g) === 'import' ? 'legacy_import' : courses[g.course]!.source;

/** The year the person registered for a DESE course: that of the record's first completion date. */
function input(professionalId: number, generated: Generated, registeredFor: string): CompletedTraining {
  const { row, dese } = courses[generated.course]!;
  const year = Number(registeredFor.slice(0, 4));
  const timed = dese && generated.timed;
  const start = new Date(`${generated.completedOn}T14:00:00Z`);
  start.setUTCMinutes(generated.slot * 20);
  return {
    professionalId,
    courseId: row.id,
    completedOn: generated.completedOn,
    hours: generated.partial ? Number(row.clock_hours) / 2 : undefined,
    source: sourceOf(generated),
    inRatio: generated.inRatio,
    usedForGroup: generated.usedForGroup,
    ...(timed
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

/** One legacy import of some records (an older system's file of them), applied as the admin's apply does. */
async function importRecords(
  db: Db,
  professional: ProfessionalRow,
  system: string,
  batch: Array<[index: number, record: Generated]>,
): Promise<Map<number, number>> {
  const content = [
    'legacy_id,person_legacy_id,mopd_id,course_legacy_id,course_title,course_sponsor,course_topic,completed_on,hours',
    ...batch.map(([index, g]) => {
      const { row } = courses[g.course]!;
      const clock = Number(row.clock_hours);
      return `L-${index},,${professional.mopd_id},,${row.title},${row.sponsor},${row.topic},${g.completedOn},${g.partial ? clock / 2 : clock}`;
    }),
  ].join('\n');
  const files = [{ name: 'training.csv', content }];
  const previewed = await previewBatch(db, { name: system, system, files, uploadedBy: null, keepFiles: false });
  await startApplying(db, previewed.id);
  await applyBatch(db, previewed.id, { files });
  const rows: Array<{ id: number; legacy_id: string }> = await db('training_records')
    .where({ legacy_system: system })
    .whereIn(
      'legacy_id',
      batch.map(([index]) => `L-${index}`),
    )
    .select('id', 'legacy_id');
  expect(rows).toHaveLength(batch.length);
  return new Map(rows.map((r) => [Number(r.legacy_id.slice(2)), Number(r.id)]));
}

/** An event of the record's course on its day, the person marked present by its trainer, attendance completed. */
async function attend(db: Db, professionalId: number, g: Generated): Promise<number> {
  const { row } = courses[g.course]!;
  const clock = Number(row.clock_hours);
  const startsAt = new Date(`${g.completedOn}T15:00:00Z`);
  const event = await createEvent(db, {
    course: row,
    capacity: 5,
    trainerUserId,
    place: { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: null, zip: '65201' },
    sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + clock * 3_600_000), hours: clock }],
  });
  const [registration] = await db('registrations')
    .insert({ event_id: event.id, professional_id: professionalId, status: 'registered' })
    .returning<Array<{ id: number }>>('id');
  const session = await db('event_sessions').where({ event_id: event.id }).first<{ id: number }>('id');
  await attendance.mark({
    eventId: event.id,
    marks: [
      {
        registrationId: Number(registration!.id),
        sessionId: Number(session.id),
        status: 'present',
        hours: g.partial ? clock / 2 : clock,
        inRatio: g.inRatio,
      },
    ],
    byUserId: trainerUserId,
  });
  await attendance.complete({ eventId: event.id, byUserId: trainerUserId });
  const record = await db('training_records')
    .where({ event_id: event.id, professional_id: professionalId })
    .first<{ id: number }>('id');
  return Number(record.id);
}

/**
 * The facts that tell records apart, written into each credit so equal records compare as equals
 * (an untimed DESE completion carries no registration either: see `input`).
 */
const factsOf = (g: Generated) =>
  `${pathOf(g)}${g.inRatio ? ' in-ratio' : ''}${g.usedForGroup ? ' group' : ''}${courses[g.course]!.dese && g.timed ? ` slot ${g.slot}+${g.minutes}m` : ''}${!(courses[g.course]!.dese && g.timed) || g.registeredYearBefore === null ? '' : g.registeredYearBefore ? ' reg-before' : ' reg-same'}`;

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
  // One legacy system per person entered, each record its own legacy id whatever batch carries it.
  const system = `lms-${professional.id}`;
  for (const batch of batches) {
    const by = (path: Path) => batch.filter((index) => pathOf(records[index]!) === path);
    await db.transaction(async (trx) => {
      for (const index of by('api'))
        ids.set(
          index,
          (await recordTraining(trx, input(professional.id, records[index]!, registeredFor[index]!))).record.id,
        );
    });
    const imported = by('import');
    if (imported.length > 0)
      for (const [index, id] of await importRecords(
        db,
        professional,
        system,
        imported.map((index) => [index, records[index]!]),
      ))
        ids.set(index, id);
    for (const index of by('attendance')) ids.set(index, await attend(db, professional.id, records[index]!));
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
      record: `${row.title} ${row.completed_on} ${row.hours}h ${factsOf(records[index]!)}${row.voided_at ? ' voided' : ''}`,
      creditedHours: Number(row.credited_hours),
      reasons: row.credit_reasons.map((c) => c.code).sort(),
    };
  });
  const stored = await db('compliance_results')
    .where({ professional_id: professional.id })
    .first<{ result: unknown }>('result');
  const compliance = [];
  for (const year of YEARS) compliance.push(summarize(await complianceAsOf(db, professional.id, `${year}-12-31`)));
  // Records alike in every fact are told apart by nothing but their ids: compared as a set.
  credits.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
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
      let sameDay = 0;
      let imported = 0;
      let attended = 0;
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
          if (new Set(final.map((r) => `${r.course}@${r.completedOn}`)).size < final.length) sameDay += 1;
          if (records.some((r) => r.path === 'import')) imported += 1;
          if (records.some((r) => r.path === 'attendance')) attended += 1;
        }),
        // A failure's seed and path (CREDIT_ORDER_SEED, CREDIT_ORDER_PATH) replay it alone.
        {
          numRuns: RUNS,
          ...(process.env.CREDIT_ORDER_SEED ? { seed: Number(process.env.CREDIT_ORDER_SEED) } : {}),
          ...(process.env.CREDIT_ORDER_PATH ? { path: process.env.CREDIT_ORDER_PATH } : {}),
        },
      );
      // The generator reaches what it is for: overlaps that deny credit, and corrections or voids.
      console.info(
        `credit order: ${RUNS} cases, ${overlapping} with an overlap denied, ${changed} with changes, ${sameDay} with a course twice on a day, ${imported} with an import, ${attended} with attendance`,
      );
      // (A replayed failure is one case: nothing to count.)
      if (RUNS >= 40 && !process.env.CREDIT_ORDER_PATH) {
        expect(overlapping).toBeGreaterThan(0);
        expect(changed).toBeGreaterThan(RUNS / 4);
        expect(sameDay).toBeGreaterThan(RUNS / 5);
        expect(imported).toBeGreaterThan(RUNS / 5);
        expect(attended).toBeGreaterThan(RUNS / 5);
      }
    },
    Math.max(180_000, RUNS * 5_000),
  );

  it('credits the earlier started of two overlapping DESE completions, in either order of entry', async () => {
    const { db } = database;
    const first: Generated = {
      path: 'api',
      timed: true,
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
