/** Sending a dead letter again, at an admin's request. */
import type { Db } from '../../db/connection.js';
import { audit } from '../../db/audit.js';
import { findOutboxEmail, retryDeadEmail } from '../../db/outbox.js';
import type { OutboxRow } from '../../db/rows.js';
import { DomainError } from '../errors.js';

/**
 * Puts a dead letter back in the queue as a new generation (tried with the usual back-off), with
 * the audit entry, in one transaction. Only dead letters: anything else is a conflict.
 */
export async function retryDeadLetter(
  db: Db,
  id: number,
  ctx: { actorUserId: number; requestId?: string },
): Promise<OutboxRow> {
  return db.transaction(async (trx) => {
    const retried = await retryDeadEmail(trx, id);
    if (!retried) {
      const found = await findOutboxEmail(trx, id);
      if (!found) throw new DomainError('NotFound', `No email with id ${id}`, 'id');
      throw new DomainError(
        'Conflict',
        `Email ${id} is ${found.status}, not a dead letter: only dead letters are retried`,
        'id',
      );
    }
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'outbox.retried',
      entity: 'outbox',
      entityId: retried.id,
      before: {
        status: 'dead',
        attempts: retried.attempts,
        lastError: retried.last_error,
        generation: retried.generation - 1,
      },
      after: { status: 'pending', generation: retried.generation },
      requestId: ctx.requestId,
    });
    return retried;
  });
}
