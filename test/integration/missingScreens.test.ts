/**
 * The API behind issue 19's screens: a hire answered with its deadlines at once, an employment
 * ended with its reason, the staff report listing only people employed on its date, an admin
 * adding a professional and finding any course, and an event's fee paid from a registration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createEvent } from '../../db/events.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';
import { addDays, localDateOf } from '../../rules/dates.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('missing-screens');
  ({ database, app } = http);
});

afterAll(async () => {
  await http?.close();
});

const today = () => localDateOf(new Date());

async function aDirectorOf() {
  const { db } = database;
  const organization = await anOrganization(db, { licensed: true, serves_infants: true });
  const director = await aUser(db, ['director']);
  await db('organization_claims').insert({
    organization_id: organization.id,
    director_user_id: director.user.id,
    status: 'approved',
  });
  return { organization, session: await signIn(app, director) };
}

describe('the staff report', () => {
  it('lists only people employed on its date, once each, however many times they were hired', async () => {
    const { db } = database;
    const { organization, session } = await aDirectorOf();
    const stays = await aProfessional(db, { firstName: 'Stella', lastName: 'Stays' });
    const left = await aProfessional(db, { firstName: 'Leif', lastName: 'Left' });
    const back = await aProfessional(db, { firstName: 'Bea', lastName: 'Back' });
    await anEmployment(db, stays, organization, '2023-03-01');
    await db('employments').insert([
      {
        professional_id: left.id,
        organization_id: organization.id,
        role: 'teacher',
        hire_date: '2023-01-05',
        end_date: '2024-06-30',
      },
      {
        professional_id: back.id,
        organization_id: organization.id,
        role: 'teacher',
        hire_date: '2022-01-05',
        end_date: '2024-12-31',
      },
      {
        professional_id: back.id,
        organization_id: organization.id,
        role: 'assistant_teacher',
        hire_date: '2025-02-01',
      },
    ]);

    const now = (await session.get(`/api/organizations/${organization.id}/staff-report?asOf=${today()}`).expect(200))
      .body.report;
    expect(now.staff.map((s: { name: string }) => s.name)).toEqual(['Bea Back', 'Stella Stays']);
    expect(now.staff[0]).toMatchObject({ role: 'assistant_teacher', hireDate: '2025-02-01' });

    const then = (await session.get(`/api/organizations/${organization.id}/staff-report?asOf=2024-06-30`).expect(200))
      .body.report;
    expect(then.staff.map((s: { name: string }) => s.name)).toEqual(['Bea Back', 'Leif Left', 'Stella Stays']);

    const staff = (await session.get(`/api/organizations/${organization.id}/employments`).expect(200)).body.staff;
    expect(staff.map((s: { name: string }) => s.name)).toEqual(['Bea Back', 'Stella Stays']);
  });
});

describe('recording a hire', () => {
  it('answers a new person’s hire with the deadlines it starts, and an invitation with those it will', async () => {
    const { db } = database;
    const { organization, session } = await aDirectorOf();
    const hireDate = addDays(today(), -2);
    const added = await session
      .post(`/api/organizations/${organization.id}/staff`, {
        firstName: 'Nia',
        lastName: 'New',
        email: `nia.${Date.now()}@example.org`,
        role: 'teacher',
        hireDate,
      })
      .expect(201);
    expect(added.body.professional.mopdId).toMatch(/^MO\d{7}$/);
    const safeSleep = added.body.deadlines.find((d: { label: string }) => /safe-sleep/i.test(d.label));
    expect(safeSleep).toMatchObject({ kind: 'deadline', dueOn: addDays(hireDate, 30) });

    const existing = await aProfessional(db);
    const invited = await session
      .post(`/api/organizations/${organization.id}/staff-invitations`, {
        mopdId: existing.mopd_id,
        role: 'teacher',
        hireDate,
      })
      .expect(201);
    expect(invited.body.deadlines).toEqual(added.body.deadlines);

    // At an organization serving no infants, no safe-sleep deadline.
    const older = await anOrganization(db, { licensed: true, serves_infants: false });
    const admin = await signIn(app, await aUser(db, ['admin']));
    const hired = await admin
      .post(`/api/organizations/${older.id}/hires`, {
        mopdId: existing.mopd_id.toLowerCase(),
        role: 'teacher',
        hireDate,
      })
      .expect(201);
    expect(hired.body.professional).toMatchObject({ id: existing.id, mopdId: existing.mopd_id });
    expect(hired.body.deadlines.some((d: { label: string }) => /safe-sleep/i.test(d.label))).toBe(false);
    const unknown = await admin
      .post(`/api/organizations/${older.id}/hires`, { mopdId: 'MO0000001', role: 'teacher', hireDate })
      .expect(404);
    expect(unknown.body.error.fields?.[0]?.field ?? unknown.body.error.field).toBe('mopdId');
    // A director invites: recording an existing person's hire directly is an admin's.
    expect(
      (
        await session.post(`/api/organizations/${organization.id}/hires`, {
          mopdId: existing.mopd_id,
          role: 'teacher',
          hireDate,
        })
      ).status,
    ).toBe(403);
  });

  it('ends an employment with its reason, after which the person is not on the staff', async () => {
    const { db } = database;
    const { organization, session } = await aDirectorOf();
    const person = await aProfessional(db, { firstName: 'Ed', lastName: 'Ending' });
    const employment = await anEmployment(db, person, organization, '2024-01-10');
    const yesterday = addDays(today(), -1);
    const ended = await session
      .post(`/api/employments/${employment.id}/end`, { endDate: yesterday, reason: 'Moved away' })
      .expect(200);
    expect(ended.body.employment).toMatchObject({ end_date: yesterday, end_reason: 'Moved away' });
    const staff = (await session.get(`/api/organizations/${organization.id}/employments`).expect(200)).body.staff;
    expect(staff.map((s: { professionalId: number }) => s.professionalId)).not.toContain(person.id);
    const tooLong = await session
      .post(`/api/employments/${employment.id}/end`, { endDate: yesterday, reason: 'x'.repeat(301) })
      .expect(400);
    expect(JSON.stringify(tooLong.body)).toContain('reason');
  });
});

describe('an admin', () => {
  it('adds a professional, who gets an MOPD ID, and is refused a second one for the same email', async () => {
    const { db } = database;
    const admin = await signIn(app, await aUser(db, ['admin']));
    const email = `ada.${Date.now()}@example.org`;
    const added = await admin
      .post('/api/admin/professionals', { firstName: 'Ada', lastName: 'Added', email })
      .expect(201);
    expect(added.body.professional).toMatchObject({ name: 'Ada Added', email });
    expect(added.body.professional.mopdId).toMatch(/^MO\d{7}$/);
    const again = await admin
      .post('/api/admin/professionals', { firstName: 'Ada', lastName: 'Again', email: email.toUpperCase() })
      .expect(409);
    expect(JSON.stringify(again.body)).toContain('email');
    const missing = await admin.post('/api/admin/professionals', { firstName: '', email: 'nope' }).expect(400);
    const fields = (missing.body.error.fields as Array<{ field: string }>).map((f) => f.field).sort();
    expect(fields).toEqual(['email', 'firstName', 'lastName']);
    const director = await signIn(app, await aUser(db, ['director']));
    expect(
      (await director.post('/api/admin/professionals', { firstName: 'A', lastName: 'B', email: 'a@b.org' })).status,
    ).toBe(403);
  });

  it('finds any course by title or number, status and owner, a page at a time', async () => {
    const { db } = database;
    const admin = await signIn(app, await aUser(db, ['admin']));
    const owner = await aUser(db, ['trainer']);
    await db('users').where({ id: owner.user.id }).update({ display_name: 'Olive Owner' });
    const tag = `Zebra${Date.now()}`;
    const mine = await aCourse(db, { title: `${tag} Nutrition`, trainer_user_id: owner.user.id });
    const other = await aCourse(db, { title: `${tag} Safety`, approved: false });
    for (let i = 0; i < 3; i++) await aCourse(db, { title: `${tag} Extra ${i}` });

    const byTitle = (await admin.get(`/api/admin/courses?q=${tag}&pageSize=2`).expect(200)).body;
    expect(byTitle.total).toBe(5);
    expect(byTitle.courses).toHaveLength(2);
    const page3 = (await admin.get(`/api/admin/courses?q=${tag}&pageSize=2&page=3`).expect(200)).body;
    expect(page3.courses.map((c: { title: string }) => c.title)).toEqual([`${tag} Safety`]);

    const byNumber = (await admin.get(`/api/admin/courses?q=%23${mine.id}`).expect(200)).body;
    expect(byNumber.courses.map((c: { id: number }) => c.id)).toContain(mine.id);
    const unapproved = (await admin.get(`/api/admin/courses?q=${tag}&status=not_approved`).expect(200)).body;
    expect(unapproved.courses.map((c: { id: number }) => c.id)).toEqual([other.id]);
    const owned = (await admin.get(`/api/admin/courses?q=${tag}&owner=olive`).expect(200)).body;
    expect(owned.courses).toEqual([expect.objectContaining({ id: mine.id, ownerName: 'Olive Owner' })]);

    expect((await admin.get('/api/admin/courses?status=maybe').expect(400)).body.error.fields[0].field).toBe('status');
    const trainer = await signIn(app, owner);
    expect((await trainer.get('/api/admin/courses')).status).toBe(403);
  });
});

describe('an event’s fee', () => {
  it('is shown on registering, paid through the provider from the registration, and not paid twice', async () => {
    const { db } = database;
    const course = await aCourse(db, { title: `Paid course ${Date.now()}`, delivery: 'online' });
    const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
    const event = await createEvent(db, {
      course,
      capacity: 1,
      feeCents: 2500,
      onlineUrl: 'https://meet.example.org/paid',
      sessions: [{ startsAt: soon(10), endsAt: soon(10.1), hours: 3 }],
    });
    const person = await aUser(db, ['professional']);
    const me = await signIn(app, person);
    const registered = await me.post(`/api/events/${event.id}/registrations`).expect(201);
    expect(registered.body.registration).toMatchObject({ status: 'registered', feeCents: 2500 });
    const id = registered.body.registration.registrationId as number;

    const before = (await me.get(`/api/professionals/${person.professionalId}/registrations`).expect(200)).body;
    expect(before.registrations).toEqual([
      expect.objectContaining({ id, feeCents: 2500, paymentStatus: null, eventCancelled: false }),
    ]);

    const { checkoutUrl, amountCents } = (await me.post(`/api/registrations/${id}/checkout`).expect(200)).body;
    expect(amountCents).toBe(2500);
    const paid = await request(app).post(checkoutUrl).type('form').send({ outcome: 'paid' }).expect(303);
    expect(paid.headers.location).toBe('/my/registrations?payment=paid');
    const after = (await me.get(`/api/professionals/${person.professionalId}/registrations`).expect(200)).body;
    expect(after.registrations[0].paymentStatus).toBe('paid');
    expect((await me.post(`/api/registrations/${id}/checkout`).expect(409)).body.error.message).toMatch(/already paid/);

    // Someone on the waitlist pays nothing yet; someone else's registration is not theirs to pay.
    const second = await aUser(db, ['professional']);
    const them = await signIn(app, second);
    const waiting = (await them.post(`/api/events/${event.id}/registrations`).expect(201)).body.registration;
    expect(waiting.status).toBe('waitlisted');
    expect(
      (await them.post(`/api/registrations/${waiting.registrationId}/checkout`).expect(409)).body.error.message,
    ).toMatch(/waitlist/);
    expect((await them.post(`/api/registrations/${id}/checkout`)).status).toBe(404);

    // A checkout left open is closed when the seat is given up.
    const free = await createEvent(db, {
      course,
      capacity: 5,
      feeCents: 1000,
      onlineUrl: 'https://meet.example.org/paid-2',
      sessions: [{ startsAt: soon(12), endsAt: soon(12.1), hours: 3 }],
    });
    const seat = (await them.post(`/api/events/${free.id}/registrations`).expect(201)).body.registration;
    await them.post(`/api/registrations/${seat.registrationId}/checkout`).expect(200);
    await them.post(`/api/registrations/${seat.registrationId}/cancel`).expect(200);
    expect(await db('payments').where({ registration_id: seat.registrationId }).pluck('status')).toEqual(['failed']);
  });
});
