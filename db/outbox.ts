import type { Db } from './connection.js';
import type { OutboxRow } from './rows.js';

export interface OutgoingEmail {
  /** The cause of the email; the same cause never produces a second row. */
  dedupeKey: string;
  template: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Adds an email to the outbox. Call it inside the transaction of the change that causes it, so
 * the email exists exactly when the change does. Returns false when this cause was already queued.
 */
export async function addToOutbox(db: Db, email: OutgoingEmail): Promise<boolean> {
  const inserted = await db('outbox')
    .insert({
      dedupe_key: email.dedupeKey,
      template: email.template,
      to_address: email.to,
      subject: email.subject,
      body_text: email.text,
      body_html: email.html,
    })
    .onConflict('dedupe_key')
    .ignore()
    .returning('id');
  return inserted.length > 0;
}

/**
 * Takes up to `limit` pending emails for relaying, locking them so a second relay running at the
 * same time takes others. Runs `hand` inside the transaction; rows it hands on become 'queued'.
 */
export async function relayPending(
  db: Db,
  limit: number,
  hand: (rows: OutboxRow[]) => Promise<void>,
): Promise<number> {
  return db.transaction(async (trx) => {
    const rows: OutboxRow[] = await trx('outbox')
      .where({ status: 'pending' })
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    if (rows.length === 0) return 0;
    await hand(rows);
    await trx('outbox')
      .whereIn('id', rows.map((r) => r.id))
      .update({ status: 'queued', queued_at: trx.fn.now() });
    return rows.length;
  });
}

export function findOutboxEmail(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db('outbox').where({ id }).first();
}

/** Marks an email sent unless it already was; true when this call made the change. */
export async function markOutboxSent(db: Db, id: number): Promise<boolean> {
  const changed = await db('outbox')
    .where({ id })
    .whereNot({ status: 'sent' })
    .update({ status: 'sent', sent_at: db.fn.now(), attempts: db.raw('attempts + 1'), last_error: null });
  return changed > 0;
}

export async function recordOutboxFailure(db: Db, id: number, error: string, permanent: boolean): Promise<void> {
  await db('outbox')
    .where({ id })
    .whereNot({ status: 'sent' })
    .update({ attempts: db.raw('attempts + 1'), last_error: error.slice(0, 2000), ...(permanent ? { status: 'failed' } : {}) });
}
