/**
 * How time spent in an online course is counted (issue 16: clock hours must reflect time spent).
 * The browser pings while a module is open and the page is in view; the server, not the browser,
 * measures the time between pings. One clock per enrollment: a ping credits the time since the
 * enrollment's previous ping to the module that was open then, only if it is the same module, and
 * never more than one interval's worth; so idle gaps, parallel tabs and bursts of pings add nothing.
 */

/** How often the course page pings while a module is open (the UI's interval). */
export const ENGAGEMENT_PING_SECONDS = 15;
/** The most one ping may credit: two intervals, for a late timer. */
export const MAX_CREDIT_PER_PING_MS = 2 * ENGAGEMENT_PING_SECONDS * 1000;
/** A longer silence means the learner was away: the next ping starts the clock again, crediting nothing. */
export const MAX_GAP_MS = 4 * ENGAGEMENT_PING_SECONDS * 1000;

export interface EngagementClock {
  /** The module open at the enrollment's last ping, and when that ping was. */
  moduleId: number | null;
  at: Date | null;
}

/** What a ping for `moduleId` at `now` adds to that module's engaged time. */
export function creditFor(clock: EngagementClock, moduleId: number, now: Date): number {
  if (clock.moduleId !== moduleId || clock.at === null) return 0;
  const elapsed = now.getTime() - clock.at.getTime();
  if (elapsed <= 0 || elapsed > MAX_GAP_MS) return 0;
  return Math.min(elapsed, MAX_CREDIT_PER_PING_MS);
}

/** The course's minimum time in milliseconds: its own, else its clock hours. */
export function minimumMs(course: { minimum_minutes: number | string | null; clock_hours: number | string }): number {
  const minutes = course.minimum_minutes !== null ? Number(course.minimum_minutes) : Number(course.clock_hours) * 60;
  return Math.round(minutes * 60_000);
}

/** Each module's share of the minimum: the course cannot be finished faster by skimming one module. */
export function requiredPerModuleMs(courseMinimumMs: number, moduleCount: number): number {
  return moduleCount === 0 ? 0 : Math.ceil(courseMinimumMs / moduleCount);
}

/** Minutes, rounded up, for messages ("about 3 more minutes"). */
export const minutesLeft = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
