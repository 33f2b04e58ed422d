/**
 * Case notices in their recipient's language: a Spanish-speaking applicant's organization claim
 * runs through the real API, workflow, outbox, mail queue and SMTP, and each step reaches the
 * applicant in Spanish while the English-speaking reviewer reads the same case in English.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestMail } from '../support/mail.js';
import { startWorker } from '../support/worker.js';
import { anOrganization } from '../support/fixtures.js';
import { aUser, signIn, testApp, type Session } from '../support/app.js';
import { until } from '../support/polling.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let worker: { stop(): Promise<void> };
let smtp: SmtpCapture;
let mail: Awaited<ReturnType<typeof startTestMail>>;
let app: Express;

beforeAll(async () => {
  database = await createTestDatabase();
  // The reviewer claims the case by hand, so who is told what does not depend on assignment by workload.
  await database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const taskQueue = `case-language-${randomUUID()}`;
  temporal = createTemporalGateway({ address: inject('temporalAddress'), namespace: 'default', taskQueue });
  worker = await startWorker(database.db, taskQueue);
  smtp = await startSmtpCapture();
  mail = await startTestMail(database.db, smtp.smtpUrl);
  app = testApp(database, redis, temporal).app;
});

afterAll(async () => {
  await mail?.close();
  await smtp?.close();
  await worker?.stop();
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

interface OutboxRow {
  subject: string;
  body_text: string;
  body_html: string;
}
const outboxTo = (email: string) =>
  database
    .db('outbox')
    .where({ to_address: email })
    .orderBy('id')
    .select<OutboxRow[]>('subject', 'body_text', 'body_html');

/** A Spanish-speaking professional's organization claim, in review and held by an English-speaking reviewer. */
async function aSpanishClaim(organizationName: string) {
  const { db } = database;
  const organization = await anOrganization(db, { name: organizationName });
  const applicant = await aUser(db, ['professional']);
  const me: Session = await signIn(app, applicant);
  await me.put('/api/me/language', { language: 'es' }).expect(200);
  const reviewerUser = await aUser(db, ['reviewer']);
  const reviewer = await signIn(app, reviewerUser);
  const id = (
    await me
      .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Directora' })
      .expect(201)
  ).body.case.id as number;
  await until(
    async () => (await me.get(`/api/cases/${id}`)).body.case.status as string,
    (s) => s === 'in_review',
  );
  await reviewer.post(`/api/cases/${id}/claim`).expect(200);
  return { id, applicant, me, reviewerUser, reviewer };
}

