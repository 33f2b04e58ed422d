/**
 * The `complianceReminders` workflow's activity. A batch heartbeats the last professional id it
 * has finished; a retried attempt (the worker was killed, the heartbeat timed out) reads it from
 * its heartbeat details and carries on after it. Reminders already written are keyed, so the
 * people of a sub-batch cut short are reminded once, not twice.
 */
import { Context } from '@temporalio/activity';
import { remindEveryone } from '../services/reminders.js';
import type { LocalDate } from '../rules/dates.js';
import type { Db } from '../db/connection.js';

export interface RemindersBatchInput {
  asOf: LocalDate;
  afterId: number;
  limit: number;
  /** People per transaction and heartbeat within the batch. */
  batchSize?: number;
}

export interface RemindersBatchResult {
  lastId: number;
  done: number;
  /** Reminders due to the batch's people (each in the outbox once). */
  reminded: number;
  finished: boolean;
}

/** What a batch's heartbeat carries. */
interface ReminderProgress {
  lastId: number;
  done: number;
  reminded: number;
}

export function createReminderActivities(deps: { db: Db; publicUrl: string }) {
  return {
    async sendRemindersBatch(input: RemindersBatchInput): Promise<RemindersBatchResult> {
      const context = Context.current();
      // What an earlier attempt of this batch finished: where, and how many people and reminders.
      const earlier = (context.info.heartbeatDetails as Partial<ReminderProgress> | undefined) ?? {};
      const carried = { done: earlier.done ?? 0, reminded: earlier.reminded ?? 0 };
      const rest = await remindEveryone(deps.db, {
        asOf: input.asOf,
        afterId: Math.max(input.afterId, earlier.lastId ?? 0),
        // A resumed attempt takes up to `limit` after where it got to: the workflow goes on from its `lastId`.
        limit: input.limit,
        batchSize: input.batchSize ?? 200,
        publicUrl: deps.publicUrl,
        onProgress: (lastId, done, reminded) =>
          context.heartbeat({ lastId, done: carried.done + done, reminded: carried.reminded + reminded }),
      });
      return { ...rest, done: carried.done + rest.done, reminded: carried.reminded + rest.reminded };
    },
  };
}
