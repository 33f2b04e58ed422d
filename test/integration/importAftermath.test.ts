/**
 * The rules on every path, the remainder (issue 18), through the API: after a legacy import the
 * deadline workflows its training may meet are woken at once, and people whose standing the
 * imported records alone turned are told in the app and by email, once; a draft may not newly
 * name a program type or role the registry no longer offers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Db } from '../../db/connection.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { addDays, localDateOf } from '../../rules/dates.js';
import { importTurnedKey } from '../../services/legacyImport/aftermath.js';
import { startWorker } from '../support/worker.js';
import { until } from '../support/polling.js';

let http: HttpApp;
let app: Express;
let db: Db;
let admin: Session;
/** Imports apply in their workflow on the worker; deadline workflows run there too. */
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  http = await startHttpApp('import-aftermath');
  ({ app } = http);
  db = http.database.db;
  admin = await signIn(app, await aUser(db, ['admin']));
  worker = await startWorker(db, http.taskQueue);
});
afterAll(async () => {
  await worker?.stop();
  await http?.close();
});

async function aPerson() {
  const account = await aUser(db, ['professional']);
  await db('professionals').where({ id: account.professionalId }).update({ email: account.user.email });
  const professional = await db('professionals').where({ id: account.professionalId }).first();
  return { id: account.professionalId!, email: account.user.email, userId: account.user.id, row: professional };
}

/** Uploads one training file and applies it; answers the batch once it is no longer applying. */
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
    60_000,
  );
}

/** Waits until the workflow rests on a timer longer than a minute (its reminder or due date). */
async function untilWaitingOnTimer(workflowId: string): Promise<void> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  try {
    const handle = new Client({ connection }).workflow.getHandle(workflowId);
    await until(
      async () => (await handle.fetchHistory()).events?.at(-1) ?? null,
      (last) => last !== null && Number(last.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0) > 60,
      30_000,
    );
  } finally {
    await connection.close();
  }
}

describe('after a legacy import', () => {
  it('wakes the deadline workflow its training meets, instead of leaving it to the next timer', async () => {
    const today = localDateOf(new Date());
    const organization = await anOrganization(db, { licensed: true, serves_infants: true });
    const person = await aPerson();
    const hired = await admin
      .post('/api/employments', {
        professionalId: person.id,
        organizationId: organization.id,
        role: 'teacher',
        hireDate: addDays(today, -5),
      })
      .expect(201);
    const workflowId = hired.body.deadlinesWorkflowId as string;
    const opened = await until(
      () =>
        db('deadlines').where({ employment_id: hired.body.employment.id, requirement: 'infant-safe-sleep' }).first(),
      (d) => d !== undefined,
      30_000,
    );
    if (!opened) throw new Error('no infant safe-sleep deadline was opened');
    const deadline = opened;
    expect(deadline.status).toBe('open');
    // The workflow now sleeps until its reminder, days away.
    await untilWaitingOnTimer(workflowId);

    const course = await aCourse(db, {
      title: `Safe Sleep for Infants ${randomUUID().slice(0, 8)}`,
      sponsor: 'Child Care Aware',
      topic: 'infant-safe-sleep',
      clock_hours: 1,
    });
    const batch = await importTraining('old-toolbox', [
      `S-1,,${person.row.mopd_id},,${course.title},Child Care Aware,infant-safe-sleep,${addDays(today, -1)},1`,
    ]);
    expect(batch.status).toBe('applied');
    const record = await db('training_records').where({ professional_id: person.id, course_id: course.id }).first();
    expect(Number(record.credited_hours)).toBe(1);
    // Met within moments: only a signal gets the workflow to look before its timer fires.
    const met = await until(
      () => db('deadlines').where({ id: deadline.id }).first(),
      (d) => d?.status === 'met',
      20_000,
    );
    expect(met?.met_by_training_record_id).toBe(record.id);
  });

  it('tells, once, the person whose standing the imported records alone turned', async () => {
    const organization = await anOrganization(db, { licensed: true, serves_infants: false });
    const ten = await aCourse(db, {
      title: `Ten Hours ${randomUUID().slice(0, 8)}`,
      sponsor: 'Child Care Aware',
      clock_hours: 10,
    });
    const two = await aCourse(db, {
      title: `Two Hours ${randomUUID().slice(0, 8)}`,
      sponsor: 'Child Care Aware',
      clock_hours: 2,
    });
    const person = await aPerson();
    const bystander = await aPerson();
    for (const who of [person, bystander]) {
      await anEmployment(db, who.row, organization, '2025-01-06');
      await admin
        .post('/api/training-records', {
          professionalId: who.id,
          courseId: ten.id,
          completedOn: '2025-04-01',
          source: 'attendance',
        })
        .expect(201);
      // Ten of 2025's twelve hours: short.
      expect((await db('compliance_results').where({ professional_id: who.id }).first()).compliant).toBe(false);
    }

    // The person's two missing hours of 2025 come from the old system (another course: nothing is
    // decided again); the bystander's one hour leaves them short.
    const row = (who: typeof person, id: string, hours: number) =>
      `${id},,${who.row.mopd_id},,${two.title},Child Care Aware,health-safety,2025-06-01,${hours}`;
    const batch = await importTraining('county-ledger', [row(person, 'L-1', 2), row(bystander, 'L-2', 1)]);
    expect(batch.status).toBe('applied');
    expect((await db('compliance_results').where({ professional_id: person.id }).first()).compliant).toBe(true);
    expect((await db('compliance_results').where({ professional_id: bystander.id }).first()).compliant).toBe(false);

    const emails = await db('outbox').where({ to_address: person.email, template: 'compliance-turned' });
    expect(emails).toHaveLength(1);
    expect(emails[0]!.dedupe_key).toBe(importTurnedKey(batch.id, person.id));
    expect(emails[0]!.subject).toBe(
      'Your records from an earlier registry were added: you meet your training requirements',
    );
    expect(emails[0]!.body_text).toContain('Records of yours kept in county-ledger were brought into the registry');
    expect(emails[0]!.body_text).toContain('you now meet every training requirement');
    const notes = await db('notifications').where({ user_id: person.userId });
    expect(notes.map((n) => n.title)).toEqual([
      'Your records from an earlier registry were added: you meet your training requirements',
    ]);
    expect(await db('outbox').where({ to_address: bystander.email, template: 'compliance-turned' })).toEqual([]);
    expect(await db('notifications').where({ user_id: bystander.userId })).toEqual([]);

    // The same batch applied again (after a failure, say) tells nobody twice.
    await db('import_batches').where({ id: batch.id }).update({ status: 'failed' });
    await db('compliance_results').where({ professional_id: person.id }).update({ compliant: false });
    await admin.post(`/api/admin/imports/${batch.id}/apply`).expect(202);
    await until(
      async () => (await admin.get(`/api/admin/imports/${batch.id}`).expect(200)).body.batch,
      (b) => b.status === 'applied',
      60_000,
    );
    expect(await db('outbox').where({ to_address: person.email, template: 'compliance-turned' })).toHaveLength(1);
  });
});

