import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingMinutes,
  DEFAULT_BUSINESS_CALENDAR,
  workingMinutesBetween,
} from '../../rules/businessCalendar.js';

const calendar = DEFAULT_BUSINESS_CALENDAR;
/** A Central-time wall clock as an instant ('2026-11-20T16:00' in America/Chicago). */
const central = (local: string, offset = '-06:00') => new Date(`${local}:00${offset}`);

describe('working time on the business calendar', () => {
  it('counts only opening hours: Friday 16:00 plus 2 working hours is Monday 9:00', () => {
    expect(addWorkingMinutes(central('2026-11-20T16:00'), 120, calendar)).toEqual(central('2026-11-23T09:00'));
  });

  it('starts counting at opening time when the case arrives at night or on a weekend', () => {
    expect(addWorkingMinutes(central('2026-11-21T23:30'), 60, calendar)).toEqual(central('2026-11-23T09:00'));
    expect(addWorkingMinutes(central('2026-11-23T06:00'), 30, calendar)).toEqual(central('2026-11-23T08:30'));
  });

  it('skips state holidays: ten working days from the Monday before Thanksgiving 2026', () => {
    // Nov 26 (Thanksgiving) is a holiday; Nov 27 is a working day; weekends are skipped.
    // Working days after Mon Nov 23 10:00: 24, 25, 27, 30, Dec 1, 2, 3, 4, 7, 8 → Dec 8 10:00.
    expect(addWorkingDays(central('2026-11-23T10:00'), 10, calendar)).toEqual(central('2026-12-08T10:00'));
  });

  it('keeps wall-clock opening hours across the change from daylight saving time', () => {
    // Fri Oct 30 2026 16:00 CDT plus 2 working hours is Mon Nov 2 09:00 CST.
    expect(addWorkingMinutes(central('2026-10-30T16:00', '-05:00'), 120, calendar)).toEqual(
      central('2026-11-02T09:00'),
    );
  });

  it('measures working minutes between two instants', () => {
    expect(workingMinutesBetween(central('2026-11-20T16:00'), central('2026-11-23T09:00'), calendar)).toBe(120);
    expect(workingMinutesBetween(central('2026-11-23T09:00'), central('2026-11-20T16:00'), calendar)).toBe(0);
  });

  it('refuses a calendar without working time', () => {
    expect(() => addWorkingMinutes(new Date(), 60, { ...calendar, workingDays: [] })).toThrow(/no working time/);
  });
});
