/**
 * The outbox relay: moves pending outbox rows to the mail queue. Rows are locked while they are
 * handed on and the job id is the outbox id, so two relays running at once, or one that crashes
 * after queueing and before marking, still produce one job per email.
 */
import type { Queue } from 'bullmq';
import type { Db } from '../../db/connection.js';
import { relayPending } from '../../db/outbox.js';
import { mailJobId, type MailJob } from './queue.js';

export async function relayOutboxOnce(db: Db, queue: Queue<MailJob>, batchSize = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const moved = await relayPending(db, batchSize, async (rows) => {
      await queue.addBulk(rows.map((row) => ({ name: row.template, data: { outboxId: row.id }, opts: { jobId: mailJobId(row.id) } })));
    });
    total += moved;
    if (moved < batchSize) return total;
  }
}

export interface RelayLoop {
  stop(): Promise<void>;
}

/** Relays every `intervalMs` until stopped; an outage of Redis or PostgreSQL only delays mail. */
export function startOutboxRelay(
  db: Db,
  queue: Queue<MailJob>,
  options: { intervalMs: number; onError: (error: unknown) => void },
): RelayLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = relayOutboxOnce(db, queue)
      .then(() => undefined, options.onError)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
