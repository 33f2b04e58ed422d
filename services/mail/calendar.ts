/**
 * Calendar invitations (iCalendar, RFC 5545, sent as iTIP, RFC 5546) attached to registration
 * emails: one VEVENT per session. A calendar matches an update or a cancellation to what it holds
 * by the UID, and keeps the one with the higher SEQUENCE; so the UID of a session stays the same
 * for a registration and every invitation sent carries a higher sequence than the one before.
 *
 * Written here rather than with a library: the few properties used are simple, and the two rules
 * that break calendars (TEXT escaping and folding lines at 75 octets without splitting a
 * character) are kept below and unit-tested.
 */
import type { OutboxAttachment } from '../../db/outbox.js';

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface CalendarSession {
  /** Stable for the registration and session, and unique across deployments. */
  uid: string;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  /** The address, or the link to join an online session. */
  location: string | null;
  description: string;
  /** The event's page. */
  url: string;
}

export interface CalendarInvitation {
  method: CalendarMethod;
  sequence: number;
  /** When the invitation was written (DTSTAMP). */
  stamp: Date;
  organizer: { name: string; email: string };
  attendee: { name: string; email: string };
  sessions: CalendarSession[];
}

/** TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value (CN=…): quoted, since names hold commas and colons; a quote cannot be written at all. */
const paramValue = (value: string) => `"${value.replace(/["\r\n]/g, '')}"`;

/**
 * Folds a content line (RFC 5545 3.1): no line longer than 75 octets, each continuation starting
 * with one space, never splitting a UTF-8 character.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // The first line holds 75 octets; a continuation 74 after its leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** A UTC date-time, the form every calendar reads without a VTIMEZONE: 20261207T170000Z. */
export const utcDateTime = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export function calendarText(invitation: CalendarInvitation): string {
  const { method, sequence, stamp, organizer, attendee } = invitation;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//MOPD//Missouri Professional Development//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
  ];
  for (const session of invitation.sessions) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${session.uid}`,
      `SEQUENCE:${sequence}`,
      `DTSTAMP:${utcDateTime(stamp)}`,
      `DTSTART:${utcDateTime(session.startsAt)}`,
      `DTEND:${utcDateTime(session.endsAt)}`,
      `SUMMARY:${escapeText(session.summary)}`,
      ...(session.location ? [`LOCATION:${escapeText(session.location)}`] : []),
      `DESCRIPTION:${escapeText(session.description)}`,
      `URL:${session.url}`,
      `ORGANIZER;CN=${paramValue(organizer.name)}:mailto:${organizer.email}`,
      `ATTENDEE;CN=${paramValue(attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${
        method === 'CANCEL' ? 'DECLINED' : 'ACCEPTED'
      };RSVP=FALSE:mailto:${attendee.email}`,
      `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** The invitation as an email attachment. */
export function calendarAttachment(invitation: CalendarInvitation, filename = 'invitation.ics'): OutboxAttachment {
  return {
    filename,
    contentType: `text/calendar; charset=utf-8; method=${invitation.method}`,
    content: calendarText(invitation),
  };
}
