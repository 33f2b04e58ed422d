/** The BullMQ queue between the outbox relay and the mailer. Jobs carry only the outbox id. */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const MAIL_QUEUE = 'outbox-email';

export interface MailJob {
  outboxId: number;
}

/**
 * The job id of an outbox row: the same row can never be queued as two jobs. The generation is
 * raised when an admin retries a dead letter, so the retry is a new job, not the old failed one.
 */
export const mailJobId = (outboxId: number, generation = 0) => (generation === 0 ? `outbox-${outboxId}` : `outbox-${outboxId}-${generation}`);

/** How often a mail is tried and how long between tries (doubling each time). */
export interface MailRetry {
  attempts: number;
  backoffMs: number;
}

/** Eight tries over about ten and a half minutes (5 s, 10 s, 20 s … 320 s apart), then a dead letter. */
export const DEFAULT_MAIL_RETRY: MailRetry = { attempts: 8, backoffMs: 5_000 };

export function createMailQueue(connection: Redis, prefix: string, retry: MailRetry = DEFAULT_MAIL_RETRY): Queue<MailJob> {
  return new Queue<MailJob>(MAIL_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      // Finished jobs are kept a week so a relay that re-sends an id in that time is ignored.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}
