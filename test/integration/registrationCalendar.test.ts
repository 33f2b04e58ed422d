/**
 * A seat comes with a calendar invitation (.ics) and, online, the link to join; giving the seat up
 * sends the invitation's cancellation with the same UIDs and a higher sequence (issue 19). Over
 * HTTP against the real database, outbox, queue, mailer and SMTP capture, in English and Spanish.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedEmail } from '../../bin/smtpCapture.js';
import { createEvent } from '../../db/events.js';
import { createEventReminderService } from '../../services/eventReminders.js';
import { aPersonSpeaking, startMailedApp, type MailedApp } from '../support/mailedApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';

let mailed: MailedApp;
let database: MailedApp['database'];
let app: MailedApp['app'];
let smtp: MailedApp['smtp'];
let mail: MailedApp['mail'];

beforeAll(async () => {
  mailed = await startMailedApp('registration-calendar');
  ({ database, app, smtp, mail } = mailed);
});
afterAll(async () => {
  await mailed?.close();
});

const later = (days: number) => new Date(Date.now() + days * 86_400_000);

const aPerson = (language: 'en' | 'es') => aPersonSpeaking(database.db, language);

/** The .ics as a calendar reads it: folding undone, one object per VEVENT with its properties. */
function parseCalendar(text: string) {
  expect(text).toMatch(/\r\n$/);
  const lines = text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  const method = lines.find((l) => l.startsWith('METHOD:'))?.slice('METHOD:'.length);
  const events: Array<Record<string, string>> = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).split(';')[0]!;
      current[name] = line.slice(colon + 1);
    }
  }
  return { method, events };
}

const emailTo = async (to: string, subject: string): Promise<CapturedEmail> => {
  await mail.relay();
  const [found] = await smtp.waitFor((m) => m.to.includes(to) && m.subject === subject);
  return found!;
};

const ics = (email: CapturedEmail) => {
  const attachment = email.attachments.find((a) => a.filename.endsWith('.ics'));
  expect(attachment, `an .ics attached to "${email.subject}"`).toBeDefined();
  return { contentType: attachment!.contentType, ...parseCalendar(attachment!.content) };
};

