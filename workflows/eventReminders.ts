/**
 * One per scheduled event: waits until the reminder time before the first session (a setting,
 * 48 hours unless changed), then emails everyone holding a seat. A change to the event (new
 * dates, cancellation) is signalled, and the wait is planned again.
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

export interface EventRemindersInput {
  eventId: number;
}

export const eventChangedSignal = defineSignal('eventChanged');
export const eventRemindersWorkflowId = (eventId: number) => `event-reminders-${eventId}`;

const { planEventReminder, sendEventReminders } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function eventReminders(input: EventRemindersInput): Promise<{ sent: number }> {
  let changed = false;
  setHandler(eventChangedSignal, () => {
    changed = true;
  });
  for (;;) {
    changed = false;
    const plan = await planEventReminder({ eventId: input.eventId, at: new Date().toISOString() });
    if (!plan.remindAt) return { sent: 0 };
    const wait = Date.parse(plan.remindAt) - Date.now();
    if (wait > 0 && (await condition(() => changed, wait))) continue;
    if (changed) continue;
    return sendEventReminders({ eventId: input.eventId, at: new Date().toISOString() });
  }
}
