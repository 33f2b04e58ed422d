/** Scheduled training events of approved courses, with their sessions. */
import type { Knex } from 'knex';
import type { Db } from './connection.js';
import type { CourseRow } from './rows.js';
import type { CourseLevel, DeliveryMode, Region, TrainingLanguage } from '../rules/domain.js';

export interface NewEvent {
  course: Pick<CourseRow, 'id' | 'title' | 'description' | 'sponsor' | 'topic' | 'delivery' | 'clock_hours'> & {
    level?: CourseLevel | null;
  };
  trainerUserId?: number | null;
  trainerName?: string;
  language?: TrainingLanguage;
  /** An address for in-person and blended events; online events have a link instead. */
  place?: { addressLine: string; city: string; county: string; region: Region | null; zip: string } | null;
  onlineUrl?: string | null;
  capacity: number;
  feeCents?: number;
  registrationDeadline?: Date | null;
  /** A conference: sessions run in parallel tracks and each registrant chooses theirs. */
  sessionChoice?: boolean;
  sessions: Array<{ title?: string; track?: string | null; startsAt: Date; endsAt: Date; hours: number }>;
  /**
   * A group session of an online module (an on-demand course's): its completions are marked so.
   * Left out, the catalog answers: an online course with modules.
   */
  onlineModuleGroup?: boolean;
}

/** Inserts an event with its sessions; the place's ZIP code gives the point distances are measured to. */
export async function createEvent(db: Db | Knex.Transaction, input: NewEvent): Promise<{ id: number }> {
  if (input.sessions.length === 0) throw new RangeError('An event has at least one session');
  const starts = input.sessions.map((s) => s.startsAt.getTime());
  const ends = input.sessions.map((s) => s.endsAt.getTime());
  const point = input.place
    ? await db('zip_codes')
        .where({ zip: input.place.zip })
        .first<{ latitude: number; longitude: number } | undefined>('latitude', 'longitude')
    : undefined;
  const onlineModuleGroup =
    input.onlineModuleGroup ??
    (input.course.delivery === 'online' &&
      (await db('course_modules').where({ course_id: input.course.id }).first('id')) !== undefined);
  const [event] = await db('events')
    .insert({
      course_id: input.course.id,
      trainer_user_id: input.trainerUserId ?? null,
      title: input.course.title,
      description: input.course.description,
      sponsor: input.course.sponsor,
      trainer_name: input.trainerName ?? '',
      topic: input.course.topic,
      level: input.course.level ?? null,
      delivery: input.course.delivery,
      clock_hours: input.course.clock_hours,
      language: input.language ?? 'en',
      address_line: input.place?.addressLine ?? null,
      city: input.place?.city ?? null,
      county: input.place?.county ?? null,
      region: input.place?.region ?? null,
      zip: input.place?.zip ?? null,
      latitude: point?.latitude ?? null,
      longitude: point?.longitude ?? null,
      online_url: input.onlineUrl ?? null,
      capacity: input.capacity,
      fee_cents: input.feeCents ?? 0,
      registration_deadline: input.registrationDeadline ?? null,
      session_choice: input.sessionChoice ?? false,
      online_module_group: onlineModuleGroup,
      first_session_at: new Date(Math.min(...starts)),
      last_session_at: new Date(Math.max(...ends)),
    })
    .returning('id');
  const id = (event as { id: number }).id;
  await db('event_sessions').insert(
    input.sessions.map((s) => ({
      event_id: id,
      title: s.title ?? '',
      track: s.track ?? null,
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      hours: s.hours,
    })),
  );
  return { id };
}

/** One event as its page shows it, with its trainer's user id and the seats left. */
export interface EventDetail {
  id: number;
  courseId: number;
  title: string;
  description: string;
  sponsor: string;
  trainerName: string;
  topic: string;
  level: string | null;
  delivery: DeliveryMode;
  clockHours: number;
  language: TrainingLanguage;
  addressLine: string | null;
  city: string | null;
  county: string | null;
  region: Region | null;
  zip: string | null;
  onlineUrl: string | null;
  capacity: number;
  feeCents: number;
  registrationDeadline: Date | null;
  firstSessionAt: Date;
  lastSessionAt: Date;
  cancelled: boolean;
  sessionChoice: boolean;
  attendanceCompletedAt: Date | null;
  trainerUserId: number | null;
  seatsLeft: number;
}

