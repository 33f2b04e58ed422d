/** Registrations for events: a person's seats and an event's roster. */
import type { Db } from './connection.js';

export interface RegistrationOfPerson {
  id: number;
  status: 'registered' | 'waitlisted';
  eventId: number;
  title: string;
  firstSessionAt: Date | null;
  lastSessionAt: Date | null;
  city: string | null;
  onlineUrl: string | null;
  /** The event's fee (0: free) and where its payment stands: null before any checkout. */
  feeCents: number;
  paymentStatus: 'pending' | 'paid' | 'failed' | null;
  eventCancelled: boolean;
}

/**
 * The events a professional is registered or waitlisted for, past and upcoming, soonest first,
 * with each event's fee and the registration's latest payment. The link to join only
 * with `withOnlineUrl` (to the person holding the seat, or an admin), and never from the waitlist.
 */
export function registrationsOfProfessional(
  db: Db,
  professionalId: number,
  options: { withOnlineUrl: boolean },
): Promise<RegistrationOfPerson[]> {
  return db('registrations as r')
    .join('events as e', 'e.id', 'r.event_id')
    .where('r.professional_id', professionalId)
    .whereNot('r.status', 'cancelled')
    .orderBy('e.first_session_at')
    .select(
      'r.id',
      'r.status',
      'r.event_id as eventId',
      'e.title',
      'e.first_session_at as firstSessionAt',
      'e.last_session_at as lastSessionAt',
      'e.city',
      'e.fee_cents as feeCents',
      'e.cancelled as eventCancelled',
      db.raw(
        '(SELECT pay.status FROM payments pay WHERE pay.registration_id = r.id ORDER BY (pay.status = \'paid\') DESC, pay.created_at DESC, pay.id DESC LIMIT 1) AS "paymentStatus"',
      ),
      options.withOnlineUrl
        ? db.raw('CASE WHEN r.status = \'registered\' THEN e.online_url END AS "onlineUrl"')
        : db.raw('NULL::text AS "onlineUrl"'),
    );
}

export interface RosterEntry {
  id: number;
  status: 'registered' | 'waitlisted';
  professionalId: number;
  mopdId: string;
  name: string;
  email: string;
  registeredAt: Date;
}

/** Who is registered, then who is waitlisted (in the order they came), for an event. */
export function rosterOfEvent(db: Db, eventId: number): Promise<RosterEntry[]> {
  return db('registrations as r')
    .join('professionals as p', 'p.id', 'r.professional_id')
    .where('r.event_id', eventId)
    .whereNot('r.status', 'cancelled')
    .orderByRaw("r.status = 'waitlisted', r.created_at, r.id")
    .select(
      'r.id',
      'r.status',
      'p.id as professionalId',
      'p.mopd_id as mopdId',
      db.raw("p.first_name || ' ' || p.last_name AS name"),
      'p.email',
      'r.created_at as registeredAt',
    );
}

/** A professional's registration for an event, unless cancelled. */
export function activeRegistrationOf(
  db: Db,
  eventId: number,
  professionalId: number,
): Promise<{ id: number; status: 'registered' | 'waitlisted' } | undefined> {
  return db('registrations')
    .where({ event_id: eventId, professional_id: professionalId })
    .whereNot('status', 'cancelled')
    .first<{ id: number; status: 'registered' | 'waitlisted' } | undefined>('id', 'status');
}

/** The conference sessions a registration chose. */
export async function sessionIdsOfRegistration(db: Db, registrationId: number): Promise<number[]> {
  return (await db('registration_sessions').where({ registration_id: registrationId }).pluck('event_session_id')).map(
    Number,
  );
}
