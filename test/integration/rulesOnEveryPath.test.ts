/**
 * The rules on every path (issue 18), through the API: a rejected CPR card's email, the notice of a
 * status turned by a legacy import's re-decision, hire-date deadlines read from the program
 * settings in effect on the hire date, analytics and simulations by the registry's program type,
 * and drafts naming codes the registry does not have.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { Db } from '../../db/connection.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { startTestMail } from '../support/mail.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { anEmployment, anOrganization } from '../support/fixtures.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let http: HttpApp;
let app: Express;
let db: Db;
let smtp: SmtpCapture;
let mail: Awaited<ReturnType<typeof startTestMail>>;
let reviewer: Session;

beforeAll(async () => {
  http = await startHttpApp('rules-on-every-path');
  ({ app } = http);
  db = http.database.db;
  smtp = await startSmtpCapture();
  mail = await startTestMail(db, smtp.smtpUrl);
  reviewer = await signIn(app, await aUser(db, ['reviewer']));
});
afterAll(async () => {
  await mail?.close();
  await smtp?.close();
  await http?.close();
});

async function uploadCard(me: Session): Promise<string> {
  const uploaded = await me.agent
    .post('/api/uploads')
    .set('x-csrf-token', me.csrf)
    .field('purpose', 'cpr_card')
    .attach('file', PDF, 'cpr_card.pdf')
    .expect(201);
  return uploaded.body.upload.id as string;
}

describe('a CPR card a reviewer rejects', () => {
  it.each([
    ['en', 'was not accepted', 'Reason: The scan is blurred', 'Upload the card again'],
    ['es', 'no fue aceptada', 'Motivo: The scan is blurred', 'Subir la tarjeta de nuevo'],
  ] as const)(
    'emails its holder in %s with the reason and the link to upload it again',
    async (language, subject, reason, link) => {
      const holder = await aUser(db, ['professional']);
      await db('users').where({ id: holder.user.id }).update({ language });
      // As signing up leaves it: the person's address is their account's, whose language it is written in.
      await db('professionals').where({ id: holder.professionalId }).update({ email: holder.user.email });
      const professional = await db('professionals').where({ id: holder.professionalId }).first();
      await anEmployment(db, professional, await anOrganization(db), '2025-01-06');
      const me = await signIn(app, holder);
      const card = (
        await me
          .post(`/api/professionals/${holder.professionalId}/credentials`, {
            issuer: 'American Red Cross',
            issuedOn: '2025-06-01',
            expiresOn: '2027-06-01',
            uploadId: await uploadCard(me),
          })
          .expect(201)
      ).body.credential as { id: number };

      const decided = await reviewer
        .post(`/api/cpr-cards/${card.id}/verification`, { decision: 'rejected', note: 'The scan is blurred' })
        .expect(200);
      expect(decided.body.credential).toMatchObject({ verification: 'rejected' });
      // Written with the decision: in the outbox as soon as the answer is back.
      const rows = await db('outbox').where({ to_address: professional.email, template: 'cpr-card-rejected' });
      expect(rows).toHaveLength(1);

      await mail.relay();
      const [message] = await smtp.waitFor((m) => m.to.includes(professional.email) && m.subject.includes(subject));
      expect(message!.text).toContain(reason);
      expect(message!.text).toContain(`${link}: `);
      expect(message!.text).toContain(`/professionals/${holder.professionalId}/profile`);
      // A card already decided is not decided again, and no second email is written.
      await reviewer
        .post(`/api/cpr-cards/${card.id}/verification`, { decision: 'rejected', note: 'again' })
        .expect(409);
      expect(await db('outbox').where({ to_address: professional.email, template: 'cpr-card-rejected' })).toHaveLength(
        1,
      );
    },
  );

  it('sends nothing when the card is verified', async () => {
    const holder = await aUser(db, ['professional']);
    const professional = await db('professionals').where({ id: holder.professionalId }).first();
    const me = await signIn(app, holder);
    const card = (
      await me
        .post(`/api/professionals/${holder.professionalId}/credentials`, {
          issuer: 'American Red Cross',
          issuedOn: '2025-06-01',
          expiresOn: '2027-06-01',
          uploadId: await uploadCard(me),
        })
        .expect(201)
    ).body.credential as { id: number };
    await reviewer.post(`/api/cpr-cards/${card.id}/verification`, { decision: 'verified' }).expect(200);
    expect(await db('outbox').where({ to_address: professional.email, template: 'cpr-card-rejected' })).toHaveLength(0);
  });
});
