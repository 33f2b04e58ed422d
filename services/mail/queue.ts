/** The BullMQ queue between the outbox relay and the mailer. Jobs carry only the outbox id and key. */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const MAIL_QUEUE = 'outbox-email';

export interface MailJob {
  outboxId: number;
  /** The row's `job_key`: the mailer sends only when it is still the row's key. Absent in jobs queued before issue 16. */
  jobKey?: string;
}

/**
 * The job id of an outbox row, from the row's random key (a uuid, no ':'), never from its id: a
 * database restored from a backup numbers rows from a lower value again, and a job id made from
 * the row id collided with a finished job Redis still kept, so the email was never sent. The same
 * row is still never queued as two jobs. The generation is raised when an admin retries a dead
 * letter, so the retry is a new job, not the old failed one.
 */
export const mailJobId = (row: { job_key: string; generation: number }) =>
  row.generation === 0 ? `outbox-${row.job_key}` : `outbox-${row.job_key}-${row.generation}`;

/** How often a mail is tried and how long between tries (doubling each time). */
export interface MailRetry {
  attempts: number;
  backoffMs: number;
}

/** Eight tries over about ten and a half minutes (5 s, 10 s, 20 s … 320 s apart), then a dead letter. */
export const DEFAULT_MAIL_RETRY: MailRetry = { attempts: 8, backoffMs: 5_000 };

export function createMailQueue(
  connection: Redis,
  prefix: string,
  retry: MailRetry = DEFAULT_MAIL_RETRY,
): Queue<MailJob> {
  return new Queue<MailJob>(MAIL_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      // Finished jobs are kept a week so a relay that re-sends an id in that time is ignored, and
      // so the relay can read what the mailer did with a queued row's job (see relay.ts).
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}
