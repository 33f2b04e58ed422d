/**
 * The employment-deadlines workflow on Temporal's time-skipping test server, with its real
 * activities against PostgreSQL and its emails through the outbox, Redis and SMTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { recordTraining } from '../../services/training.js';
import {
  employmentChangedSignal,
  employmentDeadlines,
  employmentDeadlinesWorkflowId,
  trainingRecordedSignal,
} from '../../workflows/employmentDeadlines.js';
import { endEmployment } from '../../db/employments.js';
import type { SmtpCapture } from '../../bin/smtpCapture.js';
import type { TestDatabase } from '../support/database.js';
import { aProfessional, anEmployment, anOrganization, aSafeSleepCourse } from '../support/fixtures.js';
import { startTimeSkipping, type TimeSkipping } from '../support/timeSkipping.js';
import { keepHistory } from '../support/histories.js';
import type { DeadlineRow } from '../../db/rows.js';

let skipping: TimeSkipping;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let smtp: SmtpCapture;
let mail: TimeSkipping['mail'];
let serverToday: TimeSkipping['serverToday'];
let withWorker: TimeSkipping['withWorker'];
let outboxTo: TimeSkipping['outboxTo'];

beforeAll(async () => {
  skipping = await startTimeSkipping();
  ({ env, database, smtp, mail, serverToday, withWorker, outboxTo } = skipping);
});

afterAll(async () => {
  await skipping?.close();
});

/** A licensed program serving infants, its director, and a teacher hired today. */
async function aNewHire() {
  const { db } = database;
  const organization = await anOrganization(db, { licensed: true, serves_infants: true });
  const director = await aProfessional(db, { firstName: 'Dana' });
  await anEmployment(db, director, organization, '2020-01-06', 'director');
  const teacher = await aProfessional(db, { firstName: 'Terry' });
  const employment = await anEmployment(db, teacher, organization, await serverToday());
  return { organization, director, teacher, employment };
}

const follow = (taskQueue: string, employmentId: number) =>
  env.client.workflow.start(employmentDeadlines, {
    taskQueue,
    workflowId: employmentDeadlinesWorkflowId(employmentId),
    args: [{ employmentId }],
  });

const deadlineOf = async (employmentId: number): Promise<DeadlineRow> =>
  (await database.db('deadlines').where({ employment_id: employmentId }).first())!;

