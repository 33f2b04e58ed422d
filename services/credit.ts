/**
 * The facts a credit decision is made from: the course, the circumstances of this training, and
 * what the registry already holds (earlier completions, courses in progress). The rule set decides.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import type { CourseRow } from '../db/rows.js';
import type { TrainingFacts } from '../rules/engine.js';
import type { TrainingSource } from '../rules/domain.js';
import { dateOf, yearOf, type LocalDate } from '../rules/dates.js';

/** How the training happened, as the trainer, the LMS or the person reports it. */
export interface TrainingCircumstances {
  registeredOn?: LocalDate | null;
  startedAt?: Date | null;
  completedAt?: Date | null;
  trainerHasInstructorCertification?: boolean | null;
  inRatio?: boolean;
  usedForGroup?: boolean;
}

/** What the registry holds about the training rather than what a caller says of it. */
export type ReportedCircumstances = Omit<TrainingCircumstances, 'trainerHasInstructorCertification'>;

/**
 * Whether the trainer held an uploaded instructor certification for the course's national model,
 * valid on the completion date. Null when the course is not CPR/First Aid or no trainer is known.
 */
export async function trainerCertifiedOn(
  db: Db,
  input: { trainerUserId: number | null | undefined; cprModel: string | null; on: LocalDate },
): Promise<boolean | null> {
  if (!input.cprModel || input.trainerUserId == null) return null;
  const held = await db('trainer_certifications')
    .where({ trainer_user_id: input.trainerUserId, model: input.cprModel })
    .where('expires_on', '>=', input.on)
    .first('id');
  return held !== undefined;
}

/**
 * For many completions at once (an import): each CPR course's trainer's certifications of its model,
 * loaded once, answering as `trainerCertifiedOn` does for a course and a completion date.
 */
export async function trainerCertificationsOf(
  db: Db,
  courses: Iterable<Pick<CourseRow, 'id' | 'cpr_model' | 'trainer_user_id'>>,
): Promise<(course: Pick<CourseRow, 'id'>, on: LocalDate) => boolean | null> {
  const taught = [...courses].filter((c) => c.cpr_model && c.trainer_user_id != null);
  const lastDays = new Map<number, string[]>(taught.map((c) => [Number(c.id), []]));
  if (taught.length > 0) {
    const rows: Array<{ trainer_user_id: string; model: string; expires_on: string }> = await db(
      'trainer_certifications',
    )
      .whereIn('trainer_user_id', [...new Set(taught.map((c) => Number(c.trainer_user_id)))])
      .select('trainer_user_id', 'model', db.raw("to_char(expires_on, 'YYYY-MM-DD') AS expires_on"));
    for (const c of taught) {
      lastDays.set(
        Number(c.id),
        rows
          .filter((r) => Number(r.trainer_user_id) === Number(c.trainer_user_id) && r.model === c.cpr_model)
          .map((r) => r.expires_on),
      );
    }
  }
  return (course, on) => {
    const days = lastDays.get(Number(course.id));
    return days === undefined ? null : days.some((last) => last >= on);
  };
}

/**
 * The order of one person's completions of a course on one day, for the once-a-year rules (the
 * first credited one of a year keeps the year's credit): never the order they arrived in. The one
 * finished earlier first, then started earlier (completions with no times after those with
 * them), then the one with more hours attended, then the one whose own facts let it earn (not in
 * ratio, not used for a group), then the one registered earlier, then by where it came from (its
 * event, then its legacy system and id). Only completions alike in all of these are left, and
 * they earn alike: which of them is first (by id) changes nothing anyone is credited.
 * The SQL expressions of a `training_records` row under `alias`, comma-separated: an ORDER BY, or
 * a row compared with `<`.
 */
export const sameDayOrderKey = (alias: string) =>
  `coalesce(${alias}.completed_at, 'infinity'::timestamptz), coalesce(${alias}.started_at, 'infinity'::timestamptz), -${alias}.hours, ${alias}.in_ratio, ${alias}.used_for_group, coalesce(${alias}.registered_on, 'infinity'::date), coalesce(${alias}.event_id, 9223372036854775807), coalesce(${alias}.legacy_system, ''), coalesce(${alias}.legacy_id, ''), ${alias}.id`;

/**
 * The facts of one completion. The trainer's certification comes from the registry: the given
 * trainer (an event's) or else the course's own trainer, never from the caller.
 */
