/**
 * Hire-date deadlines of one employment (e.g. infant safe-sleep training within 30 days of hire at
 * a licensed program serving infants). The rule set, read by an activity, says which deadlines
 * apply; this workflow owns their time: it reminds before the due date, marks the deadline overdue
 * when it passes, and ends as soon as qualifying training is recorded.
 */
import { defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';
import type { DeadlineStatus } from '../rules/domain.js';
import { followDeadline, WakeUps } from './deadlineTimeline.js';

export interface EmploymentDeadlinesInput {
  employmentId: number;
}

/** Training was recorded that may meet a deadline: check now instead of at the next timer. */
export const trainingRecordedSignal = defineSignal<[{ trainingRecordId: number }]>('trainingRecorded');
/** The employment changed (e.g. it ended): check now whether the deadlines still apply. */
export const employmentChangedSignal = defineSignal('employmentChanged');
/** The status of each deadline as this workflow last saw it. */
export const deadlineStatusQuery = defineQuery<Record<string, DeadlineStatus>>('deadlineStatus');

export const employmentDeadlinesWorkflowId = (employmentId: number) => `employment-deadlines-${employmentId}`;

const { planHireDeadlines } = proxyActivities<Activities>({
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

export async function employmentDeadlines(input: EmploymentDeadlinesInput): Promise<Record<string, DeadlineStatus>> {
  const statuses: Record<string, DeadlineStatus> = {};
  const wakeUps = new WakeUps();
  setHandler(trainingRecordedSignal, () => wakeUps.wake());
  setHandler(employmentChangedSignal, () => wakeUps.wake());
  setHandler(deadlineStatusQuery, () => statuses);

  const deadlines = await planHireDeadlines({
    employmentId: input.employmentId,
    workflowId: workflowInfo().workflowId,
  });
  await Promise.all(deadlines.map((deadline) => followDeadline(deadline, wakeUps, statuses)));
  return statuses;
}
