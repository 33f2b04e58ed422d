/**
 * The mailer: a BullMQ worker that sends outbox emails with nodemailer. It loads the row by id,
 * sends it only for a job of the row's current key (a job of a row of an earlier database, or of
 * a key the relay replaced, sends nothing), skips rows already sent, and marks the row sent after
 * the SMTP server accepts it. What it answers is kept on the finished job: the relay reads it. A refused
 * address (5xx) is permanent and so is the last of the queue's attempts: the row becomes a dead
 * letter an admin can see and retry. Anything else is retried with back-off.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import type { Db } from '../../db/connection.js';
import { findOutboxEmail, markOutboxSent, recordOutboxFailure } from '../../db/outbox.js';
import type { OutboxRow } from '../../db/rows.js';
import { MAIL_QUEUE, type MailJob } from './queue.js';

export interface MailerDeps {
  db: Db;
  connection: Redis;
  prefix: string;
  smtpUrl: string;
  from: string;
  concurrency?: number;
  /** Redis or SMTP trouble the worker meets between jobs (it reconnects by itself). */
  onError?: (error: Error) => void;
}

export type Transport = ReturnType<typeof nodemailer.createTransport>;

export function createTransport(smtpUrl: string): Transport {
  return nodemailer.createTransport(smtpUrl);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Marks a sent email sent, waiting out a PostgreSQL outage: once the SMTP server has the email,
 * failing the job would send it a second time on the retry.
 */
async function markSentOnceReachable(db: Db, outboxId: number, giveUpAfterMs: number): Promise<void> {
  const until = Date.now() + giveUpAfterMs;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    try {
      await markOutboxSent(db, outboxId);
      return;
    } catch (error) {
      if (Date.now() + wait > until) throw error;
      await pause(wait);
    }
  }
}

/**
 * The Message-ID of an outbox email: the same for every try of one row, so a receiving server
 * recognises a resend after a crash, and different for a row of a restored or recreated database
 * that has the same id (the key is random).
 */
export const outboxMessageId = (row: Pick<OutboxRow, 'id' | 'job_key'>) => `<outbox-${row.id}-${row.job_key}@mopd>`;

export interface DeliveryOptions {
  /**
   * The key the job was queued under (`MailJob.jobKey`); null for a job without one. When given,
   * the email is sent only if it is still the row's key. Undefined: not checked (direct calls).
   */
  jobKey?: string | null;
  /** This is the queue's last attempt: a failure makes the email a dead letter. */
  lastAttempt?: boolean;
  /** How long to keep trying to record a sent email while PostgreSQL is away (10 minutes). */
  markSentWithinMs?: number;
}

/** Sends one outbox email; the unit the worker runs per job. */
export async function deliverOutboxEmail(
  db: Db,
  transport: Transport,
  from: string,
  outboxId: number,
  options: DeliveryOptions = {},
): Promise<'sent' | 'already-sent' | 'dead' | 'not-this-row'> {
  const email = await findOutboxEmail(db, outboxId);
  if (!email) throw new UnrecoverableError(`Outbox email ${outboxId} does not exist`);
  // Not this row's job: the relay sees the job finished without sending and queues the row anew.
  if (options.jobKey !== undefined && options.jobKey !== email.job_key) return 'not-this-row';
  if (email.status === 'sent') return 'already-sent';
  // A dead letter waits for an admin; a job of an older generation must not send it.
  if (email.status === 'dead') return 'dead';
  try {
    await transport.sendMail({
      from,
      to: email.to_address,
      subject: email.subject,
      text: email.body_text,
      html: email.body_html,
      // A stable Message-ID lets a receiving server recognise a resend after a crash.
      messageId: outboxMessageId(email),
      headers: { ...email.headers, 'X-MOPD-Outbox-Id': String(email.id), 'X-MOPD-Template': email.template },
      attachments: email.attachments.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
      })),
    });
  } catch (error) {
    const smtpCode = (error as { responseCode?: number }).responseCode;
    const permanent = typeof smtpCode === 'number' && smtpCode >= 500 && smtpCode < 600;
    await recordOutboxFailure(db, outboxId, String(error), { dead: permanent || options.lastAttempt === true });
    if (permanent) throw new UnrecoverableError(`SMTP refused outbox email ${outboxId}: ${String(error)}`);
    throw error;
  }
  await markSentOnceReachable(db, outboxId, options.markSentWithinMs ?? 10 * 60_000);
  return 'sent';
}

export function startMailer(deps: MailerDeps): { worker: Worker<MailJob>; transport: Transport } {
  const transport = createTransport(deps.smtpUrl);
  const worker = new Worker<MailJob>(
    MAIL_QUEUE,
    // attemptsMade counts the attempts before this one.
    async (job) =>
      deliverOutboxEmail(deps.db, transport, deps.from, job.data.outboxId, {
        jobKey: job.data.jobKey ?? null,
        lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      }),
    { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency ?? 4 },
  );
  // Without a listener an 'error' event (Redis gone) would end the process.
  worker.on('error', deps.onError ?? (() => undefined));
  return { worker, transport };
}
