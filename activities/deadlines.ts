/** The deadline workflows' activities (employment deadlines, credential renewal, their timelines). */
import { createDeadlineService, type DeadlineServiceDeps } from '../services/deadlines.js';

export type { PlannedDeadline } from '../services/deadlines.js';
export type DeadlineActivityDeps = DeadlineServiceDeps;

export function createDeadlineActivities(deps: DeadlineActivityDeps) {
  return { ...createDeadlineService(deps) };
}

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
