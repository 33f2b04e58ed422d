/** Online, on-demand courses and their enrollments, as the lists show them. */
import type { Db } from './connection.js';

export interface OpenOnlineCourseListing {
  id: number;
  title: string;
  description: string;
  sponsor: string | null;
  topic: string;
  clockHours: number;
  feeCents: number;
}

/**
 * Approved online courses open for enrollment (a pass mark, at least one module and one question),
 * by title, at most 100; by words in the title, description or sponsor, and of one topic, when asked.
 */
export function listOpenOnlineCourses(
  db: Db,
  filter: { q?: string; topic?: string },
): Promise<OpenOnlineCourseListing[]> {
  const q = db('courses as c')
    .where({ 'c.delivery': 'online', 'c.approved': true })
    .whereNotNull('c.pass_mark_percent')
    .whereExists(db('course_modules as m').whereRaw('m.course_id = c.id'))
    .whereExists(db('course_questions as k').whereRaw('k.course_id = c.id'))
    .orderBy('c.title')
    .limit(100)
    .select(
      'c.id',
      'c.title',
      'c.description',
      'c.sponsor',
      'c.topic',
      db.raw('c.clock_hours::float AS "clockHours"'),
      db.raw('coalesce(c.fee_cents, 0) AS "feeCents"'),
    );
  if (filter.q)
    void q.whereRaw(
      "to_tsvector('english', c.title || ' ' || c.description || ' ' || coalesce(c.sponsor, '')) @@ websearch_to_tsquery('english', ?)",
      [filter.q],
    );
  if (filter.topic) void q.where('c.topic', filter.topic);
  return q;
}

export interface EnrollmentListing {
  id: number;
  status: 'awaiting_payment' | 'in_progress' | 'completed';
  courseId: number;
  title: string;
  registeredOn: string;
  completedAt: Date | null;
}

/** A professional's enrollments not withdrawn, newest first. */
export function enrollmentsOfProfessional(db: Db, professionalId: number): Promise<EnrollmentListing[]> {
  return db('enrollments as e')
    .join('courses as c', 'c.id', 'e.course_id')
    .where('e.professional_id', professionalId)
    .whereNot('e.status', 'withdrawn')
    .orderBy('e.created_at', 'desc')
    .select(
      'e.id',
      'e.status',
      'e.course_id as courseId',
      'c.title',
      'e.registered_on as registeredOn',
      'e.completed_at as completedAt',
    );
}