describe('registration emails and the calendar', () => {
  it('invites a seat holder with each session and the link to join, tells the waitlisted without either, and cancels with the same UIDs', async () => {
    const { db } = database;
    const link = `https://meet.example/${randomUUID()}`;
    const course = await aCourse(db, { title: `Calendar course ${randomUUID().slice(0, 6)}`, delivery: 'online' });
    const sessions = [
      { startsAt: later(10), endsAt: later(10.125), hours: 3, title: 'Morning, part 1' },
      { startsAt: later(11), endsAt: later(11.125), hours: 3, title: 'Morning; part 2' },
    ];
    const event = await createEvent(db, { course, capacity: 1, onlineUrl: link, sessions });
    const english = await aPerson('en');
    const spanish = await aPerson('es');
    const englishSession = await signIn(app, english);
    const seat = (await englishSession.post(`/api/events/${event.id}/registrations`).expect(201)).body.registration;
    const waiting = (await (await signIn(app, spanish)).post(`/api/events/${event.id}/registrations`).expect(201)).body
      .registration;
    expect([seat.status, waiting.status]).toEqual(['registered', 'waitlisted']);

    const confirmation = await emailTo(english.email, `Registered: ${course.title}`);
    expect(confirmation.text).toContain(`To join online: ${link}`);
    expect(confirmation.text).toContain(`http://mopd.test/events/${event.id}`);
    const invited = ics(confirmation);
    expect(invited.contentType).toMatch(/^text\/calendar/);
    expect(invited.method).toBe('REQUEST');
    expect(invited.events).toHaveLength(2);
    const { calendar_uid: calendarUid } = await db('registrations').where({ id: seat.registrationId }).first();
    const stored = await db('event_sessions').where({ event_id: event.id }).orderBy('starts_at');
    for (const [i, vevent] of invited.events.entries()) {
      // Not a bare row id: the stored random UID and this deployment's host.
      expect(vevent.UID).toBe(`${calendarUid}.${stored[i]!.id}@mopd.test`);
      expect(vevent.UID).not.toMatch(/^\d+(@|$)/);
      expect(vevent.DTSTART).toBe(sessions[i]!.startsAt.toISOString().replace(/[-:]|\.\d{3}/g, ''));
      expect(vevent.DTEND).toBe(sessions[i]!.endsAt.toISOString().replace(/[-:]|\.\d{3}/g, ''));
      expect(vevent.LOCATION).toBe(link);
      expect(vevent.STATUS).toBe('CONFIRMED');
      expect(vevent.ATTENDEE).toBe(`mailto:${english.email}`);
    }
    expect(invited.events[0]!.SUMMARY).toBe(`${course.title}: Morning\\, part 1`);
    expect(invited.events[1]!.SUMMARY).toBe(`${course.title}: Morning\\; part 2`);
    expect(new Set(invited.events.map((e) => e.UID)).size).toBe(2);

    const waitlisted = await emailTo(spanish.email, `En lista de espera: ${course.title}`);
    expect(waitlisted.attachments).toEqual([]);
    expect(waitlisted.text).not.toContain(link);

    await englishSession.post(`/api/registrations/${seat.registrationId}/cancel`).expect(200);
    const cancellation = await emailTo(english.email, `Cancelled: ${course.title}`);
    expect(cancellation.text).not.toContain(link);
    const cancelled = ics(cancellation);
    // The capture's parser keeps only the media type; the outbox holds the full content type sent.
    const row = await db('outbox').where({ to_address: english.email, template: 'registration-cancelled' }).first();
    expect(row?.attachments.map((a) => a.contentType)).toEqual(['text/calendar; charset=utf-8; method=CANCEL']);
    expect(cancelled.method).toBe('CANCEL');
    expect(cancelled.events.map((e) => e.UID)).toEqual(invited.events.map((e) => e.UID));
    for (const [i, vevent] of cancelled.events.entries()) {
      expect(Number(vevent.SEQUENCE)).toBeGreaterThan(Number(invited.events[i]!.SEQUENCE));
      expect(vevent.STATUS).toBe('CANCELLED');
    }

    // The seat goes to the Spanish speaker waiting: now they have the invitation and the link, in Spanish.
    const promoted = await emailTo(spanish.email, `Un lugar para usted: ${course.title}`);
    expect(promoted.text).toContain(`Para unirse en línea: ${link}`);
    expect(promoted.text).toContain('La invitación adjunta (invitation.ics)');
    const theirs = ics(promoted);
    expect(theirs.method).toBe('REQUEST');
    expect(theirs.events).toHaveLength(2);
    expect(theirs.events[0]!.DESCRIPTION).toContain('La página del evento');
    // Their own UIDs: a calendar holding both people's invitations keeps them apart.
    expect(theirs.events.map((e) => e.UID)).not.toEqual(invited.events.map((e) => e.UID));
  });

  it('sends the invitation again with the reminder, at the address for an event in person, and a new registration after a cancel keeps its UIDs with a higher sequence, which the reminder repeats', async () => {
    const { db } = database;
    const course = await aCourse(db, { title: `In person ${randomUUID().slice(0, 6)}`, delivery: 'in_person' });
    const event = await createEvent(db, {
      course,
      capacity: 5,
      place: { addressLine: '12 Oak St', city: 'Columbia', county: 'Boone', region: null, zip: '65201' },
      sessions: [{ startsAt: later(2), endsAt: later(2.1), hours: 2 }],
    });
    const person = await aPerson('es');
    const me = await signIn(app, person);
    const first = (await me.post(`/api/events/${event.id}/registrations`).expect(201)).body.registration;
    const confirmation = await emailTo(person.email, `Inscrito/a: ${course.title}`);
    const invited = ics(confirmation);
    expect(invited.events).toHaveLength(1);
    expect(invited.events[0]!.LOCATION).toBe('12 Oak St\\, Columbia\\, 65201');
    expect(invited.events[0]!.SUMMARY).toBe(course.title);
    expect(confirmation.text).not.toContain('Para unirse en línea');

    await me.post(`/api/registrations/${first.registrationId}/cancel`).expect(200);
    const cancelled = ics(await emailTo(person.email, `Cancelada: ${course.title}`));
    const again = (await me.post(`/api/events/${event.id}/registrations`).expect(201)).body.registration;
    expect(again.registrationId).toBe(first.registrationId);
    await mail.relay();
    const [, second] = await smtp.waitFor((m) => m.to.includes(person.email) && m.subject.startsWith('Inscrito/a'), 2);
    const reinvited = ics(second!);
    expect(reinvited.events[0]!.UID).toBe(invited.events[0]!.UID);
    expect(Number(reinvited.events[0]!.SEQUENCE)).toBeGreaterThan(Number(cancelled.events[0]!.SEQUENCE));

    const reminders = createEventReminderService({ db, publicUrl: 'http://mopd.test' });
    expect(await reminders.sendEventReminders({ eventId: event.id, at: new Date().toISOString() })).toEqual({
      sent: 1,
    });
    const reminder = ics(await emailTo(person.email, `Próximamente: ${course.title}`));
    expect(reminder.method).toBe('REQUEST');
    expect(reminder.events[0]!.UID).toBe(invited.events[0]!.UID);
    // A reminder repeats the invitation the calendar holds: same sequence, so it replaces nothing
    // and a reminder run done again changes no row.
    expect(Number(reminder.events[0]!.SEQUENCE)).toBe(Number(reinvited.events[0]!.SEQUENCE));
  });
  it("lists in a conference's invitation only the sessions the person chose, names the trainer as its organizer, and links the join address in the HTML email", async () => {
    const { db } = database;
    const link = `https://meet.example/${randomUUID()}`;
    const trainer = await aUser(db, ['trainer']);
    const course = await aCourse(db, { title: `Conference ${randomUUID().slice(0, 6)}`, delivery: 'online' });
    const event = await createEvent(db, {
      course,
      capacity: 10,
      onlineUrl: link,
      trainerUserId: trainer.user.id,
      trainerName: 'Dana Whitfield',
      sessionChoice: true,
      sessions: [
        { title: 'Infants, track A', track: 'A', startsAt: later(5), endsAt: later(5.05), hours: 1 },
        { title: 'Toddlers, track B', track: 'B', startsAt: later(5), endsAt: later(5.05), hours: 1 },
        { title: 'Closing', startsAt: later(5.1), endsAt: later(5.15), hours: 1 },
      ],
    });
    const stored = await db('event_sessions').where({ event_id: event.id }).orderBy('id');
    const person = await aPerson('en');
    const me = await signIn(app, person);
    const seat = (await me.post(`/api/events/${event.id}/registrations`).expect(201)).body.registration;

    // Nothing chosen yet: the confirmation carries no calendar, and does not say it does.
    const confirmation = await emailTo(person.email, `Registered: ${course.title}`);
    expect(confirmation.attachments).toEqual([]);
    expect(confirmation.text).not.toContain('invitation.ics');
    // The join link is a link in the HTML body, and the address in the text.
    expect(confirmation.text).toContain(`To join online: ${link}`);
    expect(confirmation.html).toContain(`<a href="${link}">${link}</a>`);

    await me
      .put(`/api/registrations/${seat.registrationId}/sessions`)
      .send({ sessionIds: [stored[1]!.id, stored[2]!.id] })
      .expect(200);
    const reminders = createEventReminderService({ db, publicUrl: 'http://mopd.test' });
    await reminders.sendEventReminders({ eventId: event.id, at: new Date().toISOString() });
    const reminder = await emailTo(person.email, `Coming up: ${course.title}`);
    const invited = ics(reminder);
    expect(invited.events.map((e) => e.SUMMARY)).toEqual([
      `${course.title}: Toddlers\\, track B`,
      `${course.title}: Closing`,
    ]);
    const { calendar_uid: calendarUid } = await db('registrations').where({ id: seat.registrationId }).first();
    expect(invited.events.map((e) => e.UID)).toEqual([
      `${calendarUid}.${stored[1]!.id}@mopd.test`,
      `${calendarUid}.${stored[2]!.id}@mopd.test`,
    ]);
    for (const vevent of invited.events) {
      expect(vevent.ORGANIZER).toBe(`mailto:${trainer.user.email}`);
      expect(vevent.ORGANIZER).not.toContain('no-reply');
    }
    // The organizer's name is the trainer's, in the CN parameter.
    expect(
      reminder.attachments
        .find((a) => a.filename.endsWith('.ics'))!
        .content.replace(/\r\n[ \t]/g, '')
        .includes('ORGANIZER;CN="Dana Whitfield":mailto:'),
    ).toBe(true);
    expect(reminder.html).toContain(`<a href="${link}">${link}</a>`);
  });
});
