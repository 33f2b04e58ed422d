/**
 * Working time on a business calendar: the days and hours reviewers work, in the registry's time
 * zone, less state holidays. Service levels ("decide within 10 working days") are counted here.
 * The calendar itself is configuration (settings key `business_calendar`), not code.
 */
import { DateTime } from 'luxon';
import type { LocalDate } from './dates.js';

export interface BusinessCalendar {
  timeZone: string;
  /** ISO weekdays that are working days: 1 is Monday, 7 is Sunday. */
  workingDays: number[];
  /** Local opening and closing times, 'HH:MM'. */
  opensAt: string;
  closesAt: string;
  /** Days nobody works, 'YYYY-MM-DD'. */
  holidays: LocalDate[];
}

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Working minutes in one working day. */
export const workingMinutesPerDay = (calendar: BusinessCalendar) =>
  minutesOf(calendar.closesAt) - minutesOf(calendar.opensAt);

function isWorkingDay(day: DateTime, calendar: BusinessCalendar): boolean {
  return calendar.workingDays.includes(day.weekday) && !calendar.holidays.includes(day.toISODate()!);
}

const at = (day: DateTime, time: string) =>
  day.set({ hour: Number(time.slice(0, 2)), minute: Number(time.slice(3, 5)), second: 0, millisecond: 0 });

/** The instant a number of working minutes after `start` (counting only opening hours of working days). */
export function addWorkingMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  if (workingMinutesPerDay(calendar) <= 0 || calendar.workingDays.length === 0)
    throw new RangeError('The business calendar has no working time');
  let cursor: DateTime<boolean> = DateTime.fromJSDate(start, { zone: calendar.timeZone });
  let remaining = minutes;
  for (let guard = 0; guard < 100_000; guard++) {
    const day = cursor.startOf('day');
    const opens = at(day, calendar.opensAt);
    const closes = at(day, calendar.closesAt);
    if (!isWorkingDay(day, calendar) || cursor >= closes) {
      cursor = at(day.plus({ days: 1 }), calendar.opensAt);
      continue;
    }
    if (cursor < opens) cursor = opens;
    const available = closes.diff(cursor, 'minutes').minutes;
    if (remaining <= available) return cursor.plus({ minutes: remaining }).toJSDate();
    remaining -= available;
    cursor = at(day.plus({ days: 1 }), calendar.opensAt);
  }
  throw new RangeError('Working time runs past a hundred thousand days');
}

/** The instant a number of working days after `start`: the same time of day, that many working days on. */
export function addWorkingDays(start: Date, days: number, calendar: BusinessCalendar): Date {
  return addWorkingMinutes(start, days * workingMinutesPerDay(calendar), calendar);
}

/** Working minutes between two instants (0 when `to` is not after `from`). */
export function workingMinutesBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  if (to <= from) return 0;
  let cursor: DateTime<boolean> = DateTime.fromJSDate(from, { zone: calendar.timeZone });
  const end = DateTime.fromJSDate(to, { zone: calendar.timeZone });
  let total = 0;
  while (cursor < end) {
    const day = cursor.startOf('day');
    const opens = at(day, calendar.opensAt);
    const closes = at(day, calendar.closesAt);
    if (isWorkingDay(day, calendar) && cursor < closes) {
      const from = cursor < opens ? opens : cursor;
      const until = end < closes ? end : closes;
      if (until > from) total += until.diff(from, 'minutes').minutes;
    }
    cursor = at(day.plus({ days: 1 }), '00:00');
  }
  return Math.round(total);
}

/**
 * The calendar the registry starts with: Monday to Friday, 8:00 to 17:00 Central, and Missouri's
 * state holidays for 2026 and 2027 as observed (a Saturday holiday on the Friday before, a Sunday
 * one on the Monday after). Admins keep the list current.
 */
export const DEFAULT_BUSINESS_CALENDAR: BusinessCalendar = {
  timeZone: 'America/Chicago',
  workingDays: [1, 2, 3, 4, 5],
  opensAt: '08:00',
  closesAt: '17:00',
  holidays: [
    '2026-01-01',
    '2026-01-19',
    '2026-02-12',
    '2026-02-16',
    '2026-05-08',
    '2026-05-25',
    '2026-06-19',
    '2026-07-03',
    '2026-09-07',
    '2026-10-12',
    '2026-11-11',
    '2026-11-26',
    '2026-12-25',
    '2027-01-01',
    '2027-01-18',
    '2027-02-12',
    '2027-02-15',
    '2027-05-07',
    '2027-05-31',
    '2027-06-18',
    '2027-07-05',
    '2027-09-06',
    '2027-10-11',
    '2027-11-11',
    '2027-11-25',
    '2027-12-24',
  ],
};
