/**
 * Completing attendance tells each attendee it issued their training record (issue 19): one
 * notification in the app and one email, in their language, with the training, the hours credited
 * (or why none) and the link to their transcript; completing again tells nobody twice. Over HTTP
 * against PostgreSQL, with the real outbox, queue, mailer and SMTP capture.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../db/events.js';
import { createRegistrations } from '../../services/registrations.js';
import { aPersonSpeaking, startMailedApp, type MailedApp } from '../support/mailedApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn, type TestUser } from '../support/app.js';

let mailed: MailedApp;
let database: MailedApp['database'];
let app: MailedApp['app'];
let smtp: MailedApp['smtp'];
let mail: MailedApp['mail'];

beforeAll(async () => {
  mailed = await startMailedApp('attendance-notices');
  ({ database, app, smtp, mail } = mailed);
});
afterAll(async () => {
  await mailed?.close();
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const place = { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: 'Central' as const, zip: '65201' };

const aPerson = (language: 'en' | 'es') => aPersonSpeaking(database.db, language);

describe('attendance issuing training records', () => {
  it('tells each credited attendee once, in their language, with the hours credited or why none, and nobody it issued nothing to', async () => {
    const { db } = database;
    const trainer = await aUser(db, ['trainer']);
    const as = await signIn(app, trainer);
    const title = `Positive Guidance ${randomUUID().slice(0, 6)}`;
    const course = await aCourse(db, { title, topic: 'guidance', clock_hours: 3 });
    const event = await createEvent(db, {
      course,
      trainerUserId: trainer.user.id,
      place,
      capacity: 10,
      sessions: [{ title: 'Morning', startsAt: hoursAgo(8), endsAt: hoursAgo(5), hours: 3 }],
    });
    const english = await aPerson('en');
    const spanish = await aPerson('es');
    const absent = await aPerson('en');
    const registrations = createRegistrations({ db, publicUrl: 'http://mopd.test', now: () => hoursAgo(24 * 7) });
    const seat = async (who: TestUser) =>
      (
        await registrations.register({
          eventId: event.id,
          professionalId: who.professionalId!,
          byUserId: trainer.user.id,
        })
      ).registrationId;
    const [englishSeat, spanishSeat, absentSeat] = [await seat(english), await seat(spanish), await seat(absent)];
    const sessionId = Number((await db('event_sessions').where({ event_id: event.id }).first('id'))!.id);
    await as
      .put(`/api/events/${event.id}/attendance`, {
        marks: [
          { registrationId: englishSeat, sessionId, status: 'present', inRatio: false },
          // Counted in ratio with children while there: the rule set credits nothing, and says why.
          { registrationId: spanishSeat, sessionId, status: 'present', inRatio: true },
          { registrationId: absentSeat, sessionId, status: 'absent' },
        ],
      })
      .expect(200);
    // Marking alone tells nobody: the records are issued on completion.
    expect(await db('outbox').where({ template: 'attendance-record' }).whereIn('to_address', [english.email])).toEqual(
      [],
    );
    await as.post(`/api/events/${event.id}/attendance/complete`).expect(200);

    const spanishRecord = await db('training_records')
      .where({ event_id: event.id, professional_id: spanish.professionalId })
      .first();
    expect(Number(spanishRecord.credited_hours)).toBe(0);
    const reason = spanishRecord.credit_reasons[0].text as string;

    await mail.relay();
    const [toEnglish] = await smtp.waitFor(
      (m) => m.to.includes(english.email) && m.subject === `Your training is on your transcript: ${title}`,
    );
    expect(toEnglish!.text).toContain(`Your attendance at "${title}" on`);
    expect(toEnglish!.text).toContain('3 clock hours attended.');
    expect(toEnglish!.text).toContain('All of it counts toward your training requirements.');
    expect(toEnglish!.text).toContain(
      `See your transcript: http://mopd.test/professionals/${english.professionalId}/transcript`,
    );
    const [toSpanish] = await smtp.waitFor(
      (m) => m.to.includes(spanish.email) && m.subject === `Su capacitación está en su historial: ${title}`,
    );
    expect(toSpanish!.text).toContain('3 horas reloj de asistencia.');
    expect(toSpanish!.text).toContain(`No otorga horas reloj para sus requisitos de capacitación. Motivo: ${reason}`);
    expect(toSpanish!.text).toContain(`http://mopd.test/professionals/${spanish.professionalId}/transcript`);

    // In the app, too: each reads theirs under Notifications, in their language, linking to the transcript.
    const notices = async (who: TestUser) =>
      (
        (await (await signIn(app, who)).get('/api/notifications').expect(200)).body.notifications as Array<{
          title: string;
          body: string;
          link: string;
        }>
      ).filter((n) => n.title.includes(title));
    const englishNotices = await notices(english);
    expect(englishNotices).toHaveLength(1);
    expect(englishNotices[0]).toMatchObject({
      title: `Your training is on your transcript: ${title}`,
      link: `/professionals/${english.professionalId}/transcript`,
    });
    expect(englishNotices[0]!.body).toContain('All of it counts');
    const spanishNotices = await notices(spanish);
    expect(spanishNotices).toHaveLength(1);
    expect(spanishNotices[0]!.body).toContain(`Motivo: ${reason}`);
    expect(await notices(absent)).toEqual([]);
    expect(await db('outbox').where({ template: 'attendance-record', to_address: absent.email })).toEqual([]);

    // Completing again issues nothing new and tells nobody again.
    expect((await as.post(`/api/events/${event.id}/attendance/complete`).expect(200)).body.issued).toEqual([]);
    expect(await notices(english)).toHaveLength(1);
    for (const who of [english, spanish])
      expect(await db('outbox').where({ template: 'attendance-record', to_address: who.email })).toHaveLength(1);
  });
});