describe('infant safe-sleep deadline after hire', () => {
  it('reminds before the due date, then marks it overdue and tells the person and the director', async () => {
    const { teacher, director, employment } = await aNewHire();
    await withWorker(async (taskQueue) => {
      const handle = await follow(taskQueue, employment.id);
      await env.sleep('2 days');
      expect(await deadlineOf(employment.id)).toMatchObject({ status: 'open', reminded_at: null });

      await env.sleep('22 days');
      expect((await deadlineOf(employment.id)).reminded_at).not.toBeNull();
      expect((await outboxTo(teacher.email)).map((r) => r.template)).toEqual(['deadline-reminder']);

      await env.sleep('8 days');
      expect(await deadlineOf(employment.id)).toMatchObject({ status: 'overdue' });
      expect((await outboxTo(teacher.email)).map((r) => r.template)).toEqual(['deadline-reminder', 'deadline-overdue']);
      expect((await outboxTo(director.email)).map((r) => r.template)).toEqual(['staff-deadline-overdue']);
      expect(await handle.query('deadlineStatus')).toEqual({ 'infant-safe-sleep': 'overdue' });
      const deadline = await deadlineOf(employment.id);
      const history = await database
        .db('audit_log')
        .where({ entity: 'deadline', entity_id: String(deadline.id) })
        .orderBy('id');
      expect(history.map((h) => [h.action, h.actor_user_id, h.before.status, h.after.status])).toEqual([
        ['deadline.reminded', null, 'open', 'open'],
        ['deadline.overdue', null, 'open', 'overdue'],
      ]);
    });

    await mail.relay();
    const received = await smtp.waitFor((m) => m.to.includes(teacher.email) || m.to.includes(director.email), 3);
    // The mailer sends in parallel, so the order of arrival is not the order of sending.
    expect(received.map((m) => m.subject).sort()).toEqual([
      expect.stringMatching(/^Overdue: Infant safe-sleep training/),
      expect.stringMatching(/^Reminder: Infant safe-sleep training/),
      expect.stringMatching(/^Staff overdue: Terry /),
    ]);
    expect(received.every((m) => m.text.includes('http://mopd.test/professionals/'))).toBe(true);
  });

  it('ends having written nothing when its employment was never saved (the hire rolled back)', async () => {
    const never = 900_000_000 + Math.floor(Math.random() * 1_000_000);
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(employmentDeadlines, {
        taskQueue,
        workflowId: employmentDeadlinesWorkflowId(never),
        args: [{ employmentId: never }],
      });
      expect(await handle.result()).toEqual({});
      const tries = (await handle.fetchHistory())
        .events!.filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes!.attempt);
      expect(tries).toEqual([10]);
    });
    expect(await database.db('deadlines').where({ employment_id: never })).toEqual([]);
  });

  it('ends early, without any email, when the training is recorded in time', async () => {
    const { db } = database;
    const { teacher, employment } = await aNewHire();
    const course = await aSafeSleepCourse(db);
    await withWorker(async (taskQueue) => {
      const handle = await follow(taskQueue, employment.id);
      await env.sleep('3 days');
      const { record, deadlinesToWake } = await recordTraining(db, {
        professionalId: teacher.id,
        courseId: course.id,
        completedOn: await serverToday(),
        source: 'online_course',
      });
      expect(deadlinesToWake.map((d) => d.workflow_id)).toEqual([handle.workflowId]);
      await handle.signal(trainingRecordedSignal, { trainingRecordId: record.id });
      expect(await handle.result()).toEqual({ 'infant-safe-sleep': 'met' });
      await keepHistory(handle, 'employmentDeadlines-met-in-time');
      expect(await deadlineOf(employment.id)).toMatchObject({
        status: 'met',
        met_by_training_record_id: record.id,
        reminded_at: null,
      });
    });
    expect(await outboxTo(teacher.email)).toEqual([]);
  });

  it('turns an overdue deadline into met late when the training comes after all', async () => {
    const { db } = database;
    const { teacher, employment } = await aNewHire();
    const course = await aSafeSleepCourse(db);
    await withWorker(async (taskQueue) => {
      const handle = await follow(taskQueue, employment.id);
      await env.sleep('40 days');
      expect((await deadlineOf(employment.id)).status).toBe('overdue');
      const late = await recordTraining(db, {
        professionalId: teacher.id,
        courseId: course.id,
        completedOn: await serverToday(),
        source: 'online_course',
      });
      await handle.signal(trainingRecordedSignal, { trainingRecordId: late.record.id });
      expect(await handle.result()).toEqual({ 'infant-safe-sleep': 'met_late' });
      await keepHistory(handle, 'employmentDeadlines-reminded-overdue-met-late');
    });
  });

  it('cancels the deadline without any email when the person leaves before it is due', async () => {
    const { teacher, employment } = await aNewHire();
    await withWorker(async (taskQueue) => {
      const handle = await follow(taskQueue, employment.id);
      await env.sleep('3 days');
      await endEmployment(database.db, employment.id, employment.hire_date);
      await handle.signal(employmentChangedSignal);
      expect(await handle.result()).toEqual({ 'infant-safe-sleep': 'cancelled' });
    });
    expect(await deadlineOf(employment.id)).toMatchObject({ status: 'cancelled', reminded_at: null });
    expect(await outboxTo(teacher.email)).toEqual([]);
  });

  it('opens no deadline at a program that does not serve infants', async () => {
    const { db } = database;
    const organization = await anOrganization(db, { licensed: true, serves_infants: false });
    const employment = await anEmployment(db, await aProfessional(db), organization, await serverToday());
    await withWorker(async (taskQueue) => {
      const result = await env.client.workflow.execute(employmentDeadlines, {
        taskQueue,
        workflowId: employmentDeadlinesWorkflowId(employment.id),
        args: [{ employmentId: employment.id }],
      });
      expect(result).toEqual({});
    });
    expect(await deadlineOf(employment.id)).toBeUndefined();
  });
});
