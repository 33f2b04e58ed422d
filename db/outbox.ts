import type { Db } from './connection.js';
import { OUTBOX_STATUSES, type OutboxStatus } from '../rules/domain.js';
import type { OutboxAttachment, OutboxRow } from './rows.js';

export type { OutboxAttachment };

export interface OutgoingEmail {
  /** The cause of the email; the same cause never produces a second row. */
  dedupeKey: string;
  template: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers sent as written (e.g. List-Unsubscribe); the mailer's own headers win. */
  headers?: Record<string, string>;
  /** Text attachments (a calendar invitation), sent as written. */
  attachments?: OutboxAttachment[];
}

/**
 * Adds an email to the outbox. Call it inside the transaction of the change that causes it, so
 * the email exists exactly when the change does. Returns false when this cause was already queued.
 */
export async function addToOutbox(db: Db, email: OutgoingEmail): Promise<boolean> {
  return (await addManyToOutbox(db, [email])) > 0;
}

/** Writes several emails in one statement; those whose key is already in the outbox are skipped. Returns how many were written. */
export async function addManyToOutbox(db: Db, emails: OutgoingEmail[]): Promise<number> {
  if (emails.length === 0) return 0;
  const inserted = await db('outbox')
    .insert(
      emails.map((email) => ({
        dedupe_key: email.dedupeKey,
        template: email.template,
        to_address: email.to,
        subject: email.subject,
        body_text: email.text,
        body_html: email.html,
        headers: db.raw('?::jsonb', [JSON.stringify(email.headers ?? {})]),
        // node-postgres would write a JS array as a PostgreSQL array: hand it over as JSON text.
        attachments: db.raw('?::jsonb', [JSON.stringify(email.attachments ?? [])]),
      })),
    )
    .onConflict('dedupe_key')
    .ignore()
    .returning('id');
  return inserted.length;
}

/**
 * Takes up to `limit` pending emails for relaying, locking them so a second relay running at the
 * same time takes others. Runs `hand` inside the transaction; rows it hands on become 'queued'.
 */
export async function relayPending(db: Db, limit: number, hand: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
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
      .whereIn(
        'id',
        rows.map((r) => r.id),
      )
      .update({ status: 'queued', queued_at: trx.fn.now() });
    return rows.length;
  });
}

export function findOutboxEmail(db: Db, id: number): Promise<OutboxRow | undefined> {
  return db('outbox').where({ id }).first();
}

/**
 * A link's one-time token (`…/reset-password?token=…`, `…/verify-email?token=…`): kept in the
 * outbox only until the email is delivered. PostgreSQL regular expression; the replacement keeps
 * `token=` so the outbox still shows which link the email carried.
 */
export const LINK_TOKEN_PATTERN = '([?&;]token=)[^&#"\'<>[:space:]]+';
export const REDACTED_TOKEN = 'redacted';
const withoutLinkTokens = (db: Db, column: 'body_text' | 'body_html') =>
  db.raw("regexp_replace(??, ?, ?, 'g')", [column, LINK_TOKEN_PATTERN, `\\1${REDACTED_TOKEN}`]);

/**
 * Marks an email sent unless it already was; true when this call made the change. The bodies lose
 * their links' tokens in the same change: a sent email is never sent again, so nothing needs them,
 * and a reset or verification link must not be readable from the outbox (issue 16). An email not
 * yet sent (a dead letter included) keeps them.
 */
export async function markOutboxSent(db: Db, id: number): Promise<boolean> {
  const changed = await db('outbox')
    .where({ id })
    .whereNot({ status: 'sent' })
    .update({
      status: 'sent',
      sent_at: db.fn.now(),
      last_attempt_at: db.fn.now(),
      attempts: db.raw('attempts + 1'),
      last_error: null,
      dead_at: null,
      body_text: withoutLinkTokens(db, 'body_text'),
      body_html: withoutLinkTokens(db, 'body_html'),
    });
  return changed > 0;
}

