/**
 * The professional profile over HTTP: contact, education and career level, the CPR/First Aid card
 * with its renewal workflow, the transcript as PDF, and organizations' facts.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { Client, Connection } from '@temporalio/client';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { recordTraining } from '../../services/training.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, testApp } from '../support/app.js';
import { binary, pdfTextOf } from '../support/pdf.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
let temporalClient: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `profile-${randomUUID()}`,
  });
  app = testApp(database, redis, temporal, { uploadDir: path.join('/tmp', `mopd-profile-${randomUUID()}`) }).app;
  temporalClient = new Client({ connection: await Connection.connect({ address: inject('temporalAddress') }) });
});

afterAll(async () => {
  await temporalClient?.connection.close();
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('the professional profile', () => {
  it('lets a person keep their contact details, education and CPR card, and shows their career level', async () => {
    const { db } = database;
    const person = await aUser(db, ['professional']);
    const id = person.professionalId!;
    const me = await signIn(app, person);
    const course = await aCourse(db, { clock_hours: 20 });
    for (const on of ['2024-03-01', '2024-09-01', '2025-03-01'])
      await recordTraining(db, { professionalId: id, courseId: course.id, completedOn: on, source: 'attendance' });

    // Contact details, with errors that name the field.
    const badZip = await me.patch(`/api/professionals/${id}`, { zip: '6520' });
    expect(badZip.status).toBe(400);
    expect(badZip.body.error.fields).toEqual([expect.objectContaining({ field: 'zip', message: 'must be 5 digits' })]);
    const contact = await me
      .patch(`/api/professionals/${id}`, {
        phone: '(573) 555-0147',
        addressLine: '12 Elm St',
        city: 'Columbia',
        zip: '65201',
        county: 'Boone',
        region: 'Central',
      })
      .expect(200);
    expect(contact.body.professional).toMatchObject({ phone: '(573) 555-0147', city: 'Columbia', region: 'Central' });

    // 60 credited hours and no degree: level 2. A CDA credential lifts it to level 3.
    let profile = (await me.get(`/api/professionals/${id}/profile`).expect(200)).body;
    expect(profile.career.current).toMatchObject({ level: 2, label: 'Level 2 · Developing' });
    expect(profile.career.levels.map((l: { level: number }) => l.level)).toEqual([1, 2, 3, 4, 5, 6]);
    const missingLevel = await me.post(`/api/professionals/${id}/education`, {
      kind: 'degree',
      title: 'Early Childhood Education',
    });
    expect(missingLevel.status).toBe(400);
    expect(missingLevel.body.error.fields).toEqual([
      expect.objectContaining({ field: 'degreeLevel', message: 'is required for a degree' }),
    ]);
    await me
      .post(`/api/professionals/${id}/education`, {
        kind: 'credential',
        title: 'CDA',
        institution: 'Council for Professional Recognition',
        completedOn: '2025-05-01',
      })
      .expect(201);
    profile = (await me.get(`/api/professionals/${id}/profile`).expect(200)).body;
    expect(profile.career.current).toMatchObject({ level: 3, ruleId: 'career.level-3' });
    expect(profile.education).toEqual([expect.objectContaining({ kind: 'credential', title: 'CDA' })]);

    // A CPR card with its scan: the renewal workflow starts with the card.
    const uploaded = await me.agent
      .post('/api/uploads')
      .set('x-csrf-token', me.csrf)
      .field('purpose', 'cpr_card')
      .attach('file', PDF, 'card.pdf')
      .expect(201);
    const wrongDates = await me.post(`/api/professionals/${id}/credentials`, {
      issuer: 'American Red Cross',
      issuedOn: '2025-06-01',
      expiresOn: '2025-05-01',
      uploadId: uploaded.body.upload.id,
    });
    expect(wrongDates.body.error.fields).toEqual([
      expect.objectContaining({ field: 'expiresOn', message: 'must be after the issue date' }),
    ]);
    const added = await me
      .post(`/api/professionals/${id}/credentials`, {
        issuer: 'American Red Cross',
        issuedOn: '2025-06-01',
        expiresOn: '2027-06-01',
        uploadId: uploaded.body.upload.id,
      })
      .expect(201);
    expect(added.body.renewalWorkflowId).toBe(`credential-renewal-${added.body.credential.id}`);
    const described = await temporalClient.workflow.getHandle(added.body.renewalWorkflowId).describe();
    expect(described.type).toBe('credentialRenewal');
    profile = (await me.get(`/api/professionals/${id}/profile`).expect(200)).body;
    expect(profile.credentials).toEqual([
      expect.objectContaining({
        issuer: 'American Red Cross',
        expires_on: '2027-06-01',
        // Unverified until a reviewer has looked at the scan (issue 18).
        standing: expect.objectContaining({ status: 'unverified' }),
      }),
    ]);

    // Someone else's file cannot be attached, nor a file uploaded for another purpose.
    const other = await aUser(db, ['professional']);
    const stranger = await signIn(app, other);
    const theirs = await stranger.agent
      .post('/api/uploads')
      .set('x-csrf-token', stranger.csrf)
      .field('purpose', 'cpr_card')
      .attach('file', PDF, 'their-card.pdf')
      .expect(201);
    const notMine = await me.post(`/api/professionals/${id}/credentials`, {
      issuer: 'American Red Cross',
      issuedOn: '2025-06-01',
      expiresOn: '2027-06-01',
      uploadId: theirs.body.upload.id,
    });
    expect(notMine.status).toBe(400);
    expect(notMine.body.error.fields).toEqual([
      expect.objectContaining({ field: 'uploadId', message: 'must be the id of a file you uploaded' }),
    ]);
    const proof = await me.agent
      .post('/api/uploads')
      .set('x-csrf-token', me.csrf)
      .field('purpose', 'training_proof')
      .attach('file', PDF, 'proof.pdf')
      .expect(201);
    const wrongPurpose = await me.post(`/api/professionals/${id}/credentials`, {
      issuer: 'American Red Cross',
      issuedOn: '2025-06-01',
      expiresOn: '2027-06-01',
      uploadId: proof.body.upload.id,
    });
    expect(wrongPurpose.status).toBe(400);
    expect(wrongPurpose.body.error.fields).toEqual([expect.objectContaining({ field: 'uploadId' })]);

    // Another professional may neither read nor change this profile.
    expect((await stranger.get(`/api/professionals/${id}/profile`)).status).toBe(404);
    expect((await stranger.patch(`/api/professionals/${id}`, { city: 'Elsewhere' })).status).toBe(404);
  });

  it('prints the transcript as a PDF', async () => {
    const { db } = database;
    const person = await aUser(db, ['professional']);
    const course = await aCourse(db, { title: 'Guiding Behavior', clock_hours: 3 });
    await recordTraining(db, {
      professionalId: person.professionalId!,
      courseId: course.id,
      completedOn: '2025-02-01',
      source: 'attendance',
    });
    const me = await signIn(app, person);
    const pdf = await me
      .get(`/api/professionals/${person.professionalId}/transcript?format=pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfTextOf(pdf.body as Buffer);
    expect(text).toContain('Training transcript');
    expect(text).toContain('Guiding Behavior');
    expect(text).toContain('1 training records, 3 credited clock hours');
  });
});

describe('organizations', () => {
  it('lets an admin record program facts and a director change only the address', async () => {
    const { db } = database;
    const admin = await signIn(app, await aUser(db, ['admin']));
    const bothLicensedAndExempt = await admin.post('/api/organizations', {
      name: 'Tiny Steps',
      licensed: true,
      licenseExempt: true,
      licenseNumber: 'MO-LC-1',
      subsidized: false,
      county: 'Cole',
    });
    expect(bothLicensedAndExempt.status).toBe(400);
    expect(bothLicensedAndExempt.body.error.fields).toEqual([expect.objectContaining({ field: 'licenseExempt' })]);
    const created = await admin
      .post('/api/organizations', {
        name: 'Tiny Steps',
        licensed: false,
        licenseExempt: true,
        subsidized: true,
        contractYearStartMonth: 7,
        county: 'Cole',
        region: 'Central',
        addressLine: '4 Main St',
        city: 'Jefferson City',
        zip: '65101',
      })
      .expect(201);
    const orgId = created.body.organization.id;
    expect(created.body.organization).toMatchObject({ license_exempt: true, region: 'Central', zip: '65101' });

    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: orgId,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const dir = await signIn(app, director);
    expect(
      (await dir.patch(`/api/organizations/${orgId}`, { addressLine: '6 Main St' }).expect(200)).body.organization
        .address_line,
    ).toBe('6 Main St');
    const programChange = await dir.patch(`/api/organizations/${orgId}`, { subsidized: false });
    expect(programChange.status).toBe(403);

    // A program change recomputes its staff's compliance: once subsidized no more, nothing is required.
    const teacher = await aProfessional(db);
    await anEmployment(db, teacher, (await db('organizations').where({ id: orgId }).first())!, '2024-01-08');
    await admin.patch(`/api/organizations/${orgId}`, { subsidized: false, contractYearStartMonth: null }).expect(200);
    const stored = await db('compliance_results').where({ professional_id: teacher.id }).first();
    expect(stored.result.requirements).toEqual([]);
    const org = await anOrganization(db);
    expect((await dir.patch(`/api/organizations/${org.id}`, { city: 'Nowhere' })).status).toBe(404);
  });
});
