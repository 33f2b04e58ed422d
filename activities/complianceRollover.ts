/**
 * The `complianceRollover` workflow's activities. A batch heartbeats the last professional id it
 * has written; a retried attempt (the worker was killed, the heartbeat timed out) reads that from
 * its heartbeat details and carries on after it instead of starting the batch again. Whoever's
 * status turned is told (email and notification) in the transaction that stores it.
 */
import { Context } from '@temporalio/activity';
import { recomputeComplianceBatch } from '../services/compliance.js';
import { tellTurnedAtRollover } from '../services/rolloverNotices.js';
import { applySettingsInEffect } from '../services/organizations.js';
import type { LocalDate } from '../rules/dates.js';
import type { Db } from '../db/connection.js';

export interface RolloverBatchInput {
  asOf: LocalDate;
  afterId: number;
  limit: number;
  /** People per transaction and heartbeat within the batch. */
  batchSize?: number;
}

export interface RolloverBatchResult {
  lastId: number;
  done: number;
  finished: boolean;
}

export function createRolloverActivities(deps: { db: Db; publicUrl?: string }) {
  const publicUrl = deps.publicUrl ?? process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000';
  return {
    /** Each organization's own columns to the program settings in effect on the rollover date. */
    async applySettingsForRollover({ asOf }: { asOf: LocalDate }): Promise<{ organizations: number }> {
      return { organizations: await applySettingsInEffect(deps.db, asOf) };
    },
    async recomputeRolloverBatch(input: RolloverBatchInput): Promise<RolloverBatchResult> {
      const context = Context.current();
      // Where an earlier attempt of this batch got to, and how many it had recomputed by then.
      const earlier = (context.info.heartbeatDetails as { lastId?: number; done?: number } | undefined) ?? {};
      const afterId = Math.max(input.afterId, earlier.lastId ?? 0);
      const carried = earlier.done ?? 0;
      const rest = await recomputeComplianceBatch(deps.db, {
        asOf: input.asOf,
        afterId,
        // A resumed attempt takes up to `limit` after where it got to: the workflow goes on from its `lastId`.
        limit: input.limit,
        batchSize: input.batchSize,
        onProgress: (lastId, done) => context.heartbeat({ lastId, done: carried + done }),
        // Whose status the turn of the period turned hear it in the batch's own transaction.
        onBatch: ({ turned, trx }) => tellTurnedAtRollover(trx, { asOf: input.asOf, turned, publicUrl }),
      });
      return { ...rest, done: carried + rest.done };
    },
  };
}
