/**
 * What recommendations read beyond the catalog search: the courses of events, online courses open
 * for enrollment, quality signals per course, what a person has taken or signed up for, and what the
 * credit decision of each candidate reads (its course, its trainer's certification, earlier credit).
 */
import type { Db } from './connection.js';
import type { CourseLevel, DeliveryMode } from '../rules/domain.js';
import type { CourseRow } from './rows.js';

/** What an event's credit depends on beyond its course: who trains it, and until when they hold an instructor certification for its course's CPR model. */
export interface EventForCredit {
  courseId: number;
  trainerUserId: number | null;
  /** The latest expiry of the trainer's certifications for the course's CPR model; null when none (or no model, or no trainer). */
  certifiedUntil: string | null;
}

/** The course each event schedules, and its trainer's instructor certification for the course's CPR model. */
export async function coursesOfEvents(db: Db, eventIds: number[]): Promise<Map<number, EventForCredit>> {
  if (eventIds.length === 0) return new Map();
  const rows: Array<{ id: number; course_id: number; trainer_user_id: number | null; certified_until: string | null }> =
    await db('events as e')
      .join('courses as c', 'c.id', 'e.course_id')
      .leftJoin('trainer_certifications as t', (j) =>
        j.on('t.trainer_user_id', 'e.trainer_user_id').andOn('t.model', 'c.cpr_model'),
      )
      .whereIn('e.id', eventIds)
      .groupBy('e.id', 'e.course_id', 'e.trainer_user_id')
      .select('e.id', 'e.course_id', 'e.trainer_user_id', db.raw('max(t.expires_on) AS certified_until'));
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        courseId: Number(r.course_id),
        trainerUserId: r.trainer_user_id === null ? null : Number(r.trainer_user_id),
        certifiedUntil: r.certified_until,
      },
    ]),
  );
}

export type CourseForCredit = Pick<
  CourseRow,
  'id' | 'approved' | 'delivery' | 'topic' | 'sponsor' | 'clock_hours' | 'in_person_hours' | 'cpr_model'
>;

