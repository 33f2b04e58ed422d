/** The answers of the mail routes (api/routes/mail.ts), as the client reads them. */
import { z } from 'zod';
import { OUTBOX_STATUSES } from '../../rules/domain.js';
import * as shapes from './shapes.js';

/** GET /api/admin/outbox */
export const getAdminOutbox = z.object({
  counts: z.object({
    pending: z.number(),
    queued: z.number(),
    sent: z.number(),
    dead: z.number(),
  }),
  emails: z.array(shapes.outboxSummary),
});

/** POST /api/admin/outbox/:id/retry */
export const postAdminOutboxByIdRetry = z.object({
  email: z.object({
    id: z.number(),
    status: z.enum(OUTBOX_STATUSES),
    attempts: z.number(),
    lastError: z.string().nullable(),
    generation: z.number(),
  }),
});
