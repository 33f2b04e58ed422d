/**
 * One per scheduled event: waits until the reminder time before the first session (a setting,
 * 48 hours unless changed), then emails everyone holding a seat. A change to the event (new
 * dates, cancellation) is signalled, and the wait is planned again.
 */
import { condition, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';

export interface EventRemindersInput {
  eventId: number;
}

export const eventChangedSignal = defineSignal('eventChanged');
/** When the reminder is planned for (null before the first plan, or when there is nothing to send). */
export const plannedReminderQuery = defineQuery<string | null>('plannedReminder');
export const eventRemindersWorkflowId = (eventId: number) => `event-reminders-${eventId}`;

const { planEventReminder, sendEventReminders } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});

export async function eventReminders(input: EventRemindersInput): Promise<{ sent: number }> {
  let changed = false;
  let planned: string | null = null;
  setHandler(eventChangedSignal, () => {
    changed = true;
  });
  setHandler(plannedReminderQuery, () => planned);
  for (;;) {
    changed = false;
    const plan = await planEventReminder({ eventId: input.eventId, at: new Date().toISOString() });
    planned = plan.remindAt;
    if (!plan.remindAt) return { sent: 0 };
    const wait = Date.parse(plan.remindAt) - Date.now();
    if (wait > 0 && (await condition(() => changed, wait))) continue;
    if (changed) continue;
    return sendEventReminders({ eventId: input.eventId, at: new Date().toISOString() });
  }
}
