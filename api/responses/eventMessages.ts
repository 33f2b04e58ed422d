/** The answers of the eventMessages routes (api/routes/eventMessages.ts), as the client reads them. */
import { z } from 'zod';
import { EVENT_MESSAGE_SENDERS } from '../../rules/domain.js';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** GET /api/events/:id/messages */
export const getEventsByIdMessages = z.object({
  youAre: z.enum(['admin', 'trainer', 'participant']),
  messages: z.array(shapes.eventMessage),
});

/** POST /api/events/:id/messages */
export const postEventsByIdMessages = z.object({
  message: z.object({
    id: z.number(),
    sentBy: z.enum(EVENT_MESSAGE_SENDERS),
    toProfessionalId: z.number().nullable(),
    inReplyToId: z.number().nullable(),
    createdAt: isoDateTime,
  }),
  recipients: z.number(),
});
