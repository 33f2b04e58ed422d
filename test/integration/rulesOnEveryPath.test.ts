/**
 * The rules on every path (issue 18), through the API: a rejected CPR card's email, the notice of a
 * status turned by a legacy import's re-decision, hire-date deadlines read from the program
 * settings in effect on the hire date, analytics and simulations by the registry's program type,
 * and drafts naming codes the registry does not have.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Db } from '../../db/connection.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { startTestMail } from '../support/mail.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { aCourse, anEmployment, anOrganization, aProfessional } from '../support/fixtures.js';
import { addDays, dateOf, localDateOf, monthOf, yearOf } from '../../rules/dates.js';
import { startWorker } from '../support/worker.js';
import { until } from '../support/polling.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let http: HttpApp;
let app: Express;
let db: Db;
let smtp: SmtpCapture;
let mail: Awaited<ReturnType<typeof startTestMail>>;
let reviewer: Session;
let admin: Session;
/** Imports apply in their workflow on the worker. */
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  http = await startHttpApp('rules-on-every-path');
  ({ app } = http);
  db = http.database.db;
  smtp = await startSmtpCapture();
  mail = await startTestMail(db, smtp.smtpUrl);
  reviewer = await signIn(app, await aUser(db, ['reviewer']));
  admin = await signIn(app, await aUser(db, ['admin']));
  worker = await startWorker(db, http.taskQueue);
});
afterAll(async () => {
  await worker?.stop();
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

/** A person with an account whose address is theirs (so they are told in the app and by email), hired in 2025. */
async function aPersonHiredIn2025(organization?: Awaited<ReturnType<typeof anOrganization>>) {
  const account = await aUser(db, ['professional']);
  await db('professionals').where({ id: account.professionalId }).update({ email: account.user.email });
  const professional = await db('professionals').where({ id: account.professionalId }).first();
  await anEmployment(
    db,
    professional,
    organization ?? (await anOrganization(db, { serves_infants: false })),
    '2025-01-06',
  );
  return {
    id: account.professionalId!,
    email: account.user.email,
    userId: account.user.id,
    mopdId: professional.mopd_id,
  };
}

async function importTraining(system: string, rows: string[]) {
  const content = [
    'legacy_id,person_legacy_id,mopd_id,course_legacy_id,course_title,course_sponsor,course_topic,completed_on,hours',
    ...rows,
  ].join('\n');
  const uploaded = await admin.agent
    .post('/api/admin/imports')
    .set('x-csrf-token', admin.csrf)
    .field('system', system)
    .attach('files', Buffer.from(content), 'training.csv')
    .expect(201);
  const id = uploaded.body.batch.id as number;
  await admin.post(`/api/admin/imports/${id}/apply`).expect(202);
  return until(
    async () => (await admin.get(`/api/admin/imports/${id}`).expect(200)).body.batch,
    (batch) => batch.status !== 'applying',
  );
}

describe('a legacy import that decides credit again', () => {
  it('tells the person whose status it turned, in the app and by email', async () => {
    const dese = await aCourse(db, {
      title: `DESE Health and Safety ${Date.now()}`,
      sponsor: 'DESE OOC',
      delivery: 'online',
      clock_hours: 2,
    });
    const ten = await aCourse(db, { title: 'Ten Hours', sponsor: 'Child Care Aware', clock_hours: 10 });
    const person = await aPersonHiredIn2025();
    const bystander = await aPersonHiredIn2025();
    for (const who of [person, bystander]) {
      await admin
        .post('/api/training-records', {
          professionalId: who.id,
          courseId: dese.id,
          completedOn: '2025-09-01',
          source: 'online_course',
        })
        .expect(201);
      await admin
        .post('/api/training-records', {
          professionalId: who.id,
          courseId: ten.id,
          completedOn: '2025-04-01',
          source: 'attendance',
        })
        .expect(201);
    }
    // Twelve hours in 2025: both meet the year.
    expect((await db('compliance_results').where({ professional_id: person.id }).first()).compliant).toBe(true);

    // An older, partial completion of the same course that year: it takes the year's one credit
    // (1 hour) and the September one earns nothing now, so the person is an hour short. The
    // bystander's import is a later completion: nothing of theirs is decided again.
    const batch = await importTraining('old-lms', [
      `T-1,,${person.mopdId},,${dese.title},DESE OOC,${dese.topic},2025-03-01,1`,
      `T-2,,${bystander.mopdId},,${dese.title},DESE OOC,${dese.topic},2025-10-01,2`,
    ]);
    expect(batch.status).toBe('applied');
    const credited = await db('training_records')
      .where({ professional_id: person.id, course_id: dese.id })
      .orderBy('completed_on')
      .select('completed_on', 'credited_hours');
    expect(credited.map((r) => [r.completed_on, Number(r.credited_hours)])).toEqual([
      ['2025-03-01', 1],
      ['2025-09-01', 0],
    ]);
    expect((await db('compliance_results').where({ professional_id: person.id }).first()).compliant).toBe(false);

    const notes = await db('notifications').where({ user_id: person.userId });
    expect(notes.map((n) => n.title)).toEqual(['The clock hours of your training changed']);
    const rows = await db('outbox').where({ to_address: person.email, template: 'training-record-notice' });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body_text).toContain('completions of this course from old-lms were imported');
    expect(rows[0]!.body_text).toContain('no longer meet every training requirement');
    await mail.relay();
    const [message] = await smtp.waitFor((m) => m.to.includes(person.email));
    expect(message!.subject).toBe('The clock hours of your training changed');
    expect(await db('outbox').where({ to_address: bystander.email, template: 'training-record-notice' })).toEqual([]);
  });
});

describe('a draft naming codes the registry does not have', () => {
  it('is refused, naming the rule and the value, until an admin adds them', async () => {
    const policy = await signIn(app, await aUser(db, ['policy_staff']));
    const { version } = (
      await policy
        .post('/api/rule-sets/mopd-compliance/drafts', {
          fromVersion: 1,
          changeNote: 'Home visitors at afterschool programs',
        })
        .expect(201)
    ).body;
    const { document } = (await policy.get(`/api/rule-sets/mopd-compliance/versions/${version}`).expect(200)).body;
    type Leaf = { fact: string; path: string; operator: string; value: unknown };
    const rule = document.rules.find((r: { event: { type: string } }) => r.event.type === 'hours-requirement');
    const leaves = rule.conditions.all as Leaf[];
    const roles = leaves.find((l) => l.path === '$.role')!;
    roles.value = [...(roles.value as string[]), 'home_visitor'];
    leaves.push({ fact: 'organization', path: '$.programType', operator: 'in', value: ['child_care', 'afterschool'] });
    const roleAt = leaves.indexOf(roles);
    const typeAt = leaves.length - 1;
    const saved = (await policy.put(`/api/rule-sets/mopd-compliance/versions/${version}`, { document }).expect(200))
      .body;
    expect(saved.problems).toEqual(
      expect.arrayContaining([
        {
          ruleId: rule.id,
          path: expect.stringMatching(new RegExp(`conditions\\.all\\.${roleAt}\\.value\\.0$`)),
          message: expect.stringMatching(
            new RegExp(`^rule ${rule.id} names the professional role "home_visitor", which the registry does not have`),
          ),
        },
        {
          ruleId: rule.id,
          path: expect.stringMatching(new RegExp(`conditions\\.all\\.${typeAt}\\.value\\.1$`)),
          message: expect.stringContaining('names the program type "afterschool", which the registry does not have'),
        },
      ]),
    );
    expect(saved.problems).toHaveLength(2);
    const refused = (await policy.post(`/api/rule-sets/mopd-compliance/versions/${version}/validate`).expect(200)).body;
    expect(refused.status).toBe('draft');
    expect(refused.problems).toHaveLength(2);

    // Once the registry has them, the same draft validates.
    await admin
      .post('/api/admin/program-types', { code: 'afterschool', labelEn: 'Afterschool', labelEs: 'Después de clases' })
      .expect(201);
    await admin
      .post('/api/admin/professional-roles', { code: 'home_visitor', labelEn: 'Home visitor', labelEs: 'Visitador/a' })
      .expect(201);
    expect(
      (await policy.post(`/api/rule-sets/mopd-compliance/versions/${version}/validate`).expect(200)).body,
    ).toMatchObject({ status: 'validated', problems: [] });
  });
});

describe('hire-date deadlines', () => {
  const today = localDateOf(new Date());
  const nextMonth =
    monthOf(today) === 12 ? dateOf(yearOf(today) + 1, 1, 1) : dateOf(yearOf(today), monthOf(today) + 1, 1);

  /** A licensed program recorded with these settings since `from`, then changed to `then` from `on`. */
  async function aProgram(from: string, servesInfants: boolean, on: string, thenServesInfants: boolean) {
    const created = await admin
      .post('/api/organizations', {
        name: `Infant Center ${randomUUID().slice(0, 8)}`,
        licensed: true,
        licenseNumber: `MO-${randomUUID().slice(0, 8)}`,
        subsidized: false,
        servesInfants,
        county: 'Boone',
      })
      .expect(201);
    const id = created.body.organization.id as number;
    await db('program_settings').where({ organization_id: id }).update({ effective_from: from });
    await admin
      .post(`/api/admin/organizations/${id}/program-settings`, {
        effectiveFrom: on,
        licensed: true,
        licenseExempt: false,
        subsidized: false,
        servesInfants: thenServesInfants,
        contractYearStartMonth: null,
      })
      .expect(201);
    return id;
  }

  /** Hires someone; what the confirmation says and what the deadline workflow opens. */
  async function hire(organizationId: number, hireDate: string) {
    const person = await aProfessional(db);
    const res = await admin
      .post('/api/employments', { professionalId: person.id, organizationId, role: 'teacher', hireDate })
      .expect(201);
    const employmentId = res.body.employment.id as number;
    const said = (res.body.deadlines as Array<{ requirement: string }>).map((d) => d.requirement);
    // The workflow ends at once when it opens nothing; otherwise it rests on its timers once opened.
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const handle = new Client({ connection }).workflow.getHandle(res.body.deadlinesWorkflowId as string);
      await until(
        async () => ({
          status: (await handle.describe()).status.name,
          opened: await db('deadlines').where({ employment_id: employmentId }),
        }),
        ({ status, opened }) => status === 'COMPLETED' || opened.length > 0,
      );
    } finally {
      await connection.close();
    }
    const opened = (await db('deadlines').where({ employment_id: employmentId })).map(
      (d: { requirement: string }) => d.requirement,
    );
    return { said, opened };
  }

  it("reads the settings in effect on the hire date, not today's", async () => {
    // Starts serving infants next month: a hire today has no infant safe-sleep deadline, a hire
    // after the change does (the program's own columns still say "no infants" today).
    const starting = await aProgram('2024-01-01', false, nextMonth, true);
    expect(await hire(starting, today)).toEqual({ said: [], opened: [] });
    expect(await hire(starting, addDays(nextMonth, 3))).toEqual({
      said: ['infant-safe-sleep'],
      opened: ['infant-safe-sleep'],
    });
    expect((await db('organizations').where({ id: starting }).first()).serves_infants).toBe(false);

    // Served infants until ten days ago: a hire recorded late, dated twenty days ago, still has it;
    // a hire today does not.
    const stopped = await aProgram('2024-01-01', true, addDays(today, -10), false);
    expect((await db('organizations').where({ id: stopped }).first()).serves_infants).toBe(false);
    expect(await hire(stopped, addDays(today, -20))).toEqual({
      said: ['infant-safe-sleep'],
      opened: ['infant-safe-sleep'],
    });
    expect(await hire(stopped, today)).toEqual({ said: [], opened: [] });
  });
});
