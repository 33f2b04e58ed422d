/** Every activity the worker registers, built from its dependencies. */
import { createDeadlineActivities, type DeadlineActivityDeps } from './deadlines.js';

export type ActivityDeps = DeadlineActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return { ...createDeadlineActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
