/**
 * Micro-credentials through the HTTP API and the real `microCredential` workflow on the Temporal
 * dev server: evidence checked against the credential's data (400 naming the field), an assessor's
 * request for more, the answer, the award with its public verification link (no private data),
 * the decline, the evidence hidden from everyone but the holder, reviewers and admins, the
 * transcript in every format, and revocation.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { Client, Connection } from '@temporalio/client';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { startWorker } from '../support/worker.js';
import { createRedis } from '../../bin/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, signIn, testApp, visitor, type Session, type TestUser } from '../support/app.js';
import { CURRENT_MICRO_CREDENTIALS } from '../../rules/microCredentials.js';
import { keepHistory } from '../support/histories.js';
import { until } from '../support/polling.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
let worker: { stop(): Promise<void> };
let connection: Connection;
let client: Client;
const taskQueue = `micro-credentials-${randomUUID()}`;

beforeAll(async () => {
  database = await createTestDatabase();
  await database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({ address: inject('temporalAddress'), namespace: 'default', taskQueue });
  worker = await startWorker(database.db, taskQueue);
  app = testApp(database, redis, temporal, {
    uploadDir: path.join('/tmp', `mopd-micro-credentials-${randomUUID()}`),
  }).app;
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
});

afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

/** Waits for the case's workflow to finish; with RECORD_HISTORIES=1 keeps its history for the replay test. */
async function finished(caseId: number, name: string): Promise<void> {
  const { workflow_id: workflowId } = (await database.db('cases').where({ id: caseId }).first('workflow_id'))!;
  const handle = client.workflow.getHandle(workflowId);
  expect((await handle.result()).status).toMatch(/^(approved|denied)$/);
  await keepHistory(handle, name);
}

/** The case's row and its workflow have both reached the status (the row is written a moment before the workflow's state). */
async function reaches(who: Session, id: number, status: string): Promise<void> {
  await until(
    async () => (await who.get(`/api/cases/${id}`)).body.case?.status as string,
    (s) => s === status,
  );
  await until(
    async () =>
      (await database.db('case_events').where({ case_id: id }).orderBy('id', 'desc').first('kind'))?.kind as string,
    (k) => k !== 'submitted',
  );
}

