/** The staff training report over HTTP: what a director and an inspector read, on screen and as CSV. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { recordTraining } from '../../services/training.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';
import { binary, pdfTextOf } from '../support/pdf.js';
import { addCredential } from '../../db/profile.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('report');
  ({ database, app } = http);
});

afterAll(async () => {
  await http?.close();
});

describe('the staff training report', () => {
  it('shows a director each person’s hours this period and deficits carried, as of a chosen date, on screen and as CSV', async () => {
    const { db } = database;
    const center = await anOrganization(db, { name: 'Maple Street Center', licensed: true, serves_infants: false });
    const elsewhere = await anOrganization(db, { name: 'Somewhere Else' });
    const steady = await aProfessional(db, { firstName: 'Sam', lastName: 'Steady' });
    const short = await aProfessional(db, { firstName: 'Shay', lastName: 'Short' });
    const gone = await aProfessional(db, { firstName: 'Gale', lastName: 'Gone' });
    const outsider = await aProfessional(db, { firstName: 'Otto', lastName: 'Outside' });
    await anEmployment(db, steady, center, '2024-01-10');
    await anEmployment(db, short, center, '2024-01-10');
    await db('employments').insert({
      professional_id: gone.id,
      organization_id: center.id,
      role: 'teacher',
      hire_date: '2024-01-10',
      end_date: '2024-12-31',
    });
    await anEmployment(db, outsider, elsewhere, '2024-01-10');
    const twelve = await aCourse(db, { clock_hours: 12 });
    const five = await aCourse(db, { clock_hours: 5 });
    for (const on of ['2024-04-01', '2025-04-01'])
      await recordTraining(db, {
        professionalId: steady.id,
        courseId: twelve.id,
        completedOn: on,
        source: 'attendance',
      });
    await recordTraining(db, {
      professionalId: short.id,
      courseId: five.id,
      completedOn: '2024-04-01',
      source: 'attendance',
    });
    await recordTraining(db, {
      professionalId: short.id,
      courseId: five.id,
      completedOn: '2025-06-01',
      source: 'attendance',
    });
    // Sam's card runs out on 2025-09-15 (expiring by 2025-08-01, 60 days' notice); Shay's ran out in May.
    await addCredential(db, steady.id, {
      kind: 'cpr_first_aid_card',
      issuer: 'American Red Cross',
      issuedOn: '2023-09-15',
      expiresOn: '2025-09-15',
    });
    await addCredential(db, short.id, {
      kind: 'cpr_first_aid_card',
      issuer: 'American Heart Association',
      issuedOn: '2023-05-20',
      expiresOn: '2025-05-20',
    });
    // A reviewer verified both cards from their scans (issue 18); an unverified card says so instead.
    const reviewer = await aUser(db, ['reviewer']);
    await db('credentials')
      .whereIn('professional_id', [steady.id, short.id])
      .update({ verification: 'verified', verified_by_user_id: reviewer.user.id, verified_at: new Date() });

    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: center.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const me = await signIn(app, director);
    expect(
      (await me.get('/api/reports/organizations')).body.organizations.map((o: { name: string }) => o.name),
    ).toEqual(['Maple Street Center']);
    const response = await me.get(`/api/organizations/${center.id}/staff-report?asOf=2025-08-01`).expect(200);
    const { report } = response.body;
    expect(report.staff.map((s: { name: string }) => s.name)).toEqual(['Shay Short', 'Sam Steady']);
    const shay = report.staff[0];
    expect(shay).toMatchObject({
      compliant: false,
      requirements: [{ period: '2025', required: 12, applied: 0, status: 'in_progress', deficitsCarried: 2 }],
    });
    expect(report.staff[1]).toMatchObject({
      compliant: true,
      requirements: [{ period: '2025', applied: 12, deficitsCarried: 0 }],
    });
    expect(shay.cprCard).toEqual({ status: 'expired', issuer: 'American Heart Association', expiresOn: '2025-05-20' });
    expect(report.staff[1].cprCard).toEqual({
      status: 'expiring',
      issuer: 'American Red Cross',
      expiresOn: '2025-09-15',
    });

    const csv = await me.get(`/api/organizations/${center.id}/staff-report?asOf=2025-08-01&format=csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`staff-report-${center.id}-2025-08-01.csv`);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'MOPD ID,Name,Role,Hire date,Compliant,Requirement,Period,Required hours,Applied hours,Period status,Deficit hours carried,Deadlines,Cleared for sole supervision,CPR/First Aid card,Card expires',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(
      'Shay Short,Teacher,2024-01-10,no,Licensing: 12 clock hours each calendar year,2025,12,0,In progress,2',
    );
    expect(lines[1]).toMatch(/,Expired,2025-05-20$/);

    const pdf = await me
      .get(`/api/organizations/${center.id}/staff-report?asOf=2025-08-01&format=pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(`staff-report-${center.id}-2025-08-01.pdf`);
    const pdfText = await pdfTextOf(pdf.body as Buffer);
    expect(pdfText).toContain('Staff training report: Maple Street Center');
    expect(pdfText).toContain('Shay Short');
    expect(pdfText).toContain('expires 2025-05-20');

    // Read in Spanish by a director who reads Spanish: headings, statuses and sentences in Spanish;
    // the requirement's label as the rule set says it.
    await db('users').where({ id: director.user.id }).update({ language: 'es' });
    const spanishPdf = await (
      await signIn(app, director)
    )
      .get(`/api/organizations/${center.id}/staff-report?asOf=2025-08-01&format=pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const spanishText = await pdfTextOf(spanishPdf.body as Buffer);
    expect(spanishText).toContain('Informe de capacitación del personal: Maple Street Center');
    expect(spanishText).toContain('Condado de Boone');
    expect(spanishText).toContain('Nombre / MOPD ID');
    expect(spanishText).toContain('Vencida');
    expect(spanishText).toContain('vence el 2025-05-20');
    expect(spanishText).toContain('En curso');
    expect(spanishText).toContain('página 1 de 1');
    expect(spanishText).not.toContain('Staff training report');
    expect(spanishText).not.toContain('expires');
    await db('users').where({ id: director.user.id }).update({ language: 'en' });

    // The same organization, frozen at an earlier date: Gale was still there, and 2024 was in progress.
    const inspector = await aUser(db, ['inspector']);
    await db('inspector_assignments').insert({ user_id: inspector.user.id, organization_id: center.id });
    const early = (
      await (
        await signIn(app, inspector)
      )
        .get(`/api/organizations/${center.id}/staff-report?asOf=2024-06-30`)
        .expect(200)
    ).body.report;
    expect(early.staff.map((s: { name: string }) => s.name)).toEqual(['Gale Gone', 'Shay Short', 'Sam Steady']);
    expect(early.staff[1].requirements[0]).toMatchObject({
      period: '2024',
      applied: 5,
      status: 'in_progress',
      deficitsCarried: 0,
    });
    // On 2024-06-30 Shay's card was valid: the report is frozen at its date.
    expect(early.staff[1].cprCard).toMatchObject({ status: 'verified', expiresOn: '2025-05-20' });
    expect(early.staff[0].cprCard).toEqual({ status: 'none', issuer: null, expiresOn: null });

    expect((await me.get(`/api/organizations/${elsewhere.id}/staff-report`)).status).toBe(404);
  });
});
