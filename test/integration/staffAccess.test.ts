/**
 * Who sees a professional's record through a hire (issue 16): a director cannot open someone's
 * record by recording them as staff; the person accepts, or is new to MOPD; and a former
 * employer sees nothing dated after the last day worked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { recordTraining } from '../../services/training.js';
import { createEvent } from '../../db/events.js';
import type { OrganizationRow } from '../../db/rows.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, type Session, type TestUser } from '../support/app.js';
import { localDateOf } from '../../rules/dates.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('staff-access');
  ({ database, app } = http);
});

afterAll(async () => {
  await http?.close();
});

const today = () => localDateOf(new Date());

/** A director with an approved claim on a new organization. */
async function aDirectorOf(
  organization?: OrganizationRow,
): Promise<{ organization: OrganizationRow; director: TestUser; session: Session }> {
  const { db } = database;
  const center = organization ?? (await anOrganization(db, { licensed: true, serves_infants: false }));
  const director = await aUser(db, ['director']);
  await db('organization_claims').insert({
    organization_id: center.id,
    director_user_id: director.user.id,
    status: 'approved',
  });
  return { organization: center, director, session: await signIn(app, director) };
}

/** A professional with an account, whose registry email is their sign-in email. */
async function aPerson(language: 'en' | 'es' = 'en') {
  const { db } = database;
  const person = await aUser(db, ['professional']);
  await db('professionals').where({ id: person.professionalId }).update({ email: person.user.email });
  await db('users').where({ id: person.user.id }).update({ language });
  const row = await db('professionals').where({ id: person.professionalId }).first();
  return { person, mopdId: row.mopd_id as string, id: person.professionalId! };
}

const recordPaths = (id: number) =>
  [
    '',
    '/profile',
    '/compliance',
    '/training-records',
    '/transcript',
    '/self-assessments',
    '/credentials',
    '/deadlines',
    '/registrations',
  ].map((suffix) => `/api/professionals/${id}${suffix}`);

