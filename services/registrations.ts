/**
 * Registering for events: a seat while there is one, otherwise a place on the waitlist; a
 * cancelled seat goes to the first person waiting. Each change locks the event's row, so two
 * people asking for the last seat at once are served one after the other: exactly one gets it.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import { audit } from '../db/audit.js';
import type { RegistrationStatus } from '../rules/domain.js';
import { DomainError } from './errors.js';
import { registrationNotice } from './mail/templates.js';
import type { CalendarMethod } from './mail/calendar.js';
import { registrationCalendar } from './registrationCalendar.js';
import type { PaymentProvider } from './payments.js';

interface EventRow {
  id: number;
  title: string;
  capacity: number;
  fee_cents: number;
  cancelled: boolean;
  first_session_at: Date;
  registration_deadline: Date | null;
  city: string | null;
  online_url: string | null;
}

export interface RegistrationResult {
  registrationId: number;
  status: RegistrationStatus;
  /** Place on the waitlist (1 is next), when waitlisted. */
  waitlistPosition: number | null;
  /** The event's fee (0: free); paid through the payment provider once the seat is held. */
  feeCents: number;
}

async function lockEvent(trx: Knex.Transaction, eventId: number): Promise<EventRow> {
  const event = await trx('events').where({ id: eventId }).forUpdate().first<EventRow | undefined>();
  if (!event) throw new DomainError('NotFound', `No event with id ${eventId}`, 'id');
  return event;
}

const seatsTaken = async (trx: Knex.Transaction, eventId: number) =>
  Number(
    (
      await trx('registrations')
        .where({ event_id: eventId, status: 'registered' })
        .count<{ count: number }[]>({ count: '*' })
    )[0]!.count,
  );

/** Place on an event's waitlist (1 is next); also read by the event page. */
export async function waitlistPosition(db: Knex, eventId: number, registrationId: number): Promise<number> {
  // The waitlist promotes in order of (created_at, id); someone who registered again waits from then.
  const ahead = await db('registrations as r')
    .join('registrations as me', 'me.id', db.raw('?', [registrationId]))
    .where({ 'r.event_id': eventId, 'r.status': 'waitlisted' })
    .whereRaw('(r.created_at, r.id) <= (me.created_at, me.id)')
    .count<{ count: number }[]>({ count: '*' });
  return Number(ahead[0]!.count);
}

/**
 * Emails the person; `occasion` names the change, so the same change is never emailed twice. A
 * seat comes with the calendar invitation (and an online event's link to join); giving up a seat
 * comes with the invitation's cancellation.
 */
async function tell(
  trx: Knex.Transaction,
  registrationId: number,
  professionalId: number,
  event: EventRow,
  kind: 'registered' | 'waitlisted' | 'promoted' | 'cancelled',
  occasion: string,
  publicUrl: string,
  calendarMethod: CalendarMethod | null,
  at: Date,
) {
  const person = await trx('professionals')
    .where({ id: professionalId })
    .first<{ email: string; first_name: string; last_name: string }>('email', 'first_name', 'last_name');
  const name = `${person!.first_name} ${person!.last_name}`;
  const calendar = calendarMethod
    ? await registrationCalendar(trx, {
        registrationId,
        eventId: event.id,
        method: calendarMethod,
        revises: true,
        person: { name, email: person!.email },
        publicUrl,
        stamp: at,
      })
    : null;
  const facts = {
    name,
    eventTitle: event.title,
    startsAt: event.first_session_at,
    where: event.city,
    eventUrl: `${publicUrl}/events/${event.id}`,
    joinUrl: calendarMethod === 'REQUEST' ? (calendar?.joinUrl ?? null) : null,
    calendar: calendar?.hasSessions ? calendarMethod : null,
  };
  await addToOutboxInLanguage(trx, {
    dedupeKey: `registration-${registrationId}-${kind}-${occasion}`,
    template: `registration-${kind}`,
    to: person!.email,
    compose: (language) => ({
      ...registrationNotice(language, kind, facts),
      attachments: [calendar?.attachment(language)].filter((a) => a != null),
    }),
  });
}

