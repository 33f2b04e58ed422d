/**
 * Messages about an event, kept with the event and emailed through the outbox. The trainer writes
 * to everyone taking part (registered or waitlisted) or to one of them; a participant writes to
 * the trainer, in their own conversation, which no other participant sees.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import { audit } from '../db/audit.js';
import { EVENT_PARTICIPANT_STATUSES, type EventMessageSender } from '../rules/domain.js';
import { DomainError } from './errors.js';
import { eventMessageEmail } from './mail/templates.js';

export interface EventMessage {
  id: number;
  sentBy: EventMessageSender;
  authorName: string;
  /** The participant whose conversation with the trainer this is; null when the trainer wrote to everyone. */
  toProfessionalId: number | null;
  toName: string | null;
  inReplyToId: number | null;
  body: string;
  createdAt: Date;
}

/** How someone stands to an event's messages: the trainer and admins read all, a participant their own. */
export type Standing = { as: 'trainer' } | { as: 'admin' } | { as: 'participant'; professionalId: number };

interface EventRow {
  id: number;
  title: string;
  first_session_at: Date;
  trainer_user_id: number | null;
}

interface Person {
  id: number;
  email: string;
  name: string;
}

const fullName = "p.first_name || ' ' || p.last_name";

/** People taking part in the event: one of them, or all. */
function participants(db: Db, eventId: number, professionalId?: number): Promise<Person[]> {
  const q = db('registrations as r')
    .join('professionals as p', 'p.id', 'r.professional_id')
    .where('r.event_id', eventId)
    .whereIn('r.status', EVENT_PARTICIPANT_STATUSES)
    .orderBy('p.id')
    .select('p.id', 'p.email', db.raw(`${fullName} AS name`));
  if (professionalId !== undefined) void q.where('p.id', professionalId);
  return q;
}

async function findEvent(db: Db, eventId: number): Promise<EventRow> {
  const event = await db('events')
    .where({ id: eventId })
    .first<EventRow | undefined>('id', 'title', 'first_session_at', 'trainer_user_id');
  if (!event) throw new DomainError('NotFound', `No event with id ${eventId}`, 'id');
  return event;
}