describe('a draft naming a code the registry no longer offers', () => {
  it('is refused, naming the rule, the path and the code, until it is offered again', async () => {
    const code = `drop_in_${randomUUID().slice(0, 6)}`;
    await admin
      .post('/api/admin/program-types', { code, labelEn: 'Drop-in care', labelEs: 'Cuidado ocasional' })
      .expect(201);
    await admin.patch(`/api/admin/program-types/${code}`, { active: false }).expect(200);

    const policy = await signIn(app, await aUser(db, ['policy_staff']));
    const { version } = (
      await policy
        .post('/api/rule-sets/mopd-compliance/drafts', { fromVersion: 1, changeNote: 'Drop-in care counts too' })
        .expect(201)
    ).body;
    const { document } = (await policy.get(`/api/rule-sets/mopd-compliance/versions/${version}`).expect(200)).body;
    // Version 1 itself, carried over unchanged, names nothing inactive.
    expect(
      (await policy.put(`/api/rule-sets/mopd-compliance/versions/${version}`, { document }).expect(200)).body.problems,
    ).toEqual([]);

    const index = document.rules.findIndex((r: { event: { type: string } }) => r.event.type === 'hours-requirement');
    const rule = document.rules[index];
    const leaves = rule.conditions.all as Array<{ fact: string; path: string; operator: string; value: unknown }>;
    leaves.push({ fact: 'organization', path: '$.programType', operator: 'in', value: ['child_care', code] });
    const saved = (await policy.put(`/api/rule-sets/mopd-compliance/versions/${version}`, { document }).expect(200))
      .body;
    expect(saved.problems).toEqual([
      {
        ruleId: rule.id,
        path: `rules.${index}.conditions.all.${leaves.length - 1}.value.1`,
        message: `rule ${rule.id} names the program type "${code}", which the registry marks inactive (nobody is given it any more, and no version in effect names it); make it active again under Admin → Program types, or remove it from the rule`,
      },
    ]);
    const refused = (await policy.post(`/api/rule-sets/mopd-compliance/versions/${version}/validate`).expect(200)).body;
    expect(refused.status).toBe('draft');
    expect(refused.problems).toHaveLength(1);

    await admin.patch(`/api/admin/program-types/${code}`, { active: true }).expect(200);
    expect(
      (await policy.post(`/api/rule-sets/mopd-compliance/versions/${version}/validate`).expect(200)).body,
    ).toMatchObject({ status: 'validated', problems: [] });
  });
});
