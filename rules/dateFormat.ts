/**
 * The one way dates are written, in the UI and in emails alike. A calendar date ('YYYY-MM-DD', a
 * registry date such as a last day to answer) is that day wherever the reader is; an instant (a
 * timestamp) is written as the day and time it was in America/Chicago. Reading a date-only value
 * as an instant (`new Date('2027-01-06')` is midnight UTC, the evening before in Missouri) or
 * writing an instant such as "lapses at the start of Jan 7" where the last day (Jan 6) is meant
 * made the case page and the email disagree by one day.
 *
 * Pure `Intl`, no I/O and no dependencies, so the browser bundle imports it as it is.
 */
import { REGISTRY_TIME_ZONE } from './domain.js';

export type DateStyle =
  /** "Jan 6, 2027" */
  | 'short'
  /** "Wednesday, January 6, 2027" */
  | 'long'
  /** "Jan 6, 2027, 11:30 PM" (instants; a calendar date is written as 'short') */
  | 'dateTime'
  /** "Wednesday, January 6, 2027, 11:30 PM CST" (instants; a calendar date is written as 'long') */
  | 'longDateTime';

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a value is a calendar date rather than an instant. */
export const isCalendarDate = (value: unknown): value is string =>
  typeof value === 'string' && CALENDAR_DATE.test(value);

const OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  short: { month: 'short', day: 'numeric', year: 'numeric' },
  long: { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' },
  dateTime: { month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit' },
  longDateTime: {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  },
};

/**
 * Writes a date or an instant in a locale ('en-US', 'es-US'). Null, undefined or an unreadable
 * value gives the `missing` text ('—').
 */
export function formatDate(
  value: string | Date | null | undefined,
  locale: string,
  style: DateStyle = 'short',
  missing = '—',
): string {
  if (value === null || value === undefined || value === '') return missing;
  if (isCalendarDate(value)) {
    // Noon UTC on that day, written in UTC: the same calendar day, never shifted by a zone.
    const day = new Date(`${value}T12:00:00Z`);
    if (Number.isNaN(day.getTime())) return missing;
    const dayStyle = style === 'dateTime' ? 'short' : style === 'longDateTime' ? 'long' : style;
    return day.toLocaleString(locale, { ...OPTIONS[dayStyle], timeZone: 'UTC' });
  }
  const instant = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(instant.getTime())) return missing;
  return instant.toLocaleString(locale, { ...OPTIONS[style], timeZone: REGISTRY_TIME_ZONE });
}

/**
 * The calendar day (in America/Chicago) an instant falls on: 'YYYY-MM-DD'. For a deadline kept as
 * the instant it lapses (the start of the next day), pass the instant less a millisecond.
 */
export function calendarDateOf(instant: Date | string): string {
  const at = instant instanceof Date ? instant : new Date(instant);
  return at.toLocaleDateString('en-CA', { timeZone: REGISTRY_TIME_ZONE });
}
