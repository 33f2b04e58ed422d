/**
 * Publishing a rule-set version: wait for its effective date (it can be cancelled until then),
 * switch it in, recompute everyone's compliance in batches with heartbeats (a restarted worker
 * carries on after the last batch), and tell the people whose status turned.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';

export interface RuleSetPublicationInput {
  publicationId: number;
}

export const cancelPublicationSignal = defineSignal('cancelPublication');
export const publicationStageQuery = defineQuery<string>('publicationStage');

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});
const recompute = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  // A batch of 1,000 takes well under a second at statewide size; silence this long means the worker is gone.
  heartbeatTimeout: '20 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});

export async function ruleSetPublication(input: RuleSetPublicationInput): Promise<string> {
  let cancelled = false;
  let stage = 'waiting for the effective date';
  setHandler(cancelPublicationSignal, () => {
    cancelled = true;
  });
  setHandler(publicationStageQuery, () => stage);

  const plan = await steps.planPublication({ publicationId: input.publicationId });
  if (plan.status !== 'scheduled' && plan.status !== 'recomputing') return plan.status;
  if (plan.status === 'scheduled') {
    const wait = Date.parse(plan.startsAt) - Date.now();
    if (wait > 0) await condition(() => cancelled, wait);
    if (cancelled) {
      stage = 'cancelled';
      return steps.cancelScheduledPublication({ publicationId: input.publicationId, at: new Date().toISOString() });
    }
    stage = 'switching';
    await steps.switchRuleSetVersion({ publicationId: input.publicationId, at: new Date().toISOString() });
  }
  stage = 'recomputing';
  await recompute.recomputeForPublication({ publicationId: input.publicationId, at: new Date().toISOString() });
  await steps.finishPublication({ publicationId: input.publicationId, at: new Date().toISOString() });
  stage = 'completed';
  return 'completed';
}