describe('case notices in the recipient’s language', () => {
  it('writes every step of a Spanish-speaking applicant’s case in Spanish, and the reviewer’s in English', async () => {
    const { id, applicant, me, reviewerUser, reviewer } = await aSpanishClaim('Casa del Sol');

    await reviewer
      .post(`/api/cases/${id}/request-information`, { message: 'Please send the license certificate.' })
      .expect(200);
    await me.post(`/api/cases/${id}/answer`, { message: 'Adjunto el certificado.' }).expect(200);
    await reviewer
      .post(`/api/cases/${id}/decide`, { decision: 'approved', reasons: ['Confirmed with the licensing office.'] })
      .expect(200);

    const toApplicant = await until(
      () => outboxTo(applicant.user.email),
      (rows) => rows.length === 3,
    );
    expect(toApplicant.map((m) => m.subject)).toEqual([
      'Recibimos su reclamo de organización «Casa del Sol»',
      'Se necesita información: Casa del Sol',
      'Aprobado: Casa del Sol',
    ]);
    const [received, asked, approved] = toApplicant.map((m) => m.body_text);
    expect(received).toMatch(/^Estimado\/a .+:\n/);
    // The submission date in words, the Spanish way ("miércoles, 2 de diciembre de 2026"), not as 2026-12-02.
    expect(received).toMatch(
      /Recibimos su reclamo de organización «Casa del Sol» el \p{L}+, \d{1,2} de \p{L}+ de \d{4}\./u,
    );
    expect(received).toContain(
      'Primero se hacen las verificaciones automáticas; después, un/a revisor/a se encarga del caso.',
    );
    expect(received).toContain(`Abrir el caso: `);
    expect(received).toContain('— MOPD, el sistema de Desarrollo Profesional de Missouri');
    // The reviewer's own words go in as written, between the Spanish sentences around them.
    expect(asked).toContain(
      'Para poder decidir sobre su reclamo de organización «Casa del Sol», necesitamos más información:\n\nPlease send the license certificate.\n\nPor favor, responda a más tardar el ',
    );
    expect(asked).toMatch(
      /responda a más tardar el \p{L}+, \d{1,2} de \p{L}+ de \d{4}\. Después de esa fecha, el caso caduca/u,
    );
    expect(approved).toContain(
      'Se aprobó su reclamo de organización «Casa del Sol».\n\nConfirmed with the licensing office.',
    );
    for (const m of toApplicant) {
      expect(m.body_text).not.toMatch(/\{\w+\}|\d{4}-\d{2}-\d{2}|Your |Dear /);
      expect(m.body_html).toContain('<p>— MOPD, el sistema de Desarrollo Profesional de Missouri</p>');
    }

    // The reviewer speaks English: the applicant's answer reaches them in English.
    expect((await outboxTo(reviewerUser.user.email)).map((m) => [m.subject, m.body_text.split('\n\n')[1]])).toEqual([
      [
        'Applicant answered: Casa del Sol',
        'The applicant answered your request for information; the case is back in review.',
      ],
    ]);
    // The in-app notices are in the applicant's language too.
    expect(
      (await me.get('/api/notifications').expect(200)).body.notifications.map((n: { title: string }) => n.title),
    ).toEqual([
      'Aprobado: Casa del Sol',
      'Se necesita información: Casa del Sol',
      'Recibimos su reclamo de organización «Casa del Sol»',
    ]);

    // Through the mail queue to SMTP, as written.
    await mail.relay();
    const delivered = await smtp.waitFor((m) => m.to.includes(applicant.user.email), 3);
    expect(delivered.map((m) => m.subject).sort()).toEqual([
      'Aprobado: Casa del Sol',
      'Recibimos su reclamo de organización «Casa del Sol»',
      'Se necesita información: Casa del Sol',
    ]);
  });

  it('words what the automatic checks ask for in Spanish when nobody but the checks has written', async () => {
    const { db } = database;
    const applicant = await aUser(db, ['professional']);
    const me = await signIn(app, applicant);
    await me.put('/api/me/language', { language: 'es' }).expect(200);
    const submission = {
      title: 'RCP pediátrica',
      provider: 'American Heart Association',
      category: 'out-of-state-registry',
      inRatio: false,
      topic: 'cpr-first-aid',
      completedOn: '2026-03-10',
      hours: 4,
      delivery: 'blended',
      inPersonHours: 2,
      cprModel: 'American Heart Association',
      proof: [],
    };
    const id = (await me.post('/api/cases/training-requests', submission).expect(201)).body.case.id as number;
    await until(
      async () => (await me.get(`/api/cases/${id}`)).body.case.status as string,
      (s) => s === 'information_requested',
    );

    const [, asked] = await until(
      () => outboxTo(applicant.user.email),
      (rows) => rows.length === 2,
    );
    expect(asked!.subject).toBe('Se necesita información: RCP pediátrica');
    expect(asked!.body_text).toContain(
      'Para poder decidir sobre su solicitud de capacitación individual «RCP pediátrica», necesitamos más información:\n\nAdjunte un comprobante de que completó la capacitación (un certificado o un historial académico).\n\n',
    );
    // The case keeps the checks' own record in English, as reviewers read it.
    expect((await me.get(`/api/cases/${id}`)).body.case.checkResults).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          check: 'proof-present',
          passed: false,
          message: 'Attach proof of completion (a certificate or transcript).',
        }),
      ]),
    );
  });

  it('tells a Spanish-speaking applicant in Spanish why the checks refused their case', async () => {
    const { db } = database;
    const organization = await anOrganization(db, { name: 'Arcoíris' });
    const applicant = await aUser(db, ['professional']);
    await db('organization_claims').insert({
      organization_id: organization.id,
      director_user_id: applicant.user.id,
      status: 'approved',
    });
    const me = await signIn(app, applicant);
    await me.put('/api/me/language', { language: 'es' }).expect(200);
    const id = (
      await me
        .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Directora' })
        .expect(201)
    ).body.case.id as number;
    await until(
      async () => (await me.get(`/api/cases/${id}`)).body.case.status as string,
      (s) => s === 'refused',
    );

    const [, refused] = await until(
      () => outboxTo(applicant.user.email),
      (rows) => rows.length === 2,
    );
    expect(refused!.subject).toBe('Rechazado: Arcoíris');
    expect(refused!.body_text).toContain(
      'No se pudo aceptar su reclamo de organización «Arcoíris»:\n\nUsted ya dirige esta organización en MOPD.\n\n',
    );
  });

  it('tells a Spanish-speaking applicant in Spanish that their case was withdrawn, and the reviewer holding it in English', async () => {
    const { id, applicant, me, reviewerUser } = await aSpanishClaim('Pequeños Pasos');
    await me.post(`/api/cases/${id}/withdraw`, { reason: 'Ya no dirijo este centro.' }).expect(200);

    const withdrawn = await until(
      () => outboxTo(applicant.user.email),
      (rows) => rows.length === 2,
    );
    expect(withdrawn[1]!.subject).toBe('Retirado: Pequeños Pasos');
    expect(withdrawn[1]!.body_text).toContain('Se retiró su reclamo de organización «Pequeños Pasos».');
    const toReviewer = await until(
      () => outboxTo(reviewerUser.user.email),
      (rows) => rows.length === 1,
    );
    expect(toReviewer[0]!.subject).toBe('Withdrawn: Pequeños Pasos');
    expect(toReviewer[0]!.body_text).toContain('The applicant withdrew this case.');
  });
});
