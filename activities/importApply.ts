/**
 * The activities of the `legacyImportApply` workflow: apply a batch the API marked `applying`,
 * heartbeating while it works, starting the workflows its rows need through the worker's client.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Db } from '../db/connection.js';
import { createTemporalGateway, importWorkflowsOf } from '../api/temporal.js';
import { applyBatch, findBatch } from './legacyImport/index.js';

/** How often a running apply tells Temporal it is alive (its heartbeat timeout is a minute). */
const HEARTBEAT_MS = 10_000;

export function createImportActivities({ db }: { db: Db }) {
  return {
    async applyImportBatch({ batchId, actorUserId }: { batchId: number; actorUserId: number | null }): Promise<void> {
      const context = Context.current();
      const batch = await findBatch(db, batchId);
      if (!batch) throw ApplicationFailure.nonRetryable(`No import batch ${batchId}`, 'ImportBatchNotFound');
      // Done by an earlier attempt whose completion was lost.
      if (batch.status === 'applied') return;
      // The request that marks it applying starts this workflow inside its transaction: not committed yet (retried), or never.
      if (batch.status === 'previewed') throw ApplicationFailure.retryable(`Import batch ${batchId} is not marked applying (yet)`, 'ImportBatchNotApplying');
      // An earlier attempt failed part-way (its files before the failure are in): this one takes over.
      if (batch.status === 'failed') await db('import_batches').where({ id: batchId, status: 'failed' }).update({ status: 'applying', error: null, finished_at: null });
      const alive = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
      try {
        const workflows = importWorkflowsOf(createTemporalGateway({ client: () => context.client, taskQueue: context.info.taskQueue }));
        await applyBatch(db, batchId, { actorUserId, workflows });
      } finally {
        clearInterval(alive);
      }
    },

    /** The workflow gave up: the batch says why, and can be applied again. */
    async failImportBatch({ batchId, error }: { batchId: number; error: string }): Promise<void> {
      await db('import_batches').where({ id: batchId, status: 'applying' }).update({ status: 'failed', error, finished_at: db.fn.now() });
    },
  };
}
