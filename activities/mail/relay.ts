/**
 * The outbox relay: moves pending outbox rows to the mail queue. Rows are locked while they are
 * handed on and the job id is the outbox id, so two relays running at once, or one that crashes
 * after queueing and before marking, still produce one job per email.
 *
 * It also makes sure every queued row still has its job: a Redis that restarted without its data
 * lost them. A queued row not checked for a while is looked up in the queue; a missing job is
 * added again (same id, so never twice), and a job that failed for good while PostgreSQL was away
 * makes its row the dead letter it should have become.
 */
import type { Queue } from 'bullmq';
import type { Db } from '../../db/connection.js';
import { confirmQueued, markOutboxDead, relayPending, staleQueued } from '../../db/outbox.js';
import type { OutboxRow } from '../../db/rows.js';
import { mailJobId, type MailJob } from './queue.js';

export interface RelayOptions {
  batchSize?: number;
  /** How long a queued row goes unchecked before the relay looks for its job (one minute). */
  checkQueuedAfterMs?: number;
  /** Told when queued rows had lost their jobs (re-queued) or their jobs had failed for good (dead). */
  onRecovered?: (found: { requeued: number; dead: number }) => void;
}

const asJob = (row: OutboxRow) => ({ name: row.template, data: { outboxId: row.id }, opts: { jobId: mailJobId(row.id, row.generation) } });

export async function relayOutboxOnce(db: Db, queue: Queue<MailJob>, options: RelayOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  let total = 0;
  for (;;) {
    const moved = await relayPending(db, batchSize, async (rows) => {
      await queue.addBulk(rows.map(asJob));
    });
    total += moved;
    if (moved < batchSize) break;
  }
  await recoverLostJobs(db, queue, options);
  return total;
}

/** Looks up the jobs of queued rows not checked lately; what it found missing, it queued again. */
export async function recoverLostJobs(db: Db, queue: Queue<MailJob>, options: RelayOptions = {}): Promise<{ checked: number; requeued: number; dead: number }> {
  const result = { checked: 0, requeued: 0, dead: 0 };
  for (;;) {
    const rows = await staleQueued(db, options.checkQueuedAfterMs ?? 60_000, options.batchSize ?? 100);
    if (rows.length === 0) {
      if (result.requeued || result.dead) options.onRecovered?.({ requeued: result.requeued, dead: result.dead });
      return result;
    }
    const missing: OutboxRow[] = [];
    const present: number[] = [];
    for (const row of rows) {
      const job = await queue.getJob(mailJobId(row.id, row.generation));
      if (!job) missing.push(row);
      else if (await job.isFailed()) {
        if (await markOutboxDead(db, row.id, job.failedReason || 'the queue gave up on this email')) result.dead += 1;
      } else present.push(row.id);
    }
    if (missing.length) await queue.addBulk(missing.map(asJob));
    await confirmQueued(db, [...present, ...missing.map((r) => r.id)]);
    result.checked += rows.length;
    result.requeued += missing.length;
  }
}

export interface RelayLoop {
  stop(): Promise<void>;
}

/** Relays every `intervalMs` until stopped; an outage of Redis or PostgreSQL only delays mail. */
export function startOutboxRelay(
  db: Db,
  queue: Queue<MailJob>,
  options: RelayOptions & { intervalMs: number; onError: (error: unknown) => void },
): RelayLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = relayOutboxOnce(db, queue, options)
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
