/**
 * The `directorDigest` workflow's activity: a batch of directors' weekly digests. It heartbeats the
 * last director done; a retried attempt (the worker was killed, the heartbeat timed out) reads that
 * from its heartbeat details and carries on after it. A director done twice is still emailed once:
 * the outbox key names the director and the week.
 */
import { Context } from '@temporalio/activity';
import { sendDirectorDigestBatch } from '../services/directorDigest.js';
import type { LocalDate } from '../rules/dates.js';
import type { Db } from '../db/connection.js';

export interface DirectorDigestBatchInput {
  asOf: LocalDate;
  afterUserId: number;
  limit: number;
}

export interface DirectorDigestBatchResult {
  lastUserId: number;
  /** Directors of the batch with a digest this week (queued by this run or an earlier one). */
  told: number;
  finished: boolean;
}

export function createDirectorDigestActivities(deps: { db: Db; publicUrl: string }) {
  return {
    async sendDirectorDigestBatch(input: DirectorDigestBatchInput): Promise<DirectorDigestBatchResult> {
      const context = Context.current();
      const resumed = (context.info.heartbeatDetails as { lastUserId?: number } | undefined)?.lastUserId;
      return sendDirectorDigestBatch(deps.db, {
        asOf: input.asOf,
        afterUserId: Math.max(input.afterUserId, resumed ?? 0),
        limit: input.limit,
        publicUrl: deps.publicUrl,
        onProgress: (lastUserId) => context.heartbeat({ lastUserId }),
      });
    },
  };
}