export function createRegistrations({
  db,
  publicUrl,
  now = () => new Date(),
}: {
  db: Db;
  publicUrl: string;
  now?: () => Date;
}) {
  return {
    async register(input: {
      eventId: number;
      professionalId: number;
      byUserId: number | null;
      requestId?: string;
    }): Promise<RegistrationResult> {
      return db.transaction(async (trx) => {
        const event = await lockEvent(trx, input.eventId);
        if (event.cancelled) throw new DomainError('Conflict', 'This event was cancelled');
        if (event.first_session_at <= now()) throw new DomainError('Conflict', 'This event has already started');
        if (event.registration_deadline && event.registration_deadline < now())
          throw new DomainError('Conflict', 'Registration for this event has closed');
        const existing = await trx('registrations')
          .where({ event_id: event.id, professional_id: input.professionalId })
          .first<{ id: number; status: RegistrationStatus } | undefined>('id', 'status');
        if (existing && existing.status !== 'cancelled') {
          return {
            registrationId: existing.id,
            status: existing.status,
            waitlistPosition:
              existing.status === 'waitlisted' ? await waitlistPosition(trx, event.id, existing.id) : null,
            feeCents: event.fee_cents,
          };
        }
        const status: RegistrationStatus =
          (await seatsTaken(trx, event.id)) < event.capacity ? 'registered' : 'waitlisted';
        const at = now();
        const row = {
          event_id: event.id,
          professional_id: input.professionalId,
          status,
          registered_by_user_id: input.byUserId,
          created_at: at,
          cancelled_at: null,
        };
        const [saved] = existing
          ? await trx('registrations').where({ id: existing.id }).update(row).returning('id')
          : await trx('registrations').insert(row).returning('id');
        const registrationId = (saved as { id: number }).id;
        await audit(trx, {
          actorUserId: input.byUserId,
          action: `registration.${status}`,
          entity: 'registration',
          entityId: registrationId,
          after: row,
          requestId: input.requestId ?? null,
        });
        await tell(
          trx,
          registrationId,
          input.professionalId,
          event,
          status,
          at.toISOString(),
          publicUrl,
          status === 'registered' ? 'REQUEST' : null,
          at,
        );
        return {
          registrationId,
          status,
          waitlistPosition: status === 'waitlisted' ? await waitlistPosition(trx, event.id, registrationId) : null,
          feeCents: event.fee_cents,
        };
      });
    },

    /** Cancels a registration; a freed seat goes to the first person on the waitlist, who is told. */
    async cancel(input: {
      registrationId: number;
      byUserId: number;
      requestId?: string;
    }): Promise<{ promotedRegistrationId: number | null }> {
      return db.transaction(async (trx) => {
        const found = await trx('registrations')
          .where({ id: input.registrationId })
          .first<{ id: number; event_id: number; professional_id: number; status: RegistrationStatus } | undefined>();
        if (!found) throw new DomainError('NotFound', `No registration with id ${input.registrationId}`, 'id');
        const event = await lockEvent(trx, found.event_id);
        const current = await trx('registrations')
          .where({ id: found.id })
          .first<{ status: RegistrationStatus }>('status');
        if (current!.status === 'cancelled') return { promotedRegistrationId: null };
        const at = now();
        await trx('registrations').where({ id: found.id }).update({ status: 'cancelled', cancelled_at: at });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'registration.cancelled',
          entity: 'registration',
          entityId: found.id,
          before: current,
          after: { status: 'cancelled' },
          requestId: input.requestId ?? null,
        });
        // Only a seat was sent an invitation to take back; a place on the waitlist had none.
        await tell(
          trx,
          found.id,
          found.professional_id,
          event,
          'cancelled',
          at.toISOString(),
          publicUrl,
          current!.status === 'registered' ? 'CANCEL' : null,
          at,
        );
        // A checkout not finished is closed: nobody pays for a seat given up. A fee already paid is
        // kept with the registration (taken again, the seat is not paid twice); refunds are the sponsor's.
        await trx('payments').where({ registration_id: found.id, status: 'pending' }).update({ status: 'failed' });
        if (current!.status !== 'registered') return { promotedRegistrationId: null };
        const next = await trx('registrations')
          .where({ event_id: event.id, status: 'waitlisted' })
          .orderBy([{ column: 'created_at' }, { column: 'id' }])
          .first<{ id: number; professional_id: number } | undefined>('id', 'professional_id');
        if (!next) return { promotedRegistrationId: null };
        await trx('registrations').where({ id: next.id }).update({ status: 'registered' });
        await audit(trx, {
          actorUserId: null,
          action: 'registration.promoted',
          entity: 'registration',
          entityId: next.id,
          before: { status: 'waitlisted' },
          after: { status: 'registered' },
          requestId: input.requestId ?? null,
        });
        await tell(
          trx,
          next.id,
          next.professional_id,
          event,
          'promoted',
          `after-${found.id}-${at.toISOString()}`,
          publicUrl,
          'REQUEST',
          at,
        );
        return { promotedRegistrationId: next.id };
      });
    },
  };
}

