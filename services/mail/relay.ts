/**
 * The outbox relay: moves pending outbox rows to the mail queue. Rows are locked while they are
 * handed on and the job id comes from the row's key, so two relays running at once, or one that
 * crashes after queueing and before marking, still produce one job per email.
 *
 * It also makes sure every queued row still has a job that will send it. A queued row not checked
 * for a while is looked up in the queue:
 * - a missing job (Redis restarted without its data) is added again (same id, so never twice);
 * - a job that failed for good while PostgreSQL was away makes its row the dead letter it should
 *   have become;
 * - a job that completed while the row is not sent: the database was restored from a backup taken
 *   before the row was marked, or the job belonged to another row (a job queued before job keys, or
 *   a key taken over). When the mailer's record on the job says it sent this row (same id and key),
 *   the row is marked sent; otherwise the row gets a new key and is queued again under it.
 */
import type { Queue } from 'bullmq';
import type { Db } from '../../db/connection.js';
import {
  confirmQueued,
  markOutboxDead,
  markOutboxSent,
  relayPending,
  renewJobKey,
  staleQueued,
} from '../../db/outbox.js';
import type { OutboxRow } from '../../db/rows.js';
import { mailJobId, type MailJob } from './queue.js';

export interface RelayOptions {
  batchSize?: number;
  /** How long a queued row goes unchecked before the relay looks for its job (one minute). */
  checkQueuedAfterMs?: number;
  /**
   * Told when queued rows had lost their jobs or had jobs that finished without sending them
   * (re-queued), had jobs that failed for good (dead), or had been sent without the row being told
   * (marked sent).
   */
  onRecovered?: (found: Recovered) => void;
}

interface Recovered {
  requeued: number;
  dead: number;
  markedSent: number;
}

const asJob = (row: OutboxRow) => ({
  name: row.template,
  data: { outboxId: row.id, jobKey: row.job_key },
  opts: { jobId: mailJobId(row) },
});

/** What the mailer answers when it sent a row, or found it sent (see `deliverOutboxEmail`). */
const SENT_OUTCOMES: unknown[] = ['sent', 'already-sent'];

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

/** Looks up the jobs of queued rows not checked lately, and puts right what it finds (see the top). */
export async function recoverLostJobs(
  db: Db,
  queue: Queue<MailJob>,
  options: RelayOptions = {},
): Promise<Recovered & { checked: number }> {
  const result = { checked: 0, requeued: 0, dead: 0, markedSent: 0 };
  for (;;) {
    const rows = await staleQueued(db, options.checkQueuedAfterMs ?? 60_000, options.batchSize ?? 100);
    if (rows.length === 0) {
      if (result.requeued || result.dead || result.markedSent)
        options.onRecovered?.({ requeued: result.requeued, dead: result.dead, markedSent: result.markedSent });
      return result;
    }
    const missing: OutboxRow[] = [];
    const renewed: OutboxRow[] = [];
    const present: number[] = [];
    for (const row of rows) {
      const job = await queue.getJob(mailJobId(row));
      if (!job) missing.push(row);
      else if (await job.isFailed()) {
        if (await markOutboxDead(db, row.id, job.failedReason || 'the queue gave up on this email')) result.dead += 1;
      } else if (await job.isCompleted()) {
        const forThisRow = job.data.outboxId === row.id && job.data.jobKey === row.job_key;
        if (forThisRow && SENT_OUTCOMES.includes(job.returnvalue)) {
          if (await markOutboxSent(db, row.id)) result.markedSent += 1;
        } else {
          const again = await renewJobKey(db, row);
          if (again) renewed.push(again);
        }
      } else present.push(row.id);
    }
    if (missing.length || renewed.length) await queue.addBulk([...missing, ...renewed].map(asJob));
    await confirmQueued(db, [...present, ...missing.map((r) => r.id), ...renewed.map((r) => r.id)]);
    result.checked += rows.length;
    result.requeued += missing.length + renewed.length;
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
