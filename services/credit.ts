/**
 * The facts a credit decision is made from: the course, the circumstances of this training, and
 * what the registry already holds (earlier completions, courses in progress). The rule set decides.
 */
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

export async function creditFacts(
  db: Db,
  input: { professionalId: number; course: CourseRow; completedOn: LocalDate; hours: number; source: TrainingSource } & TrainingCircumstances,
): Promise<TrainingFacts> {
  const { course } = input;
  const year = yearOf(input.completedOn);
  const earlier = await db('training_records')
    .where({ professional_id: input.professionalId, course_id: course.id })
    .where('credited_hours', '>', 0)
    .whereBetween('completed_on', [dateOf(year, 1, 1), input.completedOn])
    .count<{ count: number }[]>({ count: '*' });
  let overlaps = false;
  if (input.startedAt && input.completedAt) {
    const other = await db('training_records')
      .where({ professional_id: input.professionalId })
      .whereNot({ course_id: course.id })
      .whereNotNull('started_at')
      .whereNotNull('completed_at')
      .where('started_at', '<', input.completedAt)
      .where('completed_at', '>', input.startedAt)
      .first('id');
    // An online course started and not finished (or finished later) while this one ran also counts.
    const enrolled = other
      ? undefined
      : await db('enrollments')
          .where({ professional_id: input.professionalId })
          .whereNot({ course_id: course.id })
          .whereIn('status', ['in_progress', 'completed'])
          .where('started_at', '<', input.completedAt)
          .where((q) => q.whereNull('completed_at').orWhere('completed_at', '>', input.startedAt!))
          .first('id');
    overlaps = other !== undefined || enrolled !== undefined;
  }
  return {
    training: trainingOf(course, input),
    history: {
      creditedCompletionsOfCourseThisYear: Number(earlier[0]?.count ?? 0),
      overlapsAnotherCourseInProgress: overlaps,
    },
  };
}

/** The `training` fact of one completion of a course (no history). */
export function trainingOf(
  course: Pick<CourseRow, 'approved' | 'delivery' | 'topic' | 'sponsor' | 'clock_hours' | 'in_person_hours' | 'cpr_model'>,
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
