/**
 * The turn of a period, on the calendar: January 1 (calendar years) and the first of each month
 * (contract years start in any month a program chooses). Started by a Temporal Schedule
 * (services/workflowClient.ts `ensureRolloverSchedules`) with no arguments: the date is the
 * schedule's nominal action time read in America/Chicago. Brings organizations to the program
 * settings in effect on that date, then recomputes everyone's stored compliance as of it in
 * batches by id; each batch heartbeats its progress, so a killed worker's batch carries on where
 * it stopped. A long run continues as new with where it got to.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';
import { scheduledChicagoDate } from './scheduled.js';

export interface ComplianceRolloverInput {
  /** 'YYYY-MM-DD'; the schedule's action time as a Chicago date when absent. */
  asOf?: string;
  /** Where a run continued as new got to, and how many it had recomputed. */
  afterId?: number;
  recomputed?: number;
  /** People per activity (default 5,000) and per heartbeat within it (default 500). */
  batchLimit?: number;
  batchSize?: number;
}

export interface ComplianceRolloverResult {
  asOf: string;
  recomputed: number;
}

/** The schedule id prefixes; the task queue follows, so each deployment (and test) has its own. */
export const ROLLOVER_SCHEDULES = { year: 'compliance-rollover-year', month: 'compliance-rollover-month' } as const;

const steps = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: [...PERMANENT_FAILURES] },
});
const batches = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  // A sub-batch of 500 takes well under a second; silence this long means the worker is gone.
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', nonRetryableErrorTypes: [...PERMANENT_FAILURES] },
});

export async function complianceRollover(input: ComplianceRolloverInput = {}): Promise<ComplianceRolloverResult> {
  const asOf = input.asOf ?? scheduledChicagoDate();
  let afterId = input.afterId ?? 0;
  let recomputed = input.recomputed ?? 0;
  if (input.afterId === undefined) await steps.applySettingsForRollover({ asOf });
  for (;;) {
    const batch = await batches.recomputeRolloverBatch({
      asOf,
      afterId,
      limit: input.batchLimit ?? 5000,
      batchSize: input.batchSize,
    });
    recomputed += batch.done;
    afterId = batch.lastId;
    if (batch.finished) return { asOf, recomputed };
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > 2000)
      await continueAsNew<typeof complianceRollover>({ ...input, asOf, afterId, recomputed });
  }
}
