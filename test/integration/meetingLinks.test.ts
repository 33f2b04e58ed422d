/**
 * An online event's link to join lets anyone into the session (issue 16): the catalog and the
 * event page are public, the link is given only to those holding a seat, the trainer and staff
 * roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createEvent } from '../../db/events.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn, visitor } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('meeting-links');
  ({ database, app } = http);
});

afterAll(async () => {
  await http?.close();
});

describe("a paid online event's link to join", () => {
  it('is withheld from visitors, the catalog, the unregistered and the waitlisted, and given to seat holders, the trainer and reviewers', async () => {
    const { db } = database;
    const trainer = await aUser(db, ['trainer']);
    const link = `https://meet.example/paid-${Date.now()}`;
    const course = await aCourse(db, { delivery: 'online', topic: `links-${Date.now()}` });
    const event = await createEvent(db, {
      course,
      trainerUserId: trainer.user.id,
      capacity: 1,
      feeCents: 2500,
      onlineUrl: link,
      sessions: [{ startsAt: new Date(Date.now() + 864e6), endsAt: new Date(Date.now() + 865e6), hours: 1 }],
    });
    const page = async (who: Awaited<ReturnType<typeof visitor>>) => {
      const response = await who.get(`/api/events/${event.id}`);
      expect(response.status).toBe(200);
      return response.body.event as { onlineUrl: string | null; hasOnlineLink: boolean };
    };

    const anonymous = await visitor(app);
    expect(await page(anonymous)).toMatchObject({ onlineUrl: null, hasOnlineLink: true });
    const catalog = await anonymous.get(`/api/catalog?topic=${course.topic}`);
    expect(catalog.status).toBe(200);
    expect(catalog.body.results).toHaveLength(1);
    expect(JSON.stringify(catalog.body)).not.toContain(link);

    const seated = await aUser(db, ['professional']);
    const waiting = await aUser(db, ['professional']);
    const outsider = await aUser(db, ['professional']);
    const seatedSession = await signIn(app, seated);
    const waitingSession = await signIn(app, waiting);
    expect((await seatedSession.post(`/api/events/${event.id}/registrations`, {})).body.registration.status).toBe(
      'registered',
    );
    expect((await waitingSession.post(`/api/events/${event.id}/registrations`, {})).body.registration.status).toBe(
      'waitlisted',
    );

    expect((await page(await signIn(app, outsider))).onlineUrl).toBeNull();
    expect((await page(waitingSession)).onlineUrl).toBeNull();
    expect(
      (await waitingSession.get(`/api/professionals/${waiting.professionalId}/registrations`)).body.registrations[0]
        .onlineUrl,
    ).toBeNull();
    expect((await page(seatedSession)).onlineUrl).toBe(link);
    expect(
      (await seatedSession.get(`/api/professionals/${seated.professionalId}/registrations`)).body.registrations[0]
        .onlineUrl,
    ).toBe(link);
    expect((await page(await signIn(app, trainer))).onlineUrl).toBe(link);
    expect((await page(await signIn(app, await aUser(db, ['reviewer'])))).onlineUrl).toBe(link);

    // A seat given up gives the link up too.
    const registrationId = (
      await db('registrations').where({ event_id: event.id, professional_id: seated.professionalId }).first()
    ).id;
    expect((await seatedSession.post(`/api/registrations/${registrationId}/cancel`, {})).status).toBe(200);
    expect((await page(seatedSession)).onlineUrl).toBeNull();
    expect((await page(waitingSession)).onlineUrl).toBe(link);
  });
});