export function findEventDetail(db: Db, id: number): Promise<EventDetail | undefined> {
  return db('events as e')
    .where('e.id', id)
    .first<EventDetail | undefined>(
      'e.id',
      'e.course_id as courseId',
      'e.title',
      'e.description',
      'e.sponsor',
      'e.trainer_name as trainerName',
      'e.topic',
      'e.level',
      'e.delivery',
      'e.clock_hours as clockHours',
      'e.language',
      'e.address_line as addressLine',
      'e.city',
      'e.county',
      'e.region',
      'e.zip',
      'e.online_url as onlineUrl',
      'e.capacity',
      'e.fee_cents as feeCents',
      'e.registration_deadline as registrationDeadline',
      'e.first_session_at as firstSessionAt',
      'e.last_session_at as lastSessionAt',
      'e.cancelled',
      'e.session_choice as sessionChoice',
      'e.attendance_completed_at as attendanceCompletedAt',
      'e.trainer_user_id as trainerUserId',
      db.raw(
        'e.capacity - (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = \'registered\')::int AS "seatsLeft"',
      ),
    );
}

export interface EventSessionListing {
  id: number;
  title: string;
  track: string | null;
  startsAt: Date;
  endsAt: Date;
  hours: number;
}

/** An event's sessions in time order (then by track). */
export function sessionsOfEvent(db: Db, eventId: number): Promise<EventSessionListing[]> {
  return db('event_sessions')
    .where({ event_id: eventId })
    .orderBy([{ column: 'starts_at' }, { column: 'track' }, { column: 'id' }])
    .select('id', 'title', 'track', 'starts_at as startsAt', 'ends_at as endsAt', db.raw('hours::float AS hours'));
}

export interface TrainerEventListing {
  id: number;
  title: string;
  delivery: DeliveryMode;
  city: string | null;
  firstSessionAt: Date;
  lastSessionAt: Date;
  capacity: number;
  cancelled: boolean;
  sessionChoice: boolean;
  attendanceCompletedAt: Date | null;
  registered: number;
  waitlisted: number;
}

/** A trainer's events, latest first (at most 200), with how many are registered and waitlisted. */
export function eventsOfTrainer(db: Db, trainerUserId: number): Promise<TrainerEventListing[]> {
  return db('events as e')
    .where('e.trainer_user_id', trainerUserId)
    .orderBy('e.first_session_at', 'desc')
    .limit(200)
    .select(
      'e.id',
      'e.title',
      'e.delivery',
      'e.city',
      'e.first_session_at as firstSessionAt',
      'e.last_session_at as lastSessionAt',
      'e.capacity',
      'e.cancelled',
      'e.session_choice as sessionChoice',
      'e.attendance_completed_at as attendanceCompletedAt',
      db.raw(
        "(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered')::int AS registered",
      ),
      db.raw(
        "(SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')::int AS waitlisted",
      ),
    );
}

/** The approved courses a trainer may schedule, by title. */
export function approvedCoursesOfTrainer(
  db: Db,
  trainerUserId: number,
): Promise<Array<{ id: number; title: string; delivery: DeliveryMode; clockHours: number; topic: string }>> {
  return db('courses')
    .where({ trainer_user_id: trainerUserId, approved: true })
    .orderBy('title')
    .select('id', 'title', 'delivery', db.raw('clock_hours::float AS "clockHours"'), 'topic');
}

/**
 * The courses a trainer teaches events of without owning them (an imported event names its trainer
 * apart from the course, which may have none), with how many events of each they teach.
 */
export function coursesTaughtByTrainer(
  db: Db,
  trainerUserId: number,
): Promise<Array<{ id: number; title: string; delivery: DeliveryMode; clockHours: number; events: number }>> {
  return db('events as e')
    .join('courses as c', 'c.id', 'e.course_id')
    .where('e.trainer_user_id', trainerUserId)
    .where((q) => q.whereNull('c.trainer_user_id').orWhereNot('c.trainer_user_id', trainerUserId))
    .groupBy('c.id')
    .orderBy('c.title')
    .select(
      'c.id',
      'c.title',
      'c.delivery',
      db.raw('c.clock_hours::float AS "clockHours"'),
      db.raw('count(e.id)::int AS events'),
    );
}

/** Whether the trainer's approval runs through `today` (America/Chicago). */
export async function isTrainerApprovedOn(db: Db, trainerUserId: number, today: string): Promise<boolean> {
  return (
    (await db('trainers').where({ user_id: trainerUserId }).where('approved_until', '>=', today).first('user_id')) !==
    undefined
  );
}

/** Whether a ZIP code is one of Missouri's we know (with its point). */
export async function isKnownZip(db: Db, zip: string): Promise<boolean> {
  return (await db('zip_codes').where({ zip }).first('zip')) !== undefined;
}
