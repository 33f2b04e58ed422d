/**
 * Applying a previewed legacy batch: one long activity on the worker, heartbeating, so the apply
 * outlives the request (and the API process) that asked for it. Each file is one transaction and
 * a batch run again changes nothing it already wrote, so an activity retried after its worker
 * died picks up where the files stand. A final failure is recorded on the batch.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';

export interface LegacyImportApplyInput {
  batchId: number;
  actorUserId: number | null;
}

export const legacyImportApplyWorkflowId = (batchId: number) => `import-apply-${batchId}`;

const { applyImportBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 6,
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});
const { failImportBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10, nonRetryableErrorTypes: [...PERMANENT_FAILURES] },
});

export async function legacyImportApply(input: LegacyImportApplyInput): Promise<string> {
  try {
    await applyImportBatch(input);
    return 'applied';
  } catch (error) {
    const message =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    await failImportBatch({ batchId: input.batchId, error: message });
    throw ApplicationFailure.nonRetryable(`Import batch ${input.batchId} failed: ${message}`);
  }
}
