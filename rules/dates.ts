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

/*
 * Calendar arithmetic on dates alone (no time of day) needs no time zone: a day is a day. These
 * run for every training of every person in a statewide recompute, so they work on the digits
 * instead of building zoned date-times (which cost ~30 µs each). Zones matter only where an
 * instant meets a date, below.
 */
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const toUtcDays = (date: LocalDate) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
const fromUtcDays = (days: number): LocalDate => {
  const d = new Date(days * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

export function isLocalDate(value: string): boolean {
  return ISO_DATE.test(value) && fromUtcDays(toUtcDays(value)) === value;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  if (!isLocalDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  return fromUtcDays(toUtcDays(date) + days);
}

/** Whole days from one date to another: negative when `to` is earlier. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round(toUtcDays(to) - toUtcDays(from));
}

/** The same day a number of years on; Feb 29 becomes Feb 28 in a year without it. */
export function addYears(date: LocalDate, years: number): LocalDate {
  if (!isLocalDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  const candidate = `${pad(yearOf(date) + years, 4)}${date.slice(4)}`;
  return isLocalDate(candidate) ? candidate : `${pad(yearOf(date) + years, 4)}-02-28`;
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
  return Number(date.slice(0, 4));
}

export function monthOf(date: LocalDate): number {
  return Number(date.slice(5, 7));
}

export function dateOf(year: number, month: number, day: number): LocalDate {
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (!isLocalDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  return date;
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
