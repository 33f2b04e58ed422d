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

/** The dates of each person's credited completions of these courses since `since` (every person asked has an entry). */
export async function creditedCompletions(
  db: Db,
  professionalIds: number[],
  courseIds: number[],
  since: string,
): Promise<Map<number, Array<{ courseId: number; completedOn: string }>>> {
  const completions = new Map(
    professionalIds.map((id) => [id, [] as Array<{ courseId: number; completedOn: string }>]),
  );
  if (courseIds.length === 0 || professionalIds.length === 0) return completions;
  const rows: Array<{ professional_id: number; course_id: number; completed_on: string }> = await db('training_records')
    .whereIn('professional_id', professionalIds)
    .whereIn('course_id', courseIds)
    .where('credited_hours', '>', 0)
    .where('completed_on', '>=', since)
    .select('professional_id', 'course_id', 'completed_on');
  for (const r of rows)
    completions.get(Number(r.professional_id))?.push({ courseId: Number(r.course_id), completedOn: r.completed_on });
  return completions;
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
 * How many online courses each person has started (or is paying for) and not finished or withdrawn
 * from: the `learner` fact the enrollment rules read, counted as enrolling counts it.
 */
export async function onlineCoursesInProgress(db: Db, professionalIds: number[]): Promise<Map<number, number>> {
  const counts = new Map(professionalIds.map((id) => [id, 0]));
  if (professionalIds.length === 0) return counts;
  const rows: Array<{ professional_id: number; n: number }> = await db('enrollments as e')
    .join('courses as c', 'c.id', 'e.course_id')
    .whereIn('e.professional_id', professionalIds)
    .where('c.delivery', 'online')
    .whereIn('e.status', ['awaiting_payment', 'in_progress'])
    .groupBy('e.professional_id')
    .select('e.professional_id', db.raw('count(*)::int AS n'));
  for (const r of rows) counts.set(Number(r.professional_id), r.n);
  return counts;
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
 * What each person should not be offered again: courses completed since `since` (the calendar
 * year's start), online courses they are taking, courses they hold a place at an upcoming event of,
 * and those events. Every person asked has an entry.
 */
export async function takenOrSignedUp(
  db: Db,
  professionalIds: number[],
  since: string,
): Promise<Map<number, { courseIds: number[]; eventIds: number[] }>> {
  const courses = new Map(professionalIds.map((id) => [id, new Set<number>()]));
  const events = new Map(professionalIds.map((id) => [id, [] as number[]]));
  if (professionalIds.length > 0) {
    const [taken, registered, enrolled] = await Promise.all([
      db('training_records')
        .whereIn('professional_id', professionalIds)
        .where('completed_on', '>=', since)
        .whereNotNull('course_id')
        .distinct('professional_id', 'course_id'),
      db('registrations as r')
        .join('events as e', 'e.id', 'r.event_id')
        .whereIn('r.professional_id', professionalIds)
        .whereIn('r.status', ['registered', 'waitlisted'])
        .where('e.last_session_at', '>=', db.fn.now())
        .select('r.professional_id', 'r.event_id', 'e.course_id'),
      db('enrollments')
        .whereIn('professional_id', professionalIds)
        .whereIn('status', ['awaiting_payment', 'in_progress'])
        .distinct('professional_id', 'course_id'),
    ]);
    type Row = { professional_id: number; course_id: number; event_id?: number };
    for (const r of [...taken, ...registered, ...enrolled] as Row[])
      courses.get(Number(r.professional_id))?.add(Number(r.course_id));
    for (const r of registered as Row[]) events.get(Number(r.professional_id))?.push(Number(r.event_id));
  }
  return new Map(professionalIds.map((id) => [id, { courseIds: [...courses.get(id)!], eventIds: events.get(id)! }]));
}
