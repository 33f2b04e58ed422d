/**
 * The life of one deadline, shared by every workflow that owns deadlines (hire-date deadlines of
 * an employment, the renewal of a credential): check → remind → check → overdue → wait for late
 * evidence. Each check reads PostgreSQL through an activity, so a lost wake-up signal can delay a
 * status change until the next timer but never cause a wrong email.
 */
import { condition, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';
import type { PlannedDeadline } from '../activities/deadlines.js';
import type { DeadlineStatus } from '../rules/domain.js';

const { checkDeadline, sendDeadlineReminder, markDeadlineOverdue } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});

/** Counts wake-ups (signals that evidence may have arrived); a waiting step re-checks on each. */
export class WakeUps {
  private count = 0;
  wake(): void {
    this.count++;
  }
  /** A function that turns true once a wake-up arrives after this call. */
  since(): () => boolean {
    const seen = this.count;
    return () => this.count !== seen;
  }
}

/** Statuses that end the wait: met, met late, or cancelled (it no longer applies). */
const isSettled = (status: DeadlineStatus) => status === 'met' || status === 'met_late' || status === 'cancelled';

export async function followDeadline(
  deadline: PlannedDeadline,
  wakeUps: WakeUps,
  statuses: Record<string, DeadlineStatus>,
): Promise<void> {
  /** Waits until the deadline settles (true) or the instant comes (false); no instant waits for ever. */
  async function settledBefore(instant: string | null): Promise<boolean> {
    for (;;) {
      const woken = wakeUps.since();
      statuses[deadline.requirement] = await checkDeadline({
        deadlineId: deadline.deadlineId,
        at: new Date(Date.now()).toISOString(),
      });
      if (isSettled(statuses[deadline.requirement]!)) return true;
      const remaining = instant === null ? undefined : Date.parse(instant) - Date.now();
      if (remaining !== undefined && remaining <= 0) return false;
      if (remaining === undefined) await condition(woken);
      // When the timer fires, look once more before acting: evidence may have arrived unsignalled.
      // (Histories recorded before this check acted straight away; they replay unchanged.)
      else if (!(await condition(woken, remaining)) && !patched('check-again-when-timer-fires')) return false;
    }
  }

  const reminderStillUseful = Date.parse(deadline.overdueAt) > Date.now();
  if (await settledBefore(deadline.remindAt)) return;
  if (reminderStillUseful) await sendDeadlineReminder({ deadlineId: deadline.deadlineId });
  if (await settledBefore(deadline.overdueAt)) return;
  await markDeadlineOverdue({ deadlineId: deadline.deadlineId });
  statuses[deadline.requirement] = 'overdue';
  // Late evidence still counts: it turns the deadline from overdue into met late.
  await settledBefore(null);
}
