/**
 * The rest of an approved trainer's term for an approval imported from an old system: the case
 * was decided there, so no approval-case workflow ran; this one reminds the trainer to renew
 * before the term ends and lets the approval expire, with the same activities (and the same
 * "renewed meanwhile" checks) as the case workflow's `trainerTerm` stage (approvalCase/stages.ts).
 */
import { condition, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';

export interface ImportedTrainerApprovalInput {
  caseId: number;
}

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});

export async function importedTrainerApproval(input: ImportedTrainerApprovalInput): Promise<void> {
  const { workflowId } = workflowInfo();
  const term = await activities.trainerApprovalTerm({ caseId: input.caseId });
  if (!term) return;
  const until = (instant: string) => Math.max(0, Date.parse(instant) - Date.now());
  await condition(() => false, until(term.remindAt));
  await activities.remindTrainerRenewal({ caseId: input.caseId, key: `${workflowId}-renewal-due` });
  await condition(() => false, until(term.expireAt));
  await activities.expireTrainerApproval({ caseId: input.caseId, key: `${workflowId}-approval-expired` });
}
