/** Messages between an event's trainer and the people taking part, emailed through the outbox. */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { createEventMessages } from '../../services/eventMessages.js';
import { holds, type Principal } from '../access/principal.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { bodyId, idParams } from '../schemas.js';
import * as responses from '../responses/eventMessages.js';

const newMessage = z
  .object({
    body: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
      .trim()
      .min(1, 'must not be empty')
      .max(5000, 'must be at most 5000 characters'),
    /** The trainer's choice of one participant; without it, everyone registered or waitlisted. */
    professionalId: bodyId.optional(),
    inReplyTo: bodyId.optional(),
  })
  .strict();

// The event is public (the catalog lists it), so someone outside it is told 403 with the reason,
// not a 404 that hides it; the activity decides, since taking part is not a role.
const eventPeople = policies.signedIn(
  'The event’s trainer and admins read every message; people registered or waitlisted read messages to everyone, to them, and their own, and write to the trainer',
);

export function eventMessageRoutes({ db, publicUrl }: { db: Db; publicUrl: string }): RouteDefinition[] {
  const messages = createEventMessages({ db, publicUrl });
  const who = (principal: Principal) => ({
    userId: principal.userId,
    professionalId: principal.professionalId,
    admin: holds(principal, 'admin'),
  });

  return [
    route({
      method: 'get',
      path: '/api/events/:id/messages',
      summary: 'An event’s messages, oldest first, as the reader may see them, with how the reader stands to the event',
      tags: ['catalog'],
      policy: eventPeople,
      params: idParams,
      response: responses.getEventsByIdMessages,
      handle: async ({ params, principal }) => {
        const { standing } = await messages.standing(params.id, who(principal));
        return { youAre: standing.as, messages: await messages.list(params.id, standing) };
      },
    }),
    route({
      method: 'post',
      path: '/api/events/:id/messages',
      summary:
        'Write about an event: the trainer to everyone taking part or to one of them (professionalId); a participant to the trainer. Each recipient is emailed',
      tags: ['catalog'],
      policy: eventPeople,
      params: idParams,
      body: newMessage,
      status: 201,
      response: responses.postEventsByIdMessages,
      handle: async ({ params, body, principal, requestId }) =>
        messages.send({
          eventId: params.id,
          ...who(principal),
          body: body.body,
          toProfessionalId: body.professionalId,
          inReplyToId: body.inReplyTo,
          requestId,
        }),
    }),
  ];
}
