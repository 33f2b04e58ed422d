/**
 * Outgoing mail for admins: the outbox by status (dead letters first of all: emails that kept
 * failing, with their last error and attempts) and sending a dead letter again.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { listOutbox, outboxCounts } from '../../db/outbox.js';
import { retryDeadLetter } from '../../services/mail/deadLetters.js';
import { OUTBOX_STATUSES } from '../../rules/domain.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { id, idParams } from '../schemas.js';
import * as responses from '../responses/mail.js';

export const outboxQuery = z
  .object({
    status: z.enum(OUTBOX_STATUSES, { error: `must be one of ${OUTBOX_STATUSES.join(', ')}` }).default('dead'),
    beforeId: id.optional(),
    limit: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .default(50),
  })
  .strict();

export function mailRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/admin/outbox',
      summary:
        'Outgoing emails of one status (dead letters unless another is asked for), newest first, with the count in each status',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      query: outboxQuery,
      response: responses.getAdminOutbox,
      handle: async ({ query }) => ({ counts: await outboxCounts(db), emails: await listOutbox(db, query) }),
    }),
    route({
      method: 'post',
      path: '/api/admin/outbox/:id/retry',
      summary: 'Send a dead letter again: it goes back to the queue as a new job and is tried with the usual back-off',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      params: idParams,
      response: responses.postAdminOutboxByIdRetry,
      handle: async ({ params, principal, requestId }) => {
        const email = await retryDeadLetter(db, params.id, { actorUserId: principal.userId, requestId });
        return {
          email: {
            id: email.id,
            status: email.status,
            attempts: email.attempts,
            lastError: email.last_error,
            generation: email.generation,
          },
        };
      },
    }),
  ];
}
