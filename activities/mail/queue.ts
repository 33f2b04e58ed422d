/** The BullMQ queue between the outbox relay and the mailer. Jobs carry only the outbox id. */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const MAIL_QUEUE = 'outbox-email';

export interface MailJob {
  outboxId: number;
}

/** The job id of an outbox row: the same row can never be queued as two jobs. */
export const mailJobId = (outboxId: number) => `outbox-${outboxId}`;

export function createMailQueue(connection: Redis, prefix: string): Queue<MailJob> {
  return new Queue<MailJob>(MAIL_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 5_000 },
      // Finished jobs are kept a week so a relay that re-sends an id in that time is ignored.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
}