async function uploadPdf(who: Session, name: string): Promise<string> {
  const pdf = Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF`);
  const uploaded = await who.agent
    .post('/api/uploads')
    .set('x-csrf-token', who.csrf)
    .field('purpose', 'document')
    .attach('file', pdf, name);
  expect(uploaded.status).toBe(201);
  return uploaded.body.upload.id as string;
}

const reflection = (length: number) =>
  'I put every infant down on their back in an empty crib and check on them every fifteen minutes. '
    .repeat(Math.ceil(length / 96))
    .slice(0, length);
const safeSleep = CURRENT_MICRO_CREDENTIALS.credentials.find((c) => c.id === 'safe-sleep-practice')!;

describe('micro-credentials', () => {
  let holder: TestUser;
  let me: Session;
  let assessorUser: TestUser;
  let assessor: Session;

  beforeAll(async () => {
    holder = await aUser(database.db, ['professional']);
    await database
      .db('professionals')
      .where({ id: holder.professionalId })
      .update({ first_name: 'Rosa', last_name: 'Delgado' });
    me = await signIn(app, holder);
    assessorUser = await aUser(database.db, ['reviewer']);
    assessor = await signIn(app, assessorUser);
  });

  it('lists the credentials on offer, each with its area and the evidence it asks for', async () => {
    const catalog = (await me.get('/api/micro-credentials').expect(200)).body;
    expect(catalog.version).toBe('micro-credentials.v1');
    expect(catalog.credentials.length).toBeGreaterThanOrEqual(5);
    expect(catalog.credentials.find((c: { id: string }) => c.id === 'safe-sleep-practice')).toMatchObject({
      area: 'infant-safe-sleep',
      areaLabel: 'Infant safe sleep',
      validForYears: 3,
      evidence: { documents: { min: 1 }, reflection: { minCharacters: 400 } },
    });
  });

  it('lists the credentials in the person’s language: Spanish for a Spanish speaker, the same ids and rules', async () => {
    const spanish = await signIn(app, await aUser(database.db, ['professional']));
    await spanish.put('/api/me/language', { language: 'es' }).expect(200);
    const catalog = (await spanish.get('/api/micro-credentials').expect(200)).body;
    expect(catalog.title).toBe('Microcredenciales basadas en competencias');
    expect(catalog).not.toHaveProperty('translations');
    const offered = catalog.credentials.find((c: { id: string }) => c.id === 'safe-sleep-practice');
    expect(offered).toMatchObject({
      title: 'El sueño seguro en la práctica diaria',
      areaLabel: 'Sueño seguro infantil',
      validForYears: 3,
      evidence: { documents: { min: 1, max: 5 }, reflection: { minCharacters: 400 } },
    });
    expect(offered.evidence.reflection.prompt).toMatch(/^Describa cómo acuesta a dormir a los bebés/);

    const english = (await me.get('/api/micro-credentials').expect(200)).body;
    expect(english.credentials.find((c: { id: string }) => c.id === 'safe-sleep-practice')).toMatchObject({
      title: 'Safe sleep in daily practice',
      areaLabel: 'Infant safe sleep',
    });
  });

  it('refuses a submission without the evidence the credential asks for, naming each field', async () => {
    const none = await me.post('/api/cases/micro-credentials', {
      credentialId: 'safe-sleep-practice',
      reflection: 'Too short.',
      documents: [],
    });
    expect(none.status).toBe(400);
    const fields = none.body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['documents', 'reflection']));
    expect(none.body.error.fields.find((f: { field: string }) => f.field === 'reflection').message).toMatch(
      /at least 400 characters \(it has 10\)/,
    );

    const unknown = await me.post('/api/cases/micro-credentials', {
      credentialId: 'no-such-credential',
      reflection: reflection(500),
      documents: [],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([
      { field: 'credentialId', message: 'is not a micro-credential MOPD offers' },
    ]);

    // Another person's upload is not evidence of yours.
    const stranger = await signIn(app, await aUser(database.db, ['professional']));
    const theirs = await uploadPdf(stranger, 'theirs.pdf');
    const borrowed = await me.post('/api/cases/micro-credentials', {
      credentialId: 'safe-sleep-practice',
      reflection: reflection(500),
      documents: [{ uploadId: theirs }],
    });
    expect(borrowed.status).toBe(400);
    expect(borrowed.body.error.fields[0].field).toBe('documents');
    expect(
      await database
        .db('cases')
        .where({ type: 'micro_credential', applicant_user_id: holder.user.id })
        .count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 0 }]);
  });

  it('runs from evidence through a request for more to an award anyone can verify by its link, and nothing private shows', async () => {
    const { db } = database;
    const sleepArea = await uploadPdf(me, 'sleep-area.pdf');
    const submitted = await me
      .post('/api/cases/micro-credentials', {
        credentialId: 'safe-sleep-practice',
        reflection: reflection(safeSleep.evidence.reflection.minCharacters + 20),
        documents: [{ uploadId: sleepArea, label: 'Sleep area photo' }],
      })
      .expect(201);
    const id = submitted.body.case.id as number;
    expect(submitted.body.case).toMatchObject({ type: 'micro_credential', title: 'Safe sleep in daily practice' });
    // One open submission per credential.
    const again = await me.post('/api/cases/micro-credentials', {
      credentialId: 'safe-sleep-practice',
      reflection: reflection(500),
      documents: [{ uploadId: sleepArea }],
    });
    expect(again.status).toBe(409);

    // The assessor finds it in the review queue and claims it.
    const queue = await until(
      async () =>
        (await assessor.get('/api/cases?type=micro_credential&assignee=unassigned').expect(200)).body.cases as Array<{
          id: number;
          status: string;
        }>,
      (cases) => cases.some((c) => c.id === id && c.status === 'in_review'),
    );
    expect(queue.find((c) => c.id === id)).toBeDefined();
    await reaches(assessor, id, 'in_review');
    await assessor.post(`/api/cases/${id}/claim`).expect(200);

    // The case page shows the assessor the evidence: the reflection and the document, which they can open.
    const page = (await assessor.get(`/api/cases/${id}`).expect(200)).body;
    expect(page.case.submission).toMatchObject({
      credentialId: 'safe-sleep-practice',
      catalogVersion: 'micro-credentials.v1',
    });
    expect(page.case.submission.reflection).toMatch(/^I put every infant down/);
    expect(page.documents).toEqual([
      expect.objectContaining({ upload_id: sleepArea, label: 'Sleep area photo', original_name: 'sleep-area.pdf' }),
    ]);
    expect(page.case.checkResults.map((c: { check: string; passed: boolean }) => [c.check, c.passed])).toEqual([
      ['evidence-documents', true],
      ['evidence-reflection', true],
      ['not-already-held', true],
    ]);
    expect((await assessor.get(`/api/uploads/${sleepArea}`)).status).toBe(200);

    // Nobody else reads the evidence: not another professional, not a director.
    for (const roles of [['professional'], ['director'], ['trainer']] as const) {
      const other = await signIn(app, await aUser(db, [...roles]));
      expect((await other.get(`/api/cases/${id}`)).status, roles.join()).toBe(404);
      expect((await other.get(`/api/uploads/${sleepArea}`)).status, roles.join()).toBe(404);
    }

    // More evidence, please; the holder answers with the sleep log.
    await assessor
      .post(`/api/cases/${id}/request-information`, {
        message: 'Please add your room’s sleep log with your checks marked.',
      })
      .expect(200);
    expect((await me.get(`/api/cases/${id}`).expect(200)).body.askedOfYou).toBe(
      'Please add your room’s sleep log with your checks marked.',
    );
    const sleepLog = await uploadPdf(me, 'sleep-log.pdf');
    expect(
      (
        await me
          .post(`/api/cases/${id}/answer`, { message: 'Attached, with my checks highlighted.', uploadIds: [sleepLog] })
          .expect(200)
      ).body.case.status,
    ).toBe('in_review');
    await reaches(assessor, id, 'in_review');
    expect((await assessor.get(`/api/uploads/${sleepLog}`)).status).toBe(200);

    // Awarded.
    const awarded = await assessor
      .post(`/api/cases/${id}/decide`, {
        decision: 'approved',
        reasons: ['Clear, consistent practice and a kind explanation to families.'],
      })
      .expect(200);
    expect(awarded.body.case.status).toBe('approved');
    const [award] = (await me.get(`/api/professionals/${holder.professionalId}/credentials`).expect(200)).body
      .credentials;
    expect(award).toMatchObject({
      caseId: id,
      credentialId: 'safe-sleep-practice',
      title: 'Safe sleep in daily practice',
      area: 'infant-safe-sleep',
      status: 'valid',
    });
    expect(award.verificationCode).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(award.verificationUrl).toBe(`http://mopd.test/verify/${award.verificationCode}`);
    expect(Number(award.expiresOn.slice(0, 4)) - Number(award.awardedOn.slice(0, 4))).toBe(3);
    await finished(id, 'microCredential-awarded-after-information');

    // The timeline, the notice and the email tell the holder, with the link.
    const timeline = (await me.get(`/api/cases/${id}`).expect(200)).body.timeline.map((e: { kind: string }) => e.kind);
    expect(timeline).toEqual([
      'submitted',
      'checked',
      'review_started',
      'claimed',
      'information_requested',
      'information_given',
      'review_started',
      'approved',
    ]);
    const notices = (await me.get('/api/notifications').expect(200)).body.notifications;
    expect(notices[0].title).toBe('Approved: Safe sleep in daily practice');
    expect(notices[0].body).toContain(award.verificationUrl);
    const emails = await db('outbox')
      .where({ to_address: holder.user.email })
      .orderBy('id')
      .select('subject', 'body_text');
    expect(emails.map((e: { subject: string }) => e.subject)).toEqual(
      expect.arrayContaining([
        'Information needed: Safe sleep in daily practice',
        'Approved: Safe sleep in daily practice',
      ]),
    );
    expect(
      emails.find((e: { subject: string }) => e.subject === 'Approved: Safe sleep in daily practice')!.body_text,
    ).toContain(award.verificationUrl);

    // Anyone with the link, signed in or not, reads the holder's name, the credential and its standing; nothing private.
    const anyone = await visitor(app);
    const verified = await anyone.get(`/api/credentials/verify/${award.verificationCode}`).expect(200);
    expect(verified.headers['cache-control']).toBe('no-store');
    expect(verified.body.verification).toEqual({
      holder: 'Rosa Delgado',
      credential: {
        id: 'safe-sleep-practice',
        title: 'Safe sleep in daily practice',
        area: 'infant-safe-sleep',
        areaLabel: 'Infant safe sleep',
        competency: safeSleep.competency,
      },
      awardedOn: award.awardedOn,
      expiresOn: award.expiresOn,
      status: 'valid',
      revokedOn: null,
    });
    const text = JSON.stringify(verified.body);
    const mopdId = (await db('professionals').where({ id: holder.professionalId }).first('mopd_id')).mopd_id as string;
    for (const secret of [
      holder.user.email,
      mopdId,
      sleepArea,
      sleepLog,
      'I put every infant',
      'caseId',
      'sleep-area.pdf',
    ])
      expect(text).not.toContain(secret);
    // A code nobody was given finds nothing; a malformed one is refused before any lookup.
    expect((await anyone.get(`/api/credentials/verify/${'A'.repeat(24)}`)).status).toBe(404);
    expect((await anyone.get('/api/credentials/verify/short')).status).toBe(400);

    // Holding it, the same credential cannot be submitted again.
    const held = await me.post('/api/cases/micro-credentials', {
      credentialId: 'safe-sleep-practice',
      reflection: reflection(500),
      documents: [{ uploadId: sleepArea }],
    });
    expect(held.status).toBe(409);
    expect(held.body.error.message).toBe('You already hold “Safe sleep in daily practice”');

    // The transcript lists it in every format, with the link.
    const transcript = (await me.get(`/api/professionals/${holder.professionalId}/transcript`).expect(200)).body;
    expect(transcript.credentials).toEqual([
      expect.objectContaining({
        title: 'Safe sleep in daily practice',
        status: 'valid',
        verificationUrl: award.verificationUrl,
      }),
    ]);
    const csv = await me.get(`/api/professionals/${holder.professionalId}/transcript?format=csv`).expect(200);
    expect(csv.text).toContain('Micro-credential');
    expect(csv.text).toContain(
      `${award.awardedOn},Safe sleep in daily practice,Infant safe sleep,Valid,${award.expiresOn},${award.verificationUrl}`,
    );
    const pdf = await me
      .get(`/api/professionals/${holder.professionalId}/transcript?format=pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    // An admin revokes it: the public page says so, and the holder is told.
    const admin = await signIn(app, await aUser(db, ['admin']));
    expect((await admin.post(`/api/credentials/${award.id}/revoke`, { reason: '' })).status).toBe(400);
    expect(
      (await assessor.post(`/api/credentials/${award.id}/revoke`, { reason: 'Evidence was not the holder’s own.' }))
        .status,
    ).toBe(403);
    await admin
      .post(`/api/credentials/${award.id}/revoke`, { reason: 'Evidence was not the holder’s own.' })
      .expect(200);
    expect((await admin.post(`/api/credentials/${award.id}/revoke`, { reason: 'Twice.' })).status).toBe(409);
    const revoked = (await anyone.get(`/api/credentials/verify/${award.verificationCode}`).expect(200)).body
      .verification;
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await me.get('/api/notifications').expect(200)).body.notifications[0].title).toBe(
      'Micro-credential revoked: Safe sleep in daily practice',
    );
  });

  it('declines with the reason, and awards nothing', async () => {
    const { db } = database;
    const first = await uploadPdf(me, 'notes-1.pdf');
    const second = await uploadPdf(me, 'notes-2.pdf');
    const id = (
      await me
        .post('/api/cases/micro-credentials', {
          credentialId: 'observation-to-planning',
          reflection: reflection(600),
          documents: [{ uploadId: first }, { uploadId: second }],
        })
        .expect(201)
    ).body.case.id as number;
    await reaches(me, id, 'in_review');
    await assessor.post(`/api/cases/${id}/claim`).expect(200);
    const bare = await assessor.post(`/api/cases/${id}/decide`, { decision: 'denied', reasons: [] });
    expect(bare.status).toBe(400);
    await assessor
      .post(`/api/cases/${id}/decide`, {
        decision: 'denied',
        reasons: ['The plan does not follow from the observations; try again with notes that show what you saw.'],
      })
      .expect(200);
    const page = (await me.get(`/api/cases/${id}`).expect(200)).body;
    expect(page.case).toMatchObject({
      status: 'denied',
      decisionReasons: ['The plan does not follow from the observations; try again with notes that show what you saw.'],
    });
    expect(await db('awarded_credentials').where({ case_id: id }).first()).toBeUndefined();
    await finished(id, 'microCredential-declined');
    expect(
      (await me.get(`/api/professionals/${holder.professionalId}/credentials`).expect(200)).body.credentials.map(
        (c: { credentialId: string }) => c.credentialId,
      ),
    ).not.toContain('observation-to-planning');
    const email = (await db('outbox')
      .where({ to_address: holder.user.email, subject: 'Not approved: From observation to planning' })
      .first('body_text'))!;
    expect(email.body_text).toContain('The plan does not follow from the observations');
  });

  it('shows a person’s credentials to those who see their record, and not to others', async () => {
    const stranger = await signIn(app, await aUser(database.db, ['professional']));
    expect((await stranger.get(`/api/professionals/${holder.professionalId}/credentials`)).status).toBe(404);
    expect((await assessor.get(`/api/professionals/${holder.professionalId}/credentials`)).status).toBe(200);
  });
});
