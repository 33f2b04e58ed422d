/**
 * The directors' weekly digest on the Temporal dev server, through the real mail path to the SMTP
 * capture: one email per director with something to report, naming the right people (staff who
 * will not have their hours at their pace, an overdue deadline, an expired CPR card) in the
 * director's language; none to a director whose staff are all on track; a second run the same
 * week sends nothing more. The schedule is created once, Mondays at 07:00 in Chicago, skipping overlaps.
 */
import { randomUUID } from 'node:crypto';
import { keepHistory } from '../support/histories.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDirectorDigestActivities } from '../../activities/directorDigest.js';
import { directorDigestScheduleId, ensureDirectorDigestSchedule } from '../../services/workflowClient.js';
import { directorDigestKey, isoWeekOf } from '../../services/directorDigest.js';
import { addCredential } from '../../db/profile.js';
import { addDays, dateOf, localDateOf, minDate, yearOf } from '../../rules/dates.js';
import type { ProfessionalRow, OrganizationRow } from '../../db/rows.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestMail } from '../support/mail.js';
import { startWorker } from '../support/worker.js';
import { until } from '../support/polling.js';
import { aUser, type TestUser } from '../support/app.js';
import { aCourse, anEmployment, anOrganization, aProfessional } from '../support/fixtures.js';
import type { Db } from '../../db/connection.js';

let database: TestDatabase;
let db: Db;
let connection: NativeConnection;
let client: Client;
let worker: { stop(): Promise<void> };
let smtp: SmtpCapture;
let mail: Awaited<ReturnType<typeof startTestMail>>;
const taskQueue = `digest-${randomUUID()}`;
const today = localDateOf(new Date());
const yearStart = dateOf(yearOf(today), 1, 1);
const fullName = (p: ProfessionalRow) => `${p.first_name} ${p.last_name}`;

interface Cast {
  busy: TestUser;
  calm: TestUser;
  spanish: TestUser;
  behind: ProfessionalRow;
  done: ProfessionalRow;
  lateHire: ProfessionalRow;
  cardExpired: ProfessionalRow;
  calmPerson: ProfessionalRow;
  idle: ProfessionalRow;
}
let cast: Cast;

async function aDirectorOf(organization: OrganizationRow, language: 'en' | 'es' = 'en') {
  const director = await aUser(db, ['director']);
  await db('users').where({ id: director.user.id }).update({ language });
  await db('organization_claims').insert({
    organization_id: organization.id,
    director_user_id: director.user.id,
    status: 'approved',
  });
  return director;
}

