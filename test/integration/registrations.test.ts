/** Registration against PostgreSQL: capacity, the race for the last seat, the waitlist, directors and rosters. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createEvent } from '../../db/events.js';
import { createRegistrations } from '../../services/registrations.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('registrations');
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

const later = (days: number) => new Date(Date.now() + days * 86_400_000);
async function anEvent(capacity: number, trainerUserId: number | null = null) {
  const course = await aCourse(database.db, { title: `Event course ${randomUUID().slice(0, 6)}`, delivery: 'online' });
  return createEvent(database.db, {
    course,
    capacity,
    trainerUserId,
    onlineUrl: 'https://meet.example/e',
    sessions: [{ startsAt: later(7), endsAt: later(7.1), hours: 3 }],
  });
}

describe('registration', () => {
  it('gives the last seat to exactly one of two people asking at once; the other waits', async () => {
    const { db } = database;
    const registrations = createRegistrations({ db, publicUrl: 'http://mopd.test' });
    const admin = await aUser(db, ['admin']);
    for (let round = 0; round < 10; round++) {
      const event = await anEvent(1);
      const [a, b] = [await aProfessional(db), await aProfessional(db)];
      const results = await Promise.all(
        [a, b].map((p) => registrations.register({ eventId: event.id, professionalId: p.id, byUserId: admin.user.id })),
      );
      expect(results.map((r) => r.status).sort()).toEqual(['registered', 'waitlisted']);
      expect(results.find((r) => r.status === 'waitlisted')!.waitlistPosition).toBe(1);
    }
  });

  it('promotes the first on the waitlist when a seat is cancelled, and tells them', async () => {
    const { db } = database;
    const event = await anEvent(1);
    const first = await aUser(db, ['professional']);
    const second = await aUser(db, ['professional']);
    const third = await aUser(db, ['professional']);
    const seat = (await (await signIn(app, first)).post(`/api/events/${event.id}/registrations`).expect(201)).body
      .registration;
    const wait1 = (await (await signIn(app, second)).post(`/api/events/${event.id}/registrations`).expect(201)).body
      .registration;
    const wait2 = (await (await signIn(app, third)).post(`/api/events/${event.id}/registrations`).expect(201)).body
      .registration;
    expect([seat.status, wait1.status, wait1.waitlistPosition, wait2.waitlistPosition]).toEqual([
      'registered',
      'waitlisted',
      1,
      2,
    ]);

    const firstSession = await signIn(app, first);
    expect((await firstSession.post(`/api/registrations/${seat.registrationId}/cancel`).expect(200)).body).toEqual({
      promotedRegistrationId: wait1.registrationId,
    });
    expect(await db('registrations').where({ event_id: event.id }).orderBy('id').pluck('status')).toEqual([
      'cancelled',
      'registered',
      'waitlisted',
    ]);
    const { email: secondEmail } = await db('professionals').where({ id: second.professionalId }).first();
    const secondMail = await db('outbox').where({ to_address: secondEmail }).orderBy('id').pluck('subject');
    // Registration emails open the event's own page, not the catalog.
    const texts = await db('outbox').where({ to_address: secondEmail }).pluck('body_text');
    for (const text of texts) expect(text).toMatch(/\/events\/\d+/);
    expect(secondMail).toEqual([expect.stringMatching(/^Waitlisted: /), expect.stringMatching(/^A seat for you: /)]);
    // The event page tells the one still waiting that they are next now.
    const thirdSees = (await (await signIn(app, third)).get(`/api/events/${event.id}`).expect(200)).body.mine;
    expect(thirdSees).toMatchObject({
      registrationId: wait2.registrationId,
      status: 'waitlisted',
      waitlistPosition: 1,
      record: null,
    });
    // Cancelling twice changes nothing; someone else's registration is not theirs to cancel.
    expect((await firstSession.post(`/api/registrations/${seat.registrationId}/cancel`).expect(200)).body).toEqual({
      promotedRegistrationId: null,
    });
    expect((await firstSession.post(`/api/registrations/${wait2.registrationId}/cancel`)).status).toBe(404);
  });

  it('someone who leaves the waitlist and joins again waits behind those who stayed', async () => {
    const { db } = database;
    const event = await anEvent(1);
    const [a, b, c] = [
      await aUser(db, ['professional']),
      await aUser(db, ['professional']),
      await aUser(db, ['professional']),
    ];
    const [asA, asB, asC] = [await signIn(app, a), await signIn(app, b), await signIn(app, c)];
    await asA.post(`/api/events/${event.id}/registrations`).expect(201);
    const bWaits = (await asB.post(`/api/events/${event.id}/registrations`).expect(201)).body.registration;
    await asC.post(`/api/events/${event.id}/registrations`).expect(201);
    await asB.post(`/api/registrations/${bWaits.registrationId}/cancel`).expect(200);
    const again = (await asB.post(`/api/events/${event.id}/registrations`).expect(201)).body.registration;
    expect([again.registrationId, again.status, again.waitlistPosition]).toEqual([
      bWaits.registrationId,
      'waitlisted',
      2,
    ]);
    expect((await asC.get(`/api/events/${event.id}`).expect(200)).body.mine.waitlistPosition).toBe(1);
  });

  it('lets a director register their staff, not others, and shows the trainer the roster', async () => {
    const { db } = database;
    const trainer = await aUser(db, ['trainer']);
    const event = await anEvent(10, trainer.user.id);
    const organization = await anOrganization(db);
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: organization.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const staff = await aProfessional(db, { firstName: 'Sky', lastName: 'Staffer' });
    await anEmployment(db, staff, organization, '2025-01-06');
    const stranger = await aProfessional(db);
    const dir = await signIn(app, director);
    expect(
      (await dir.post(`/api/events/${event.id}/registrations`, { professionalId: staff.id }).expect(201)).body
        .registration.status,
    ).toBe('registered');
    const refused = await dir.post(`/api/events/${event.id}/registrations`, { professionalId: stranger.id });
    expect(refused.status).toBe(403);
    expect(refused.body.error.fields).toEqual([expect.objectContaining({ field: 'professionalId' })]);
    const roster = (await (await signIn(app, trainer)).get(`/api/events/${event.id}/roster`).expect(200)).body.roster;
    expect(roster).toEqual([
      expect.objectContaining({ name: 'Sky Staffer', status: 'registered', professionalId: staff.id }),
    ]);
    expect((await (await signIn(app, await aUser(db, ['trainer']))).get(`/api/events/${event.id}/roster`)).status).toBe(
      404,
    );
    // Registering again answers with the registration there is.
    expect(
      (await dir.post(`/api/events/${event.id}/registrations`, { professionalId: staff.id }).expect(201)).body
        .registration.status,
    ).toBe('registered');
    expect(await db('registrations').where({ event_id: event.id }).count<{ count: number }[]>({ count: '*' })).toEqual([
      { count: 1 },
    ]);
  });
});

describe('scheduling events', () => {
  it('lets a trainer schedule their approved course, with clear errors, and the catalog shows it', async () => {
    const { db } = database;
    const trainer = await aUser(db, ['trainer']);
    const someCase = await db('cases')
      .insert({
        type: 'organization_claim',
        workflow_id: `case-x-${randomUUID()}`,
        applicant_user_id: trainer.user.id,
        title: 'x',
        submission: '{}',
        rule_set: 'mopd-compliance',
        rule_set_version: 1,
      })
      .returning('id');
    await db('trainers').insert({
      user_id: trainer.user.id,
      approved_until: '2099-12-31',
      approved_by_case_id: someCase[0]!.id,
    });
    const mine = await aCourse(db, { title: 'Circle Time That Works', trainer_user_id: trainer.user.id });
    const theirs = await aCourse(db, { title: 'Someone Else’s Course' });
    const me = await signIn(app, trainer);
    const sessions = [{ startsAt: later(20).toISOString(), endsAt: later(20.125).toISOString(), hours: 3 }];
    const place = { addressLine: '12 Elm St', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' };

    const missingPlace = await me.post('/api/events', { courseId: mine.id, capacity: 12, sessions });
    expect(missingPlace.status).toBe(400);
    expect(missingPlace.body.error.fields).toEqual([{ field: 'place', message: 'is required for in person training' }]);
    const overlapping = await me.post('/api/events', {
      courseId: mine.id,
      capacity: 12,
      place,
      sessions: [...sessions, { startsAt: later(20.05).toISOString(), endsAt: later(20.2).toISOString(), hours: 2 }],
    });
    expect(overlapping.body.error.fields).toEqual([
      { field: 'sessions', message: expect.stringMatching(/^must not overlap/) },
    ]);
    const backwards = await me.post('/api/events', {
      courseId: mine.id,
      capacity: 12,
      place,
      sessions: [{ ...sessions[0], endsAt: later(19).toISOString() }],
    });
    expect(backwards.body.error.fields).toEqual([
      expect.objectContaining({ field: 'sessions.0.endsAt', message: 'must be after the start' }),
    ]);
    expect((await me.post('/api/events', { courseId: theirs.id, capacity: 12, place, sessions })).status).toBe(403);

    const created = await me
      .post('/api/events', { courseId: mine.id, capacity: 12, place, sessions, feeCents: 0 })
      .expect(201);
    const found = (await me.get('/api/catalog?q=circle%20time')).body.results;
    expect(found).toEqual([
      expect.objectContaining({
        id: created.body.event.id,
        title: 'Circle Time That Works',
        city: 'Columbia',
        seatsLeft: 12,
      }),
    ]);
  });
});
