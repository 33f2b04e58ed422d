/**
 * The activities of the `legacyImportApply` workflow: apply a batch the API marked `applying`,
 * heartbeating while it works, starting the workflows its rows need through the worker's client.
 * How to start them is injected by the composition root (bin/worker.ts), so activities never
 * import the Temporal gateway (which imports the workflow definitions).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection.js';
import { FAILURE } from '../rules/failures.js';
import {
  applyBatch,
  failApplyingBatch,
  findBatch,
  retakeFailedBatch,
  type ImportWorkflows,
} from '../services/legacyImport/index.js';

/** How often a running apply tells Temporal it is alive (its heartbeat timeout is a minute). */
const HEARTBEAT_MS = 10_000;

export interface ImportActivityDeps {
  db: Db;
  /** The workflows a batch's rows start, over the activity's own client (read when first needed) and task queue. */
  importWorkflows: (client: () => Client, taskQueue: string) => ImportWorkflows;
}

export function createImportActivities({ db, importWorkflows }: ImportActivityDeps) {
  return {
    async applyImportBatch({ batchId, actorUserId }: { batchId: number; actorUserId: number | null }): Promise<void> {
      const context = Context.current();
      const batch = await findBatch(db, batchId);
      if (!batch) throw ApplicationFailure.nonRetryable(`No import batch ${batchId}`, FAILURE.ImportBatchNotFound);
      // Done by an earlier attempt whose completion was lost.
      if (batch.status === 'applied') return;
      // The request that marks it applying starts this workflow inside its transaction: not committed yet (retried), or never.
      if (batch.status === 'previewed')
        throw ApplicationFailure.retryable(
          `Import batch ${batchId} is not marked applying (yet)`,
          FAILURE.ImportBatchNotApplying,
        );
      // An earlier attempt failed part-way (its files before the failure are in): this one takes over.
      if (batch.status === 'failed') await retakeFailedBatch(db, batchId);
      const alive = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
      try {
        await applyBatch(db, batchId, {
          actorUserId,
          workflows: importWorkflows(() => context.client, context.info.taskQueue),
        });
      } finally {
        clearInterval(alive);
      }
    },

    /** The workflow gave up: the batch says why, and can be applied again. */
    async failImportBatch({ batchId, error }: { batchId: number; error: string }): Promise<void> {
      await failApplyingBatch(db, batchId, error);
    },
  };
}