export async function creditFacts(
  db: Db,
  input: {
    professionalId: number;
    course: CourseRow;
    completedOn: LocalDate;
    hours: number;
    source: TrainingSource;
    trainerUserId?: number | null;
    /** A record decided again: not counted in its own history, nor are those after it on its day (`sameDayOrderKey`). */
    recordId?: number;
  } & ReportedCircumstances,
): Promise<TrainingFacts> {
  const { course } = input;
  const trainerHasInstructorCertification = await trainerCertifiedOn(db, {
    trainerUserId: input.trainerUserId ?? course.trainer_user_id,
    cprModel: course.cpr_model,
    on: input.completedOn,
  });
  const year = yearOf(input.completedOn);
  const earlier = await db('training_records')
    .where({ professional_id: input.professionalId, course_id: course.id })
    .where('credited_hours', '>', 0)
    .whereNull('voided_at')
    .whereBetween('completed_on', [dateOf(year, 1, 1), input.completedOn])
    .modify((q) => {
      if (input.recordId !== undefined)
        void q.where((w) =>
          w
            .where('completed_on', '<', input.completedOn)
            .orWhereRaw(
              `(${sameDayOrderKey('training_records')}) < (SELECT ${sameDayOrderKey('x')} FROM training_records x WHERE x.id = ?)`,
              [input.recordId!],
            ),
        );
    })
    .count<{ count: number }[]>({ count: '*' });
  const overlaps =
    input.startedAt && input.completedAt
      ? await startedEarlierAndOverlapping(db, {
          professionalId: input.professionalId,
          courseId: course.id,
          startedAt: input.startedAt,
          completedAt: input.completedAt,
        })
      : false;
  return {
    training: trainingOf(course, { ...input, trainerHasInstructorCertification }),
    history: {
      creditedCompletionsOfCourseThisYear: Number(earlier[0]?.count ?? 0),
      overlapsAnotherCourseInProgress: overlaps,
    },
  };
}

/** The `training` fact of one completion of a course (no history). */
export function trainingOf(
  course: Pick<
    CourseRow,
    'approved' | 'delivery' | 'topic' | 'sponsor' | 'clock_hours' | 'in_person_hours' | 'cpr_model'
  >,
  input: { completedOn: LocalDate; hours: number; source: TrainingSource } & TrainingCircumstances,
): TrainingFacts['training'] {
  return {
    approved: course.approved,
    delivery: course.delivery,
    topic: course.topic,
    sponsor: course.sponsor,
    hours: input.hours,
    courseHours: Number(course.clock_hours),
    inPersonHours: course.in_person_hours,
    source: input.source,
    completedOn: input.completedOn,
    registeredOn: input.registeredOn ?? null,
    cprModel: course.cpr_model,
    trainerHasInstructorCertification: input.trainerHasInstructorCertification ?? null,
    inRatio: input.inRatio ?? false,
    usedForGroup: input.usedForGroup ?? false,
  };
}

/**
 * One at a time, decided the same whatever the order of entry: of two completions of different
 * courses whose times overlap, the one started first keeps its credit and the other is the one
 * "taken while another course was in progress". Ties: the one finished first, then the lower
 * course id. The other course counts whether or not it earned credit itself (it was in progress
 * all the same), so the answer depends only on the times, never on which was recorded first.
 * An online course taken in MOPD's own LMS (an enrollment) while this one ran counts whichever
 * started first: the person was seen taking both at once (the LMS refuses a second DESE course, so
 * this is another sponsor's online course, which no one-at-a-time rule denies; without this the
 * overlap would cost nothing). Enrollments are facts with times, not entries, so this too is the
 * same in any order. Voided records took no time.
 */
export async function startedEarlierAndOverlapping(
  db: Db,
  input: { professionalId: number; courseId: number; startedAt: Date; completedAt: Date },
): Promise<boolean> {
  const { startedAt, completedAt } = input;
  const earlier = (q: Knex.QueryBuilder) =>
    q
      .where('started_at', '<', startedAt)
      .orWhere((t) => t.where('started_at', '=', startedAt).where('completed_at', '<', completedAt))
      .orWhere((t) =>
        t
          .where('started_at', '=', startedAt)
          .where('completed_at', '=', completedAt)
          .where('course_id', '<', input.courseId),
      );
  const other = await db('training_records')
    .where({ professional_id: input.professionalId })
    .whereNot({ course_id: input.courseId })
    .whereNull('voided_at')
    .whereNotNull('started_at')
    .whereNotNull('completed_at')
    .where('started_at', '<', completedAt)
    .where('completed_at', '>', startedAt)
    .where(earlier)
    .first('id');
  if (other) return true;
  const enrolled = await db('enrollments')
    .where({ professional_id: input.professionalId })
    .whereNot({ course_id: input.courseId })
    .whereIn('status', ['in_progress', 'completed'])
    .where('started_at', '<', completedAt)
    .where((q) => q.whereNull('completed_at').orWhere('completed_at', '>', startedAt))
    .first('id');
  return enrolled !== undefined;
}
