import { describe, expect, it } from 'vitest';
import {
  addDays,
  addYears,
  dateOf,
  isLocalDate,
  localDateAtHour,
  localDateOf,
  startOfLocalDay,
  yearOf,
} from '../../rules/dates.js';
import { DATE_OPERATORS } from '../../rules/operators.js';

describe('local calendar dates', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2025-12-20', 30)).toBe('2026-01-19');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2026-03-08', 30)).toBe('2026-04-07');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('knows real dates from impossible ones', () => {
    expect(['2024-02-29', '2026-12-31'].every(isLocalDate)).toBe(true);
    expect(['2025-02-29', '2026-13-01', '2026-02-30', '26-01-01', '2026-1-1'].some(isLocalDate)).toBe(false);
    expect(() => dateOf(2025, 2, 29)).toThrow(RangeError);
    expect(yearOf('2026-07-04')).toBe(2026);
  });

  it('reads instants in Missouri’s time zone, daylight saving included', () => {
    expect(localDateOf(new Date('2026-01-01T05:59:00Z'))).toBe('2025-12-31');
    expect(localDateOf(new Date('2026-01-01T06:00:00Z'))).toBe('2026-01-01');
    expect(startOfLocalDay('2026-07-01').toISOString()).toBe('2026-07-01T05:00:00.000Z');
    expect(startOfLocalDay('2026-01-15').toISOString()).toBe('2026-01-15T06:00:00.000Z');
    expect(localDateAtHour('2026-03-09', 9).toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('compares dates with the vocabulary’s operators', () => {
    expect(DATE_OPERATORS.dateAfterEndOfYearOf('2026-01-01', '2025-06-10')).toBe(true);
    expect(DATE_OPERATORS.dateAfterEndOfYearOf('2025-12-31', '2025-06-10')).toBe(false);
    expect(DATE_OPERATORS.dateOnOrBefore('2025-12-31', '2025-12-31')).toBe(true);
    expect(DATE_OPERATORS.dateBefore('2025-12-31', null)).toBe(false);
  });
});

describe('addYears', () => {
  it('keeps the day, and turns Feb 29 into Feb 28 in a common year', () => {
    expect(addYears('2026-11-23', 2)).toBe('2028-11-23');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
  });
});
