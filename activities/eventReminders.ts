/** The `eventReminders` workflow's activities: the workflow decides when, the service acts. */
import { createEventReminderService, type EventReminderServiceDeps } from '../services/eventReminders.js';

export type EventReminderActivityDeps = EventReminderServiceDeps;

export function createEventReminderActivities(deps: EventReminderActivityDeps) {
  return { ...createEventReminderService(deps) };
}
