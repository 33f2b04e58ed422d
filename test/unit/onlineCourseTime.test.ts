import { describe, expect, it } from 'vitest';
import { creditFor, MAX_CREDIT_PER_PING_MS, minimumMs, requiredPerModuleMs } from '../../services/onlineCourseTime.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, seconds));

describe('counting time spent in an online course', () => {
  it.each([
    ['the time since the last ping on the same module', { moduleId: 1, at: at(0) }, 1, at(15), 15_000],
    ['at most two intervals for a late ping', { moduleId: 1, at: at(0) }, 1, at(45), MAX_CREDIT_PER_PING_MS],
    ['nothing after a silence of more than a minute', { moduleId: 1, at: at(0) }, 1, at(61), 0],
    ['nothing for the first ping of a module', { moduleId: 2, at: at(0) }, 1, at(15), 0],
    ['nothing when no ping came before', { moduleId: null, at: null }, 1, at(15), 0],
    ['nothing for a ping at the same instant or out of order', { moduleId: 1, at: at(15) }, 1, at(10), 0],
  ])('credits %s', (_what, clock, moduleId, now, credited) => {
    expect(creditFor(clock, moduleId, now)).toBe(credited);
  });

  it('takes the course’s own minimum, else its clock hours, and shares it among the modules', () => {
    expect(minimumMs({ minimum_minutes: null, clock_hours: '3.0' })).toBe(3 * 60 * 60_000);
    expect(minimumMs({ minimum_minutes: 0.05, clock_hours: 2 })).toBe(3_000);
    expect(requiredPerModuleMs(10_000, 3)).toBe(3_334);
    expect(requiredPerModuleMs(10_000, 0)).toBe(0);
  });
});
