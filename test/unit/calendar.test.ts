/** The iCalendar writer: escaping, folding at 75 octets, and the invitation's shape. */
import { describe, expect, it } from 'vitest';
import { calendarText, escapeText, foldLine, utcDateTime } from '../../services/mail/calendar.js';

/** Undoes folding (RFC 5545 3.1) and splits into content lines, as a calendar reads them. */
const unfolded = (text: string) => text.replace(/\r\n[ \t]/g, '').split('\r\n');

const invitation = (over: Partial<Parameters<typeof calendarText>[0]> = {}) =>
  calendarText({
    method: 'REQUEST',
    sequence: 3,
    stamp: new Date('2026-12-07T17:00:00.123Z'),
    organizer: { name: 'MOPD', email: 'no-reply@mopd.test' },
    attendee: { name: 'Ana "Ani" Pérez, RN', email: 'ana@example.org' },
    sessions: [
      {
        uid: 'a1b2.7@mopd.test',
        startsAt: new Date('2027-01-06T15:00:00Z'),
        endsAt: new Date('2027-01-06T18:00:00Z'),
        summary: 'Safe sleep; infants, toddlers',
        location: '1 Main St, Jefferson City, 65101',
        description: 'Line one\nLine two \\ end',
        url: 'http://mopd.test/events/7',
      },
    ],
    ...over,
  });

describe('iCalendar text', () => {
  it('escapes backslashes, semicolons, commas and line breaks in TEXT values', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds lines longer than 75 octets without splitting a character, and unfolds to the original', () => {
    const line = `SUMMARY:${'capacitación ñ '.repeat(20)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const [i, part] of physical.entries()) {
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(' ')).toBe(true);
      // A split inside a UTF-8 sequence would leave a replacement character when decoded.
      expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
    }
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
  });

  it('writes a request with one event per session, UTC times, escaped text and CRLF line ends', () => {
    const text = invitation();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const lines = unfolded(text);
    expect(lines.slice(0, 5)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//MOPD//Missouri Professional Development//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:REQUEST',
    ]);
    expect(lines).toContain('UID:a1b2.7@mopd.test');
    expect(lines).toContain('SEQUENCE:3');
    expect(lines).toContain('DTSTAMP:20261207T170000Z');
    expect(lines).toContain('DTSTART:20270106T150000Z');
    expect(lines).toContain('DTEND:20270106T180000Z');
    expect(lines).toContain('SUMMARY:Safe sleep\\; infants\\, toddlers');
    expect(lines).toContain('LOCATION:1 Main St\\, Jefferson City\\, 65101');
    expect(lines).toContain('DESCRIPTION:Line one\\nLine two \\\\ end');
    expect(lines).toContain('STATUS:CONFIRMED');
    // The quote cannot be written inside a parameter value; the comma is safe inside quotes.
    expect(lines).toContain(
      'ATTENDEE;CN="Ana Ani Pérez, RN";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:ana@example.org',
    );
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines.at(-2)).toBe('END:VCALENDAR');
  });

  it('writes a cancellation as CANCEL with the same UID, its sequence and a cancelled status', () => {
    const lines = unfolded(invitation({ method: 'CANCEL', sequence: 4 }));
    expect(lines).toContain('METHOD:CANCEL');
    expect(lines).toContain('UID:a1b2.7@mopd.test');
    expect(lines).toContain('SEQUENCE:4');
    expect(lines).toContain('STATUS:CANCELLED');
  });

  it('writes instants in UTC without fractions', () => {
    expect(utcDateTime(new Date('2026-03-08T08:30:00.999Z'))).toBe('20260308T083000Z');
  });
});