describe('adding someone who already has an MOPD ID', () => {
  it('opens nothing to the director until the person accepts, signed in, and tells them in their language', async () => {
    const { db } = database;
    const { organization, session: director } = await aDirectorOf();
    const { person, mopdId, id } = await aPerson('es');

    // By id alone, as before: refused outright.
    expect(
      (
        await director.post('/api/employments', {
          professionalId: id,
          organizationId: organization.id,
          role: 'teacher',
          hireDate: today(),
        })
      ).status,
    ).toBe(403);
    // By MOPD ID: an invitation, and the director learns no name.
    const invited = await director.post(`/api/organizations/${organization.id}/staff-invitations`, {
      mopdId,
      role: 'teacher',
      hireDate: today(),
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    expect(invited.body.invitation).toMatchObject({ mopdId, status: 'pending', role: 'teacher' });
    expect(JSON.stringify(invited.body)).not.toContain(person.user.email);
    expect(JSON.stringify(invited.body)).not.toContain('Person');
    expect(await db('employments').where({ professional_id: id })).toEqual([]);
    for (const url of recordPaths(id)) expect((await director.get(url)).status, url).toBe(404);
    const event = await createEvent(db, {
      course: await aCourse(db),
      capacity: 5,
      place: { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
      sessions: [{ startsAt: new Date(Date.now() + 864e6), endsAt: new Date(Date.now() + 865e6), hours: 1 }],
    });
    expect((await director.post(`/api/events/${event.id}/registrations`, { professionalId: id })).status).toBe(403);
    // Asking twice while the first waits is refused.
    expect(
      (
        await director.post(`/api/organizations/${organization.id}/staff-invitations`, {
          mopdId,
          role: 'cook',
          hireDate: today(),
        })
      ).status,
    ).toBe(409);

    const mail = await db('outbox').where({ template: 'staff-invitation', to_address: person.user.email });
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain('pide agregarle a su personal');
    expect(mail[0]!.body_text).toContain(organization.name);

    // Nobody but the person answers.
    const invitationId = invited.body.invitation.id as number;
    const someoneElse = await signIn(app, (await aPerson()).person);
    expect((await someoneElse.post(`/api/staff-invitations/${invitationId}/accept`, {})).status).toBe(404);
    expect((await director.post(`/api/staff-invitations/${invitationId}/accept`, {})).status).toBe(404);
    expect(
      (await (await signIn(app, await aUser(db, ['admin']))).post(`/api/staff-invitations/${invitationId}/accept`, {}))
        .status,
    ).toBe(404);

    const me = await signIn(app, person);
    expect((await me.get('/api/my/staff-invitations')).body.invitations).toEqual([
      expect.objectContaining({
        id: invitationId,
        organizationName: organization.name,
        role: 'teacher',
        hireDate: today(),
      }),
    ]);
    const accepted = await me.post(`/api/staff-invitations/${invitationId}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body.employment).toMatchObject({
      professional_id: id,
      organization_id: organization.id,
      role: 'teacher',
      hire_date: today(),
    });
    expect(accepted.body.deadlinesWorkflowId).toBe(`employment-deadlines-${accepted.body.employment.id}`);
    expect((await me.post(`/api/staff-invitations/${invitationId}/accept`, {})).status).toBe(409);
    expect((await me.get('/api/my/staff-invitations')).body.invitations).toEqual([]);

    expect((await director.get(`/api/professionals/${id}/profile`)).status).toBe(200);
    expect((await director.get(`/api/organizations/${organization.id}/staff-invitations`)).body.invitations).toEqual([
      expect.objectContaining({ id: invitationId, status: 'accepted' }),
    ]);
  });

  it('keeps the record closed when the person declines', async () => {
    const { db } = database;
    const { organization, session: director } = await aDirectorOf();
    const { person, mopdId, id } = await aPerson();
    const invited = await director
      .post(`/api/organizations/${organization.id}/staff-invitations`, { mopdId, role: 'volunteer', hireDate: today() })
      .expect(201);
    const declined = await (
      await signIn(app, person)
    ).post(`/api/staff-invitations/${invited.body.invitation.id}/decline`, {});
    expect(declined.status).toBe(200);
    expect(declined.body.invitation.status).toBe('declined');
    expect(await db('employments').where({ professional_id: id })).toEqual([]);
    expect((await director.get(`/api/professionals/${id}/profile`)).status).toBe(404);
  });

  it('answers an unknown MOPD ID by its field, and refuses directors of other organizations', async () => {
    const { organization, session: director } = await aDirectorOf();
    const unknown = await director.post(`/api/organizations/${organization.id}/staff-invitations`, {
      mopdId: 'MO9999999',
      role: 'teacher',
      hireDate: today(),
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.fields).toEqual([{ field: 'mopdId', message: 'No professional has MOPD ID MO9999999' }]);
    const { session: stranger } = await aDirectorOf();
    const { mopdId } = await aPerson();
    expect(
      (
        await stranger.post(`/api/organizations/${organization.id}/staff-invitations`, {
          mopdId,
          role: 'teacher',
          hireDate: today(),
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await stranger.post(`/api/organizations/${organization.id}/staff`, {
          firstName: 'New',
          lastName: 'Person',
          email: 'new.person@example.org',
          role: 'teacher',
          hireDate: today(),
        })
      ).status,
    ).toBe(404);
  });
});

describe('adding someone new to MOPD', () => {
  it('gives them an MOPD ID and the employment at once, emails them, and sends anyone already on record to the MOPD ID way', async () => {
    const { db } = database;
    const { organization, session: director } = await aDirectorOf();
    const email = `new.${Date.now()}@example.org`;
    const added = await director.post(`/api/organizations/${organization.id}/staff`, {
      firstName: 'Nia',
      lastName: 'New',
      email,
      role: 'assistant_teacher',
      hireDate: today(),
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.professional.mopdId).toMatch(/^MO[0-9]{7}$/);
    expect(added.body.employment).toMatchObject({ organization_id: organization.id, role: 'assistant_teacher' });
    expect((await director.get(`/api/professionals/${added.body.professional.id}/profile`)).status).toBe(200);
    expect(await db('outbox').where({ template: 'staff-added', to_address: email })).toHaveLength(1);

    const { person } = await aPerson();
    const taken = await director.post(`/api/organizations/${organization.id}/staff`, {
      firstName: 'Some',
      lastName: 'One',
      email: person.user.email.toUpperCase(),
      role: 'teacher',
      hireDate: today(),
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.fields[0].field).toBe('email');
    expect(await db('employments').where({ professional_id: person.professionalId })).toEqual([]);
  });
});

describe('an admin recording a hire', () => {
  it('records it directly and tells the person', async () => {
    const { db } = database;
    const organization = await anOrganization(db);
    const professional = await aProfessional(db);
    const admin = await signIn(app, await aUser(db, ['admin']));
    const hired = await admin.post('/api/employments', {
      professionalId: professional.id,
      organizationId: organization.id,
      role: 'teacher',
      hireDate: today(),
    });
    expect(hired.status, JSON.stringify(hired.body)).toBe(201);
    const mail = await db('outbox').where({ template: 'staff-added', to_address: professional.email });
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe(`You were added to the staff of ${organization.name}`);
  });
});

describe('a former employer', () => {
  it('sees nothing dated after the last day worked, no contact or profile, while the staff report of those days still lists them', async () => {
    const { db } = database;
    const { organization, session: director } = await aDirectorOf();
    const { id } = await aPerson();
    await db('employments').insert({
      professional_id: id,
      organization_id: organization.id,
      role: 'teacher',
      hire_date: '2024-01-10',
      end_date: '2025-06-30',
    });
    const course = await aCourse(db, { clock_hours: 3 });
    const before = await recordTraining(db, {
      professionalId: id,
      courseId: course.id,
      completedOn: '2025-04-01',
      source: 'attendance',
    });
    const after = await recordTraining(db, {
      professionalId: id,
      courseId: course.id,
      completedOn: '2025-09-01',
      source: 'attendance',
    });
    expect(before.record.id).not.toBe(after.record.id);

    for (const url of ['', '/profile', '/deadlines', '/registrations', '/recommendations'].map(
      (s) => `/api/professionals/${id}${s}`,
    ))
      expect((await director.get(url)).status, url).toBe(404);
    const records = await director.get(`/api/professionals/${id}/training-records`).expect(200);
    expect(records.body.trainingRecords.map((r: { completed_on: string }) => r.completed_on)).toEqual(['2025-04-01']);
    const transcript = await director.get(`/api/professionals/${id}/transcript`).expect(200);
    expect(transcript.body.trainingRecords.map((r: { completed_on: string }) => r.completed_on)).toEqual([
      '2025-04-01',
    ]);
    expect(Object.keys(transcript.body.professional).sort()).toEqual(['first_name', 'id', 'last_name', 'mopd_id']);
    const csv = await director.get(`/api/professionals/${id}/transcript?format=csv`).expect(200);
    expect(csv.text).toContain('2025-04-01');
    expect(csv.text).not.toContain('2025-09-01');
    const compliance = await director.get(`/api/professionals/${id}/compliance`).expect(200);
    expect(compliance.body.compliance.asOf).toBe('2025-06-30');
    expect(compliance.body.professional.email).toBeUndefined();
    expect((await director.get(`/api/professionals/${id}/compliance?asOf=2025-05-01`)).body.compliance.asOf).toBe(
      '2025-05-01',
    );
    expect(
      (await director.get('/api/professionals')).body.professionals.map((p: { id: number }) => p.id),
    ).not.toContain(id);

    const during = await director.get(`/api/organizations/${organization.id}/staff-report?asOf=2025-05-01`).expect(200);
    expect(during.body.report.staff.map((s: { professionalId: number }) => s.professionalId)).toContain(id);
    const later = await director.get(`/api/organizations/${organization.id}/staff-report?asOf=2025-08-01`).expect(200);
    expect(later.body.report.staff.map((s: { professionalId: number }) => s.professionalId)).not.toContain(id);

    const event = await createEvent(db, {
      course,
      capacity: 5,
      place: { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
      sessions: [{ startsAt: new Date(Date.now() + 864e6), endsAt: new Date(Date.now() + 865e6), hours: 1 }],
    });
    expect((await director.post(`/api/events/${event.id}/registrations`, { professionalId: id })).status).toBe(403);
  });
});
