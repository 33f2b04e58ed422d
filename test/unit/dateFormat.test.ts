/** The one date formatter of the UI and the emails: calendar dates stay their day, instants are Missouri's. */
import { describe, expect, it } from 'vitest';
import { calendarDateOf, formatDate } from '../../rules/dateFormat.js';
import { longDate } from '../../services/mail/messages.js';
import { startOfLocalDay, addDays } from '../../rules/dates.js';

describe('formatDate', () => {
  it('writes a date-only value as that day, short and long, whatever the zone of the machine', () => {
    expect(formatDate('2027-01-06', 'en-US')).toBe('Jan 6, 2027');
    expect(formatDate('2027-01-06', 'en-US', 'long')).toBe('Wednesday, January 6, 2027');
    expect(formatDate('2027-01-06', 'es-US', 'long')).toBe('miércoles, 6 de enero de 2027');
    // A date has no time of day: the date-time styles write the day alone.
    expect(formatDate('2027-01-06', 'en-US', 'dateTime')).toBe('Jan 6, 2027');
  });

  it('writes an instant near midnight UTC as the day it was in America/Chicago', () => {
    // 03:30 UTC on Jan 7 is 9:30 PM on Jan 6 in Missouri (CST, UTC-6).
    expect(formatDate('2027-01-07T03:30:00Z', 'en-US')).toBe('Jan 6, 2027');
    expect(formatDate(new Date('2027-01-07T03:30:00Z'), 'en-US', 'dateTime')).toBe('Jan 6, 2027, 9:30 PM');
    // 06:00 UTC on Jan 7 is midnight starting Jan 7 there.
    expect(formatDate('2027-01-07T06:00:00Z', 'en-US')).toBe('Jan 7, 2027');
    // Summer time: 04:59 UTC on Jul 1 is 11:59 PM on Jun 30 (CDT, UTC-5).
    expect(formatDate('2027-07-01T04:59:00Z', 'en-US')).toBe('Jun 30, 2027');
  });

  it('gives the same day on the page and in the email for an answer-by date', () => {
    // A case lapses at the start of the day after the last day to answer.
    const lastDay = '2027-01-06';
    const lapseAt = startOfLocalDay(addDays(lastDay, 1));
    const shownOn = calendarDateOf(new Date(lapseAt.getTime() - 1));
    expect(shownOn).toBe(lastDay);
    expect(formatDate(shownOn, 'en-US')).toBe('Jan 6, 2027');
    expect(longDate('en', shownOn)).toBe('Wednesday, January 6, 2027');
  });

  it('writes nothing known as a dash', () => {
    expect(formatDate(null, 'en-US')).toBe('—');
    expect(formatDate('not a date', 'en-US')).toBe('—');
  });
});
