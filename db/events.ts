/** Scheduled training events of approved courses, with their sessions. */
import type { Knex } from 'knex';
import type { Db } from './connection.js';
import type { CourseRow } from './rows.js';
import type { Region, TrainingLanguage } from '../rules/domain.js';

export interface NewEvent {
  course: Pick<CourseRow, 'id' | 'title' | 'description' | 'sponsor' | 'topic' | 'delivery' | 'clock_hours'> & { level?: string | null };
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
}

/** Inserts an event with its sessions; the place's ZIP code gives the point distances are measured to. */
export async function createEvent(db: Db | Knex.Transaction, input: NewEvent): Promise<{ id: number }> {
  if (input.sessions.length === 0) throw new RangeError('An event has at least one session');
  const starts = input.sessions.map((s) => s.startsAt.getTime());
  const ends = input.sessions.map((s) => s.endsAt.getTime());
  const point = input.place ? await db('zip_codes').where({ zip: input.place.zip }).first<{ latitude: number; longitude: number } | undefined>('latitude', 'longitude') : undefined;
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
      first_session_at: new Date(Math.min(...starts)),
      last_session_at: new Date(Math.max(...ends)),
    })
    .returning('id');
  const id = (event as { id: number }).id;
  await db('event_sessions').insert(input.sessions.map((s) => ({ event_id: id, title: s.title ?? '', track: s.track ?? null, starts_at: s.startsAt, ends_at: s.endsAt, hours: s.hours })));
  return { id };
}