export function createEventMessages({ db, publicUrl }: { db: Db; publicUrl: string }) {
  /** The reader's standing, or a refusal: the event is public, so a refusal says why instead of hiding it. */
  async function standing(
    eventId: number,
    who: { userId: number; professionalId: number | null; admin: boolean },
  ): Promise<{ event: EventRow; standing: Standing }> {
    const event = await findEvent(db, eventId);
    if (event.trainer_user_id === who.userId) return { event, standing: { as: 'trainer' } };
    if (who.professionalId !== null && (await participants(db, eventId, who.professionalId)).length > 0)
      return { event, standing: { as: 'participant', professionalId: who.professionalId } };
    if (who.admin) return { event, standing: { as: 'admin' } };
    throw new DomainError(
      'Forbidden',
      'Only the trainer of this event and the people registered or waitlisted for it can read and write its messages',
    );
  }

  function list(eventId: number, reader: Standing): Promise<EventMessage[]> {
    const q = db('event_messages as m')
      .join('users as a', 'a.id', 'm.author_user_id')
      .leftJoin('professionals as p', 'p.id', 'm.to_professional_id')
      .where('m.event_id', eventId)
      .orderBy('m.id')
      .select(
        'm.id',
        'm.sent_by as sentBy',
        // A participant writes only in their own conversation, so its participant is the author.
        db.raw(`CASE WHEN m.sent_by = 'participant' THEN ${fullName} ELSE a.display_name END AS "authorName"`),
        'm.to_professional_id as toProfessionalId',
        db.raw(`${fullName} AS "toName"`),
        'm.in_reply_to_id as inReplyToId',
        'm.body',
        'm.created_at as createdAt',
      );
    if (reader.as === 'participant')
      void q.where((w) => w.whereNull('m.to_professional_id').orWhere('m.to_professional_id', reader.professionalId));
    return q;
  }

  /**
   * Saves a message and queues one email per recipient in the same transaction. `toProfessionalId`
   * is the trainer's choice of one participant (else everyone); a reply to a message of a
   * conversation stays in that conversation.
   */
  async function send(input: {
    eventId: number;
    userId: number;
    professionalId: number | null;
    admin: boolean;
    body: string;
    toProfessionalId?: number;
    inReplyToId?: number;
    requestId?: string;
  }) {
    const { event, standing: who } = await standing(input.eventId, input);
    if (who.as === 'admin')
      throw new DomainError('Forbidden', 'Only the trainer of this event and its participants write its messages');
    return db.transaction(async (trx) => {
      let toProfessionalId: number | null =
        who.as === 'participant' ? who.professionalId : (input.toProfessionalId ?? null);
      if (who.as === 'participant' && input.toProfessionalId !== undefined)
        throw new DomainError('Invalid', 'is only for the trainer: your messages go to the trainer', 'professionalId');
      if (who.as === 'participant' && event.trainer_user_id === null)
        throw new DomainError('Conflict', 'This event has no trainer to write to');
      if (input.inReplyToId !== undefined) {
        const original = await trx('event_messages')
          .where({ id: input.inReplyToId, event_id: event.id })
          .first<{ to_professional_id: number | null } | undefined>('to_professional_id');
        const visible =
          original &&
          (who.as === 'trainer' ||
            original.to_professional_id === null ||
            original.to_professional_id === toProfessionalId);
        if (!visible) throw new DomainError('Invalid', 'must be a message of this event that you can see', 'inReplyTo');
        if (who.as === 'trainer' && original.to_professional_id !== null) {
          if (input.toProfessionalId !== undefined && input.toProfessionalId !== original.to_professional_id)
            throw new DomainError('Invalid', 'belongs to your conversation with another participant', 'inReplyTo');
          toProfessionalId = original.to_professional_id;
        }
      }
      const recipients = await recipientsOf(trx, event, who.as, toProfessionalId);
      const [saved] = await trx('event_messages')
        .insert({
          event_id: event.id,
          author_user_id: input.userId,
          sent_by: who.as,
          to_professional_id: toProfessionalId,
          in_reply_to_id: input.inReplyToId ?? null,
          body: input.body,
        })
        .returning<Array<{ id: number; created_at: Date }>>(['id', 'created_at']);
      const id = saved!.id;
      await audit(trx, {
        actorUserId: input.userId,
        action: 'event_message.sent',
        entity: 'event_message',
        entityId: id,
        after: {
          eventId: event.id,
          sentBy: who.as,
          toProfessionalId,
          inReplyToId: input.inReplyToId ?? null,
          recipients: recipients.length,
        },
        requestId: input.requestId ?? null,
      });
      const fromName =
        who.as === 'trainer'
          ? ((await trx('users').where({ id: input.userId }).first<{ display_name: string }>('display_name'))
              ?.display_name ?? 'The trainer')
          : ((await participants(trx, event.id, toProfessionalId!))[0]?.name ?? 'A participant');
      for (const person of recipients) {
        const facts = {
          name: person.name,
          fromName,
          fromTrainer: who.as === 'trainer',
          toEveryone: toProfessionalId === null,
          eventTitle: event.title,
          startsAt: event.first_session_at,
          body: input.body,
          // The event's page holds its messages, for participants and for its trainer.
          url: `${publicUrl}/events/${event.id}`,
        };
        await addToOutboxInLanguage(trx, {
          dedupeKey: `event-message-${id}-${person.key}`,
          template: 'event-message',
          to: person.email,
          compose: (language) => eventMessageEmail(language, facts),
        });
      }
      return {
        message: {
          id,
          sentBy: who.as,
          toProfessionalId,
          inReplyToId: input.inReplyToId ?? null,
          createdAt: saved!.created_at,
        },
        recipients: recipients.length,
      };
    });
  }

  /** The trainer's message goes to the participant named, or to all; a participant's goes to the trainer. */
  async function recipientsOf(
    trx: Knex.Transaction,
    event: EventRow,
    sentBy: EventMessageSender,
    toProfessionalId: number | null,
  ): Promise<Array<Person & { key: string }>> {
    if (sentBy === 'participant') {
      const trainer = await trx('users')
        .where({ id: event.trainer_user_id! })
        .first<{ id: number; email: string; display_name: string }>('id', 'email', 'display_name');
      return trainer
        ? [{ id: trainer.id, email: trainer.email, name: trainer.display_name, key: `user-${trainer.id}` }]
        : [];
    }
    const people = await participants(trx, event.id, toProfessionalId ?? undefined);
    if (toProfessionalId !== null && people.length === 0)
      throw new DomainError('Invalid', 'must be someone registered or waitlisted for this event', 'professionalId');
    return people.map((p) => ({ ...p, key: `professional-${p.id}` }));
  }

  return { standing, list, send };
}

export type EventMessages = ReturnType<typeof createEventMessages>;
