/**
 * The daily deadline reminder run (issue 20). Started each morning by a Temporal Schedule
 * (services/workflowClient.ts `ensureRolloverSchedules`) with no arguments: the day is the
 * schedule's nominal time as a Chicago date. Goes through everyone in batches by id; each batch
 * heartbeats the last id it finished, so a killed worker's batch carries on where it stopped, and
 * each reminder is keyed (person, requirement, period, point), so a batch or a whole day done
 * again sends nothing twice. A long run continues as new with where it got to.
 */
import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';
import { scheduledChicagoDate } from './scheduled.js';

export interface ComplianceRemindersInput {
  /** 'YYYY-MM-DD'; the schedule's action time as a Chicago date when absent. */
  asOf?: string;
  /** Where a run continued as new got to, and what it had done. */
  afterId?: number;
  checked?: number;
  reminded?: number;
  /** People per activity (default 5,000) and per heartbeat within it (default 200). */
  batchLimit?: number;
  batchSize?: number;
}

export interface ComplianceRemindersResult {
  asOf: string;
  /** People looked at, and reminders due to them that day (each in the outbox once, however often the day runs). */
  checked: number;
  reminded: number;
}

/** The schedule id prefix; the task queue follows, so each deployment (and test) has its own. */
export const REMINDER_SCHEDULE = 'compliance-reminders';

const batches = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  // A sub-batch reads standings and training suggestions for a few hundred people: seconds, not minutes.
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', nonRetryableErrorTypes: [...PERMANENT_FAILURES] },
});

export async function complianceReminders(input: ComplianceRemindersInput = {}): Promise<ComplianceRemindersResult> {
  const asOf = input.asOf ?? scheduledChicagoDate();
  let afterId = input.afterId ?? 0;
  let checked = input.checked ?? 0;
  let reminded = input.reminded ?? 0;
  for (;;) {
    const batch = await batches.sendRemindersBatch({
      asOf,
      afterId,
      limit: input.batchLimit ?? 5000,
      batchSize: input.batchSize,
    });
    checked += batch.done;
    reminded += batch.reminded;
    afterId = batch.lastId;
    if (batch.finished) return { asOf, checked, reminded };
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > 2000)
      await continueAsNew<typeof complianceReminders>({ ...input, asOf, afterId, checked, reminded });
  }
}
