/**
 * Local calendar dates of the registry. Requirements speak in local dates ("within 30 days of
 * hire", "Jan 1 to Dec 31"), so every date is a 'YYYY-MM-DD' string read in America/Chicago and
 * every instant is converted there, never by epoch arithmetic.
 */
import { DateTime } from 'luxon';
import { REGISTRY_TIME_ZONE } from './domain.js';

export type LocalDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parse(date: LocalDate): DateTime {
  const parsed = DateTime.fromISO(date, { zone: REGISTRY_TIME_ZONE });
  if (!ISO_DATE.test(date) || !parsed.isValid) throw new RangeError(`Not a calendar date: ${date}`);
  return parsed;
}

export function isLocalDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: REGISTRY_TIME_ZONE }).isValid;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return parse(date).plus({ days }).toISODate()!;
}

export function localDateOf(instant: Date): LocalDate {
  return DateTime.fromJSDate(instant, { zone: REGISTRY_TIME_ZONE }).toISODate()!;
}

/** The instant a local date begins in the registry's time zone. */
export function startOfLocalDay(date: LocalDate): Date {
  return parse(date).startOf('day').toJSDate();
}

/** The instant of a local date at the given local hour (e.g. 9 for a morning reminder). */
export function localDateAtHour(date: LocalDate, hour: number): Date {
  return parse(date).set({ hour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

export function yearOf(date: LocalDate): number {
  return parse(date).year;
}

export function monthOf(date: LocalDate): number {
  return parse(date).month;
}

export function dateOf(year: number, month: number, day: number): LocalDate {
  return DateTime.fromObject({ year, month, day }, { zone: REGISTRY_TIME_ZONE }).toISODate()!;
}

/** Compares local dates; their ISO form sorts chronologically. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a <= b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}
