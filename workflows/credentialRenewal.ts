/**
 * The renewal of one credential (a CPR/First Aid card): the rule set says when its holder is
 * reminded; this workflow reminds them, marks the card expired on the day after its expiry date
 * (telling their directors), and ends when a newer card of the same kind is added.
 */
import { defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';
import type { DeadlineStatus } from '../rules/domain.js';
import { followDeadline, WakeUps } from './deadlineTimeline.js';

export interface CredentialRenewalInput {
  credentialId: number;
}

/** A newer credential of the same kind was added: check now whether it renews this one. */
export const credentialAddedSignal = defineSignal<[{ credentialId: number }]>('credentialAdded');
export const renewalStatusQuery = defineQuery<Record<string, DeadlineStatus>>('renewalStatus');

export const credentialRenewalWorkflowId = (credentialId: number) => `credential-renewal-${credentialId}`;

const { planCredentialRenewal } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // No limit on tries: a database that is away is waited for; a row that never commits ends the
  // workflow from inside the activity (services/rowInTransaction.ts).
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});

export async function credentialRenewal(input: CredentialRenewalInput): Promise<Record<string, DeadlineStatus>> {
  const statuses: Record<string, DeadlineStatus> = {};
  const wakeUps = new WakeUps();
  setHandler(credentialAddedSignal, () => wakeUps.wake());
  setHandler(renewalStatusQuery, () => statuses);

  const deadline = await planCredentialRenewal({
    credentialId: input.credentialId,
    workflowId: workflowInfo().workflowId,
  });
  if (deadline) await followDeadline(deadline, wakeUps, statuses);
  return statuses;
}
