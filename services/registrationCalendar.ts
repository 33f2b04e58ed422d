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
  attachment: (language: Language) => OutboxAttachment;
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
  const event = await trx('events').where({ id: input.eventId }).first<{
    title: string;
    address_line: string | null;
    city: string | null;
    zip: string | null;
    online_url: string | null;
  }>('title', 'address_line', 'city', 'zip', 'online_url');
  const sessions: Array<{ id: number; title: string; starts_at: Date; ends_at: Date }> = await trx('event_sessions')
    .where({ event_id: input.eventId })
    .orderBy([{ column: 'starts_at' }, { column: 'id' }])
    .select('id', 'title', 'starts_at', 'ends_at');
  const host = new URL(input.publicUrl).hostname;
  const eventUrl = `${input.publicUrl}/events/${input.eventId}`;
  const address = [event!.address_line, event!.city, event!.zip].filter(Boolean).join(', ');
  const joinUrl = event!.online_url;
  return {
    joinUrl,
    attachment: (language) => {
      const m = emailMessages[language].registration;
      return calendarAttachment({
        method: input.method,
        sequence: registration!.calendar_sequence,
        stamp: input.stamp,
        organizer: { name: 'MOPD', email: `no-reply@${host}` },
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
