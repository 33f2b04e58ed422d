/**
 * The calendar invitation and the link to join that go with a registration's emails: only to
 * someone holding a seat (the link to join an online event lets anyone in, issue 16), and a
 * cancellation for someone who held one, naming the same sessions so their calendar drops them.
 */
import type { Knex } from 'knex';
import type { Language } from '../rules/domain.js';
import type { OutboxAttachment } from '../db/outbox.js';
import { calendarAttachment, type CalendarMethod } from './mail/calendar.js';
import { emailMessages, fill } from './mail/messages.js';

export interface RegistrationCalendar {
  /** The link to join an online event (null in person). */
  joinUrl: string | null;
  /** Whether the invitation holds a session (a conference's registrant may have chosen none yet). */
  hasSessions: boolean;
  /** None while a conference's registrant has chosen no session yet: nothing to put in a calendar. */
  attachment: (language: Language) => OutboxAttachment | null;
}

/**
 * What to attach to a registration's email (inside the caller's transaction, with the email it
 * goes with). A change to the seat (`revises`: taken, promoted, cancelled) takes the registration's
 * next calendar sequence, so a calendar replaces what it holds; an email that only repeats the
 * invitation (a reminder) sends the current one, so sending it again changes nothing. The UID of
 * each session is the registration's stored random calendar UID, the session and this
 * deployment's host.
 */
export async function registrationCalendar(
  trx: Knex.Transaction,
  input: {
    registrationId: number;
    eventId: number;
    method: CalendarMethod;
    revises: boolean;
    person: { name: string; email: string };
    publicUrl: string;
    stamp: Date;
  },
): Promise<RegistrationCalendar> {
  const seat = () => trx('registrations').where({ id: input.registrationId });
  type Seat = { calendar_uid: string; calendar_sequence: number };
  const registration: Seat | undefined = input.revises
    ? ((await seat().increment('calendar_sequence', 1).returning(['calendar_uid', 'calendar_sequence'])) as Seat[])[0]
    : await seat().first<Seat>('calendar_uid', 'calendar_sequence');
  const event = await trx('events as e')
    .leftJoin('users as t', 't.id', 'e.trainer_user_id')
    .where('e.id', input.eventId)
    .first<{
      title: string;
      address_line: string | null;
      city: string | null;
      zip: string | null;
      online_url: string | null;
      session_choice: boolean;
      sponsor: string;
      trainer_name: string;
      trainer_email: string | null;
      trainer_display_name: string | null;
    }>(
      'e.title',
      'e.address_line',
      'e.city',
      'e.zip',
      'e.online_url',
      'e.session_choice',
      'e.sponsor',
      'e.trainer_name',
      't.email as trainer_email',
      't.display_name as trainer_display_name',
    );
  // A conference's invitation holds only the sessions the person chose; any other event's, all of them.
  const sessions: Array<{ id: number; title: string; starts_at: Date; ends_at: Date }> = await trx(
    'event_sessions as s',
  )
    .where('s.event_id', input.eventId)
    .modify((q) => {
      if (event!.session_choice)
        void q.whereIn(
          's.id',
          trx('registration_sessions').where({ registration_id: input.registrationId }).select('event_session_id'),
        );
    })
    .orderBy([{ column: 's.starts_at' }, { column: 's.id' }])
    .select('s.id', 's.title', 's.starts_at', 's.ends_at');
  const host = new URL(input.publicUrl).hostname;
  // The event's organizer is the trainer who gives it; an event without one (imported) is the sponsor's, sent by MOPD.
  const organizer = event!.trainer_email
    ? { name: event!.trainer_name || event!.trainer_display_name || event!.sponsor, email: event!.trainer_email }
    : { name: event!.sponsor || 'MOPD', email: `no-reply@${host}` };
  const eventUrl = `${input.publicUrl}/events/${input.eventId}`;
  const address = [event!.address_line, event!.city, event!.zip].filter(Boolean).join(', ');
  const joinUrl = event!.online_url;
  return {
    joinUrl,
    hasSessions: sessions.length > 0,
    attachment: (language) => {
      if (sessions.length === 0) return null;
      const m = emailMessages[language].registration;
      return calendarAttachment({
        method: input.method,
        sequence: registration!.calendar_sequence,
        stamp: input.stamp,
        organizer,
        attendee: input.person,
        sessions: sessions.map((s, i) => ({
          uid: `${registration!.calendar_uid}.${s.id}@${host}`,
          startsAt: s.starts_at,
          endsAt: s.ends_at,
          summary:
            sessions.length > 1
              ? `${event!.title}: ${s.title || fill(m.calendarSession, { number: i + 1 })}`
              : event!.title,
          // In person (and blended) the place; online the link to join, which the description also gives.
          location: address || joinUrl,
          description: [joinUrl ? fill(m.join, { url: joinUrl }) : '', fill(m.calendarDescription, { url: eventUrl })]
            .filter(Boolean)
            .join('\n\n'),
          url: eventUrl,
        })),
      });
    },
  };
}