/** A registrant's choice of conference sessions. */
export async function chooseSessions(
  db: Db,
  input: { registrationId: number; sessionIds: number[]; byUserId: number; requestId?: string },
  now: () => Date = () => new Date(),
): Promise<{ sessionIds: number[] }> {
  return db.transaction(async (trx) => {
    const registration = await trx('registrations')
      .where({ id: input.registrationId })
      .forUpdate()
      .first<{ id: number; event_id: number; status: RegistrationStatus } | undefined>('id', 'event_id', 'status');
    if (!registration) throw new DomainError('NotFound', `No registration with id ${input.registrationId}`, 'id');
    if (registration.status === 'cancelled')
      throw new DomainError('Conflict', 'This registration was cancelled; register again to choose sessions');
    const event = await trx('events')
      .where({ id: registration.event_id })
      .first<{ session_choice: boolean }>('session_choice');
    if (!event!.session_choice)
      throw new DomainError(
        'Invalid',
        'This event has no sessions to choose between: everyone attends all of them',
        'sessionIds',
      );
    const sessions: Array<{ id: number; title: string; starts_at: Date; ends_at: Date }> = await trx('event_sessions')
      .where({ event_id: registration.event_id })
      .select('id', 'title', 'starts_at', 'ends_at');
    const byId = new Map(sessions.map((s) => [Number(s.id), s]));
    const wanted = [...new Set(input.sessionIds)];
    wanted.forEach((id, i) => {
      if (!byId.has(id)) throw new DomainError('Invalid', 'is not a session of this event', `sessionIds.${i}`);
    });
    const chosen = wanted.map((id) => byId.get(id)!).sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime());
    for (let i = 1; i < chosen.length; i++) {
      for (let j = 0; j < i; j++) {
        if (chosen[j]!.ends_at > chosen[i]!.starts_at)
          throw new DomainError(
            'Invalid',
            `"${chosen[j]!.title}" and "${chosen[i]!.title}" run at the same time; choose one of them`,
            'sessionIds',
          );
      }
    }
    const before: number[] = (
      await trx('registration_sessions').where({ registration_id: registration.id }).pluck('event_session_id')
    ).map(Number);
    const at = now();
    const touched = [...before.filter((id) => !wanted.includes(id)), ...wanted.filter((id) => !before.includes(id))];
    const started = touched.map((id) => byId.get(id)!).find((s) => s.starts_at <= at);
    if (started)
      throw new DomainError(
        'Invalid',
        `"${started.title}" has already started; sessions can be changed only before they begin`,
        'sessionIds',
      );
    await trx('registration_sessions').where({ registration_id: registration.id }).delete();
    if (wanted.length > 0)
      await trx('registration_sessions').insert(
        wanted.map((id) => ({ registration_id: registration.id, event_session_id: id })),
      );
    await audit(trx, {
      actorUserId: input.byUserId,
      action: 'registration.sessions_chosen',
      entity: 'registration',
      entityId: registration.id,
      before: { sessionIds: before },
      after: { sessionIds: wanted },
      requestId: input.requestId ?? null,
    });
    return { sessionIds: wanted };
  });
}

/**
 * Opens the payment provider's checkout for a registration's fee: only for a seat held (not the
 * waitlist), at an event with a fee, not yet paid. A checkout left unfinished is replaced by the
 * new one. The person comes back to their registrations; the payment is settled by the provider's
 * signed notification (`settlePayment`), never by the browser.
 */
export async function startRegistrationCheckout(
  db: Db,
  provider: PaymentProvider | undefined,
  input: { registrationId: number; requestId?: string; actorUserId: number },
): Promise<{ checkoutUrl: string; amountCents: number }> {
  return db.transaction(async (trx) => {
    const registration = await trx('registrations')
      .where({ id: input.registrationId })
      .forUpdate()
      .first<{ id: number; event_id: number; status: RegistrationStatus } | undefined>('id', 'event_id', 'status');
    if (!registration) throw new DomainError('NotFound', `No registration with id ${input.registrationId}`, 'id');
    if (registration.status !== 'registered')
      throw new DomainError(
        'Conflict',
        registration.status === 'waitlisted'
          ? 'You are on the waitlist: the fee is paid once you have a seat'
          : 'This registration was cancelled',
      );
    const event = await trx('events')
      .where({ id: registration.event_id })
      .first<{ title: string; fee_cents: number }>('title', 'fee_cents');
    if (!event || event.fee_cents <= 0) throw new DomainError('Conflict', 'This event has no fee');
    if (!provider) throw new DomainError('Conflict', 'This site takes no payments: ask the event’s trainer');
    const payments: Array<{ id: number; status: string }> = await trx('payments')
      .where({ registration_id: registration.id })
      .whereIn('status', ['pending', 'paid'])
      .select('id', 'status');
    if (payments.some((p) => p.status === 'paid')) throw new DomainError('Conflict', 'This fee is already paid');
    const checkout = await provider.startCheckout({
      amountCents: event.fee_cents,
      description: event.title,
      returnPath: '/my/registrations',
    });
    const pending = payments.find((p) => p.status === 'pending');
    if (pending)
      await trx('payments').where({ id: pending.id }).update({
        provider: provider.name,
        provider_reference: checkout.providerReference,
        amount_cents: event.fee_cents,
        created_at: trx.fn.now(),
      });
    else
      await trx('payments').insert({
        registration_id: registration.id,
        provider: provider.name,
        provider_reference: checkout.providerReference,
        amount_cents: event.fee_cents,
      });
    await audit(trx, {
      actorUserId: input.actorUserId,
      action: 'registration.checkout_started',
      entity: 'registration',
      entityId: registration.id,
      after: { amountCents: event.fee_cents, provider: provider.name },
      requestId: input.requestId ?? null,
    });
    return { checkoutUrl: checkout.checkoutUrl, amountCents: event.fee_cents };
  });
}

export type Registrations = ReturnType<typeof createRegistrations>;
