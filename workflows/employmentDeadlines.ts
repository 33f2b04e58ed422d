/**
 * Hire-date deadlines of one employment (e.g. infant safe-sleep training within 30 days of hire at
 * a licensed program serving infants). The rule set, read by an activity, says which deadlines
 * apply; this workflow owns their time: it reminds before the due date, marks the deadline overdue
 * when it passes, and ends as soon as qualifying training is recorded.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { PlannedDeadline } from '../activities/deadlines.js';
import type { DeadlineStatus } from '../rules/domain.js';

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
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 12 },
});
const { checkDeadline, sendDeadlineReminder, markDeadlineOverdue } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Statuses that end the wait: met, met late, or cancelled because the employment ended. */
const isMet = (status: DeadlineStatus) => status === 'met' || status === 'met_late' || status === 'cancelled';

export async function employmentDeadlines(input: EmploymentDeadlinesInput): Promise<Record<string, DeadlineStatus>> {
  const statuses: Record<string, DeadlineStatus> = {};
  let trainingSignals = 0;
  setHandler(trainingRecordedSignal, () => void trainingSignals++);
  setHandler(employmentChangedSignal, () => void trainingSignals++);
  setHandler(deadlineStatusQuery, () => statuses);

  /** Waits until the deadline is met (true) or the instant comes (false); no instant waits for ever. */
  async function metBefore(deadline: PlannedDeadline, instant: string | null): Promise<boolean> {
    for (;;) {
      const seen = trainingSignals;
      statuses[deadline.requirement] = await checkDeadline({ deadlineId: deadline.deadlineId, at: new Date(Date.now()).toISOString() });
      if (isMet(statuses[deadline.requirement]!)) return true;
      const remaining = instant === null ? undefined : Date.parse(instant) - Date.now();
      if (remaining !== undefined && remaining <= 0) return false;
      const signalled = () => trainingSignals !== seen;
      if (remaining === undefined) await condition(signalled);
      else if (!(await condition(signalled, remaining))) return false;
    }
  }

  async function follow(deadline: PlannedDeadline): Promise<void> {
    const reminderStillUseful = Date.parse(deadline.overdueAt) > Date.now();
    if (await metBefore(deadline, deadline.remindAt)) return;
    if (reminderStillUseful) await sendDeadlineReminder({ deadlineId: deadline.deadlineId });
    if (await metBefore(deadline, deadline.overdueAt)) return;
    await markDeadlineOverdue({ deadlineId: deadline.deadlineId });
    statuses[deadline.requirement] = 'overdue';
    // Late training still counts: it turns the deadline from overdue into met late.
    await metBefore(deadline, null);
  }

  const deadlines = await planHireDeadlines({ employmentId: input.employmentId, workflowId: workflowInfo().workflowId });
  await Promise.all(deadlines.map(follow));
  return statuses;
}
