/**
 * The mailer: a BullMQ worker that sends outbox emails with nodemailer. It loads the row by id,
 * skips rows already sent, and marks the row sent after the SMTP server accepts it. A refused
 * address is permanent (UnrecoverableError); anything else is retried with back-off.
 */
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import type { Db } from '../../db/connection.js';
import { findOutboxEmail, markOutboxSent, recordOutboxFailure } from '../../db/outbox.js';
import { MAIL_QUEUE, type MailJob } from './queue.js';

export interface MailerDeps {
  db: Db;
  connection: Redis;
  prefix: string;
  smtpUrl: string;
  from: string;
  concurrency?: number;
}

export type Transport = ReturnType<typeof nodemailer.createTransport>;

export function createTransport(smtpUrl: string): Transport {
  return nodemailer.createTransport(smtpUrl);
}

/** Sends one outbox email; the unit the worker runs per job. */
export async function deliverOutboxEmail(db: Db, transport: Transport, from: string, outboxId: number): Promise<'sent' | 'already-sent'> {
  const email = await findOutboxEmail(db, outboxId);
  if (!email) throw new UnrecoverableError(`Outbox email ${outboxId} does not exist`);
  if (email.status === 'sent') return 'already-sent';
  try {
    await transport.sendMail({
      from,
      to: email.to_address,
      subject: email.subject,
      text: email.body_text,
      html: email.body_html,
      // A stable Message-ID lets a receiving server recognise a resend after a crash.
      messageId: `<outbox-${email.id}@mopd>`,
      headers: { 'X-MOPD-Outbox-Id': String(email.id), 'X-MOPD-Template': email.template },
    });
  } catch (error) {
    const smtpCode = (error as { responseCode?: number }).responseCode;
    const permanent = typeof smtpCode === 'number' && smtpCode >= 500 && smtpCode < 600;
    await recordOutboxFailure(db, outboxId, String(error), permanent);
    if (permanent) throw new UnrecoverableError(`SMTP refused outbox email ${outboxId}: ${String(error)}`);
    throw error;
  }
  await markOutboxSent(db, outboxId);
  return 'sent';
}

export function startMailer(deps: MailerDeps): { worker: Worker<MailJob>; transport: Transport } {
  const transport = createTransport(deps.smtpUrl);
  const worker = new Worker<MailJob>(
    MAIL_QUEUE,
    async (job) => deliverOutboxEmail(deps.db, transport, deps.from, job.data.outboxId),
    { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency ?? 4 },
  );
  // When the last retry fails the email stays visible as failed, for an admin to look at.
  worker.on('failed', (job, error) => {
    if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
    void recordOutboxFailure(deps.db, job.data.outboxId, String(error), true).catch(() => undefined);
  });
  return { worker, transport };
}