async function credit(person: ProfessionalRow, hours: number, completedOn: string) {
  const course = await aCourse(db, { clock_hours: hours, delivery: 'in_person', sponsor: 'Test Sponsor' });
  // A credited record as attendance leaves it (the credit rules have their own tests).
  await db('training_records').insert({
    professional_id: person.id,
    course_id: course.id,
    title: course.title,
    topic: course.topic,
    completed_on: completedOn,
    hours,
    credited_hours: hours,
    source: 'attendance',
    credit_rule_set: 'mopd-compliance',
    credit_rule_set_version: 1,
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  smtp = await startSmtpCapture();
  mail = await startTestMail(db, smtp.smtpUrl);
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  worker = await startWorker(db, taskQueue);

  // Everyone is hired on January 1, so this year's 12 hours are all that is asked of them.
  const busyCenter = await anOrganization(db, { name: `Maple Street Learning ${randomUUID().slice(0, 4)}` });
  const behind = await aProfessional(db, { firstName: 'Behind', lastName: `Pace${randomUUID().slice(0, 4)}` });
  const done = await aProfessional(db, { firstName: 'Done', lastName: `Already${randomUUID().slice(0, 4)}` });
  const lateHire = await aProfessional(db, { firstName: 'Late', lastName: `Deadline${randomUUID().slice(0, 4)}` });
  const cardExpired = await aProfessional(db, { firstName: 'Card', lastName: `Expired${randomUUID().slice(0, 4)}` });
  const early = minDate(addDays(yearStart, 1), today);
  for (const p of [behind, done, lateHire, cardExpired]) {
    const employment = await anEmployment(db, p, busyCenter, yearStart);
    // Those not behind on hours have them: the digest names each for one reason only.
    if (p !== behind) await credit(p, 12, early);
    if (p === lateHire)
      await db('deadlines').insert({
        employment_id: employment.id,
        professional_id: p.id,
        organization_id: busyCenter.id,
        requirement: 'test-orientation',
        label: 'Orientation training within 30 days of hire',
        satisfied_by_topic: 'orientation',
        starts_on: yearStart,
        due_on: addDays(yearStart, 30),
        remind_at: new Date(`${yearStart}T12:00:00Z`),
        overdue_at: new Date(`${addDays(yearStart, 31)}T12:00:00Z`),
        workflow_id: `test-deadline-${randomUUID()}`,
        rule_set: 'mopd-compliance',
        rule_set_version: 1,
      });
  }
  // Two hours early in the year: a pace far short of 12 by December 31.
  await credit(behind, 2, early);
  await addCredential(db, cardExpired.id, {
    kind: 'cpr_first_aid_card',
    issuer: 'American Red Cross',
    issuedOn: addDays(today, -740),
    expiresOn: addDays(today, -10),
  });
  const busy = await aDirectorOf(busyCenter);

  const calmCenter = await anOrganization(db);
  const calmPerson = await aProfessional(db);
  await anEmployment(db, calmPerson, calmCenter, yearStart);
  await credit(calmPerson, 12, early);
  const calm = await aDirectorOf(calmCenter);

  const spanishCenter = await anOrganization(db);
  const idle = await aProfessional(db, { firstName: 'Inés', lastName: `Sinhoras${randomUUID().slice(0, 4)}` });
  await anEmployment(db, idle, spanishCenter, yearStart);
  const spanish = await aDirectorOf(spanishCenter, 'es');

  cast = { busy, calm, spanish, behind, done, lateHire, cardExpired, calmPerson, idle };
});

afterAll(async () => {
  await client?.schedule
    .getHandle(directorDigestScheduleId(taskQueue))
    .delete()
    .catch(() => undefined);
  await worker?.stop();
  await connection?.close();
  await mail?.close();
  await smtp?.close();
  await database?.drop();
});

async function runDigest(asOf: string): Promise<{ asOf: string; told: number }> {
  const handle = await client.workflow.start('directorDigest', {
    taskQueue,
    workflowId: `director-digest-test-${randomUUID()}`,
    args: [{ asOf, batchLimit: 2 }],
  });
  const outcome = (await handle.result()) as { asOf: string; told: number };
  // Kept (when recording) for the replay test.
  await keepHistory(handle, 'directorDigest-batches');
  return outcome;
}

describe('the weekly director digest', () => {
  it('names ISO weeks the way the outbox key needs', () => {
    expect(isoWeekOf('2026-12-07')).toBe('2026-W50');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
  });

  it('emails each director with something to report once, naming the right people, in their language', async () => {
    const result = await runDigest(today);
    // Two directors had something to report; the calm one had nothing and was sent nothing.
    expect(result).toEqual({ asOf: today, told: 2 });
    await mail.relay();
    const [busyEmail] = await smtp.waitFor((m) => m.to.includes(cast.busy.user.email));
    const [spanishEmail] = await smtp.waitFor((m) => m.to.includes(cast.spanish.user.email));

    expect(busyEmail!.subject).toBe('Your staff this week: 3 things need attention');
    expect(busyEmail!.text).toContain(fullName(cast.behind));
    expect(busyEmail!.text).toContain('10 hours still needed by');
    expect(busyEmail!.text).toContain(`${fullName(cast.lateHire)}`);
    expect(busyEmail!.text).toContain('Orientation training within 30 days of hire');
    expect(busyEmail!.text).toMatch(new RegExp(`${fullName(cast.cardExpired)} \\(.*\\) — card expired`));
    expect(busyEmail!.text).not.toContain(fullName(cast.done));
    expect(busyEmail!.html).toContain('<h2>Overdue deadlines</h2>');

    expect(spanishEmail!.subject).toBe('Su personal esta semana: 1 asunto requiere atención');
    expect(spanishEmail!.text).toContain(fullName(cast.idle));
    expect(spanishEmail!.text).toContain('Ninguna hora acreditada en los últimos 12 meses.');

    expect(smtp.messages.filter((m) => m.to.includes(cast.calm.user.email))).toEqual([]);
    const keys = await db('outbox').where({ template: 'director-digest' }).orderBy('dedupe_key').pluck('dedupe_key');
    expect(keys).toEqual(
      [directorDigestKey(cast.busy.user.id, today), directorDigestKey(cast.spanish.user.id, today)].sort(),
    );
  });

  it('sends nothing more when run again the same week', async () => {
    const before = smtp.messages.length;
    // Later in the same ISO week when possible (the key is the week, not the day).
    const sameWeekLater = isoWeekOf(addDays(today, 1)) === isoWeekOf(today) ? addDays(today, 1) : today;
    expect(await runDigest(sameWeekLater)).toMatchObject({ told: 2 });
    expect(await db('outbox').where({ template: 'director-digest' }).count({ n: '*' })).toEqual([{ n: 2 }]);
    expect(await mail.relay()).toBe(0);
    expect(smtp.messages.length).toBe(before);
  });

  it('carries a retried batch on after the last director its heartbeat named', async () => {
    const { sendDirectorDigestBatch } = createDirectorDigestActivities({ db, publicUrl: 'http://mopd.test' });
    // The busy director was done before the worker died: the retry starts after them.
    const environment = new MockActivityEnvironment({ heartbeatDetails: { lastUserId: cast.busy.user.id } });
    const beats: unknown[] = [];
    environment.on('heartbeat', (details: unknown) => beats.push(details));
    const result = await environment.run(sendDirectorDigestBatch, { asOf: today, afterUserId: 0, limit: 10 });
    expect(result).toEqual({ lastUserId: cast.spanish.user.id, told: 1, finished: true });
    expect(beats).toEqual([{ lastUserId: cast.calm.user.id }, { lastUserId: cast.spanish.user.id }]);
  });

  it('is scheduled once for Mondays at 07:00 in Chicago, skipping a run that would overlap', async () => {
    const id = directorDigestScheduleId(taskQueue);
    expect(await ensureDirectorDigestSchedule(client, taskQueue)).toEqual({ scheduleId: id, created: true });
    expect(await ensureDirectorDigestSchedule(client, taskQueue)).toEqual({ scheduleId: id, created: false });
    const described = await client.schedule.getHandle(id).describe();
    expect(described.spec.timezone).toBe('America/Chicago');
    expect(described.policies.overlap).toBe('SKIP');
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'directorDigest', taskQueue });
    const next = described.info.nextActionTimes[0]!;
    const chicago = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Chicago',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(next);
    expect(chicago).toBe('Monday 07:00');

    // Triggered by hand, it runs the digest for today: everyone was already told this week.
    const handle = client.schedule.getHandle(id);
    await handle.trigger();
    const after = await until(
      () => handle.describe(),
      (d) => d.info.recentActions.length > 0,
    );
    const started = after.info.recentActions[0]!.action;
    const result = (await client.workflow
      .getHandle(started.workflow.workflowId, started.workflow.firstExecutionRunId)
      .result()) as { asOf: string; told: number };
    expect(result).toEqual({ asOf: today, told: 2 });
    expect(await db('outbox').where({ template: 'director-digest' }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });
});
