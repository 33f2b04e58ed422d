/** Reminding registrants before an event starts; the workflow decides when, these act. */
import type { Db } from '../db/connection.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import { getSetting } from '../db/settings.js';
import { registrationNotice } from './mail/templates.js';
import { rowMayStillCommit } from './rowInTransaction.js';
import { registrationCalendar } from './registrationCalendar.js';

export interface EventReminderServiceDeps {
  db: Db;
  publicUrl: string;
}

export interface EventReminderPlan {
  /** When to remind (ISO instant), or null when there is nothing to remind of (cancelled, started). */
  remindAt: string | null;
  /** The start the reminder is for: a rescheduled event reminds again for its new start. */
  startsAt: string | null;
}

/** `at` is the workflow's time, so the plan agrees with the workflow's timers (and test clocks). */
export function createEventReminderService({ db, publicUrl }: EventReminderServiceDeps) {
  return {
    async planEventReminder({ eventId, at }: { eventId: number; at: string }): Promise<EventReminderPlan> {
      const now = () => new Date(at);
      const event = await db('events')
        .where({ id: eventId })
        .first<{ cancelled: boolean; first_session_at: Date } | undefined>('cancelled', 'first_session_at');
      // Scheduling starts this workflow inside its transaction: an event not there yet may still be committing.
      if (!event && rowMayStillCommit())
        throw new Error(`No event ${eventId} yet (its transaction may not have committed)`);
      if (!event || event.cancelled || event.first_session_at <= now()) return { remindAt: null, startsAt: null };
      const { remindHoursBefore } = await getSetting(db, 'event_reminders');
      const remindAt = new Date(
        Math.max(now().getTime(), event.first_session_at.getTime() - remindHoursBefore * 3_600_000),
      );
      return { remindAt: remindAt.toISOString(), startsAt: event.first_session_at.toISOString() };
    },

    /** Emails everyone holding a seat; keyed per registration and start, so a retry sends none twice. */
    async sendEventReminders({ eventId, at }: { eventId: number; at: string }): Promise<{ sent: number }> {
      const now = () => new Date(at);
      return db.transaction(async (trx) => {
        const event = await trx('events')
          .where({ id: eventId })
          .first<{ title: string; cancelled: boolean; first_session_at: Date; city: string | null } | undefined>(
            'title',
            'cancelled',
            'first_session_at',
            'city',
          );
        if (!event || event.cancelled || event.first_session_at <= now()) return { sent: 0 };
        const seats: Array<{ id: number; email: string; first_name: string; last_name: string }> = await trx(
          'registrations as r',
        )
          .join('professionals as p', 'p.id', 'r.professional_id')
          .where({ 'r.event_id': eventId, 'r.status': 'registered' })
          .select('r.id', 'p.email', 'p.first_name', 'p.last_name');
        for (const seat of seats) {
          const name = `${seat.first_name} ${seat.last_name}`;
          // The invitation again, with what the event holds now (a rescheduled event moves in the calendar).
          const calendar = await registrationCalendar(trx, {
            registrationId: seat.id,
            eventId,
            method: 'REQUEST',
            revises: false,
            person: { name, email: seat.email },
            publicUrl,
            stamp: now(),
          });
          const facts = {
            name,
            eventTitle: event.title,
            startsAt: event.first_session_at,
            where: event.city,
            eventUrl: `${publicUrl}/events/${eventId}`,
            joinUrl: calendar.joinUrl,
            calendar: calendar.hasSessions ? ('REQUEST' as const) : null,
          };
          await addToOutboxInLanguage(trx, {
            dedupeKey: `registration-${seat.id}-reminder-${event.first_session_at.toISOString()}`,
            template: 'registration-reminder',
            to: seat.email,
            compose: (language) => ({
              ...registrationNotice(language, 'reminder', facts),
              attachments: [calendar.attachment(language)].filter((a) => a != null),
            }),
          });
        }
        return { sent: seats.length };
      });
    },
  };
}