/** The course properties a credit decision reads, per course. */
export async function coursesForCredit(db: Db, courseIds: number[]): Promise<Map<number, CourseForCredit>> {
  if (courseIds.length === 0) return new Map();
  const rows: CourseForCredit[] = await db('courses')
    .whereIn('id', courseIds)
    .select('id', 'approved', 'delivery', 'topic', 'sponsor', 'clock_hours', 'in_person_hours', 'cpr_model');
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/** The dates of a person's credited completions of these courses since `since`. */
export async function creditedCompletions(
  db: Db,
  professionalId: number,
  courseIds: number[],
  since: string,
): Promise<Array<{ courseId: number; completedOn: string }>> {
  if (courseIds.length === 0) return [];
  const rows: Array<{ course_id: number; completed_on: string }> = await db('training_records')
    .where({ professional_id: professionalId })
    .whereIn('course_id', courseIds)
    .where('credited_hours', '>', 0)
    .where('completed_on', '>=', since)
    .select('course_id', 'completed_on');
  return rows.map((r) => ({ courseId: Number(r.course_id), completedOn: r.completed_on }));
}

export interface OpenOnlineCourse {
  id: number;
  title: string;
  topic: string;
  level: CourseLevel | null;
  delivery: DeliveryMode;
  clockHours: number;
  feeCents: number;
}

/** Approved online courses open for enrollment: authored, with a knowledge check (as the course list shows them). */
export function openOnlineCourses(db: Db, limit = 500): Promise<OpenOnlineCourse[]> {
  return db('courses as c')
    .where({ 'c.delivery': 'online', 'c.approved': true })
    .whereNotNull('c.pass_mark_percent')
    .whereExists(db('course_modules as m').whereRaw('m.course_id = c.id'))
    .whereExists(db('course_questions as k').whereRaw('k.course_id = c.id'))
    .orderBy('c.id')
    .limit(limit)
    .select(
      'c.id',
      'c.title',
      'c.topic',
      'c.level',
      'c.delivery',
      db.raw('c.clock_hours::float AS "clockHours"'),
      db.raw('coalesce(c.fee_cents, 0)::int AS "feeCents"'),
    );
}

/**
 * How many online courses a person has started (or is paying for) and not finished or withdrawn
 * from: the `learner` fact the enrollment rules read, counted as enrolling counts it.
 */
export async function onlineCoursesInProgress(db: Db, professionalId: number): Promise<number> {
  const [row] = await db('enrollments as e')
    .join('courses as c', 'c.id', 'e.course_id')
    .where({ 'e.professional_id': professionalId, 'c.delivery': 'online' })
    .whereIn('e.status', ['awaiting_payment', 'in_progress'])
    .count<Array<{ n: string | number }>>({ n: '*' });
  return Number(row?.n ?? 0);
}

export interface CourseQuality {
  ratings: { count: number; average: number | null };
  enrollments: { started: number; completed: number };
}

/** Ratings (count and average) and online enrollments (started, completed) of each course. */
export async function qualityOfCourses(db: Db, courseIds: number[]): Promise<Map<number, CourseQuality>> {
  const quality = new Map<number, CourseQuality>(
    courseIds.map((id) => [id, { ratings: { count: 0, average: null }, enrollments: { started: 0, completed: 0 } }]),
  );
  if (courseIds.length === 0) return quality;
  const [ratings, enrollments] = await Promise.all([
    db('training_ratings')
      .whereIn('course_id', courseIds)
      .groupBy('course_id')
      .select<Array<{ course_id: number; count: number; average: number }>>(
        'course_id',
        db.raw('count(*)::int AS count'),
        db.raw('round(avg(stars), 1)::float AS average'),
      ),
    db('enrollments')
      .whereIn('course_id', courseIds)
      .whereNotNull('started_at')
      .groupBy('course_id')
      .select<Array<{ course_id: number; started: number; completed: number }>>(
        'course_id',
        db.raw('count(*)::int AS started'),
        db.raw("(count(*) FILTER (WHERE status = 'completed'))::int AS completed"),
      ),
  ]);
  for (const r of ratings) quality.get(r.course_id)!.ratings = { count: r.count, average: r.average };
  for (const e of enrollments) quality.get(e.course_id)!.enrollments = { started: e.started, completed: e.completed };
  return quality;
}

/**
 * What a person should not be offered again: courses completed since `since` (the calendar year's
 * start), online courses they are taking, courses they hold a place at an upcoming event of, and
 * those events.
 */
export async function takenOrSignedUp(
  db: Db,
  professionalId: number,
  since: string,
): Promise<{ courseIds: number[]; eventIds: number[] }> {
  const [taken, registered, enrolled] = await Promise.all([
    db('training_records')
      .where({ professional_id: professionalId })
      .where('completed_on', '>=', since)
      .whereNotNull('course_id')
      .distinct('course_id'),
    db('registrations as r')
      .join('events as e', 'e.id', 'r.event_id')
      .where('r.professional_id', professionalId)
      .whereIn('r.status', ['registered', 'waitlisted'])
      .where('e.last_session_at', '>=', db.fn.now())
      .select('r.event_id', 'e.course_id'),
    db('enrollments')
      .where({ professional_id: professionalId })
      .whereIn('status', ['awaiting_payment', 'in_progress'])
      .distinct('course_id'),
  ]);
  const courseIds = new Set<number>([
    ...(taken as Array<{ course_id: number }>).map((r) => r.course_id),
    ...(registered as Array<{ course_id: number }>).map((r) => r.course_id),
    ...(enrolled as Array<{ course_id: number }>).map((r) => r.course_id),
  ]);
  return { courseIds: [...courseIds], eventIds: (registered as Array<{ event_id: number }>).map((r) => r.event_id) };
}