/**
 * Records a failed attempt to send. `dead` makes the email a dead letter: it is not tried again
 * until an admin retries it.
 */
export async function recordOutboxFailure(
  db: Db,
  id: number,
  error: string,
  options: { dead: boolean },
): Promise<void> {
  await db('outbox')
    .where({ id })
    .whereNot({ status: 'sent' })
    .update({
      attempts: db.raw('attempts + 1'),
      last_error: error.slice(0, 2000),
      last_attempt_at: db.fn.now(),
      ...(options.dead ? { status: 'dead', dead_at: db.fn.now() } : {}),
    });
}

/** A queued email whose job ran out of attempts without the row being told (PostgreSQL was away then). */
export async function markOutboxDead(db: Db, id: number, error: string): Promise<boolean> {
  const changed = await db('outbox')
    .where({ id, status: 'queued' })
    .update({ status: 'dead', dead_at: db.fn.now(), last_error: error.slice(0, 2000) });
  return changed > 0;
}

/**
 * Gives a queued email a new job key (so a new queue job) when its job finished without sending
 * it. Conditional on the key it had, so two relays doing it at once renew it once; undefined when
 * the row moved on meanwhile.
 */
export async function renewJobKey(db: Db, row: Pick<OutboxRow, 'id' | 'job_key'>): Promise<OutboxRow | undefined> {
  const [renewed] = await db('outbox')
    .where({ id: row.id, job_key: row.job_key, status: 'queued' })
    .update({ job_key: db.raw('gen_random_uuid()'), queued_at: db.fn.now() })
    .returning('*');
  return renewed;
}

/** Queued emails not checked against the queue for `olderThanMs`: the relay makes sure each still has its job. */
export function staleQueued(db: Db, olderThanMs: number, limit: number): Promise<OutboxRow[]> {
  return db('outbox')
    .where({ status: 'queued' })
    .where('queued_at', '<', db.raw('now() - make_interval(secs => ?)', [olderThanMs / 1000]))
    .orderBy('queued_at')
    .limit(limit);
}

/** Notes that these queued emails were found in (or put back into) the queue just now. */
export async function confirmQueued(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db('outbox').whereIn('id', ids).where({ status: 'queued' }).update({ queued_at: db.fn.now() });
}

export const OUTBOX_LIST_COLUMNS = [
  'id',
  'template',
  'to_address',
  'subject',
  'status',
  'attempts',
  'last_error',
  'created_at',
  'queued_at',
  'sent_at',
  'last_attempt_at',
  'dead_at',
  'generation',
] as const;
export type OutboxSummary = Pick<OutboxRow, (typeof OUTBOX_LIST_COLUMNS)[number]>;

/** Emails of one status, newest first (dead letters by when they died), a page at a time. */
export function listOutbox(
  db: Db,
  filter: { status: OutboxStatus; limit: number; beforeId?: number },
): Promise<OutboxSummary[]> {
  const query = db('outbox')
    .where({ status: filter.status })
    .select(...OUTBOX_LIST_COLUMNS)
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.beforeId) void query.where('id', '<', filter.beforeId);
  return query;
}

/** How many emails are in each status. */
export async function outboxCounts(db: Db): Promise<Record<OutboxStatus, number>> {
  const rows: Array<{ status: OutboxStatus; n: number }> = await db('outbox')
    .groupBy('status')
    .select('status', db.raw('count(*)::int AS n'));
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/**
 * Sends a dead letter again: it becomes pending under a new generation (so a new queue job), keeping
 * its attempts and last error for the record. Undefined when the email is not a dead letter.
 */
export async function retryDeadEmail(db: Db, id: number): Promise<OutboxRow | undefined> {
  const [row] = await db('outbox')
    .where({ id, status: 'dead' })
    .update({ status: 'pending', dead_at: null, queued_at: null, generation: db.raw('generation + 1') })
    .returning('*');
  return row;
}
