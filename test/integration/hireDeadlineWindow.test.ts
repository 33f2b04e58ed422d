/**
 * How long before a hire safe-sleep training still meets the hire-date deadline is the rule set's
 * parameter (`countsCompletedDaysBeforeHire`), read from the version the deadline was opened under.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { installShippedRuleSets } from '../../db/ruleSets.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import { addDays, localDateOf } from '../../rules/dates.js';
import type { RuleSetDocument } from '../../rules/schema.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { startWorker } from '../support/worker.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { aProfessional, anOrganization, aSafeSleepCourse } from '../support/fixtures.js';

let http: HttpApp;
let app: Express;
let admin: Session;
let worker: { stop(): Promise<void> };

/** Version 1 with a year's window for safe-sleep training before the hire, in effect from 2021. */
function withWindow(days: number): RuleSetDocument {
  const doc = structuredClone(shippedRuleSets[0]!);
  doc.version = 2;
  doc.effectiveFrom = '2021-01-01';
  const rule = doc.rules.find((r) => r.id === 'deadline.infant-safe-sleep-after-hire')!;
  (rule.event.params as { countsCompletedDaysBeforeHire?: number }).countsCompletedDaysBeforeHire = days;
  return doc;
}

beforeAll(async () => {
  http = await startHttpApp('hire-window');
  app = http.app;
  await installShippedRuleSets(http.database.db, [withWindow(365)]);
  admin = await signIn(app, await aUser(http.database.db, ['admin']));
  worker = await startWorker(http.database.db, http.taskQueue);
});
afterAll(async () => {
  await worker?.stop();
  await http?.close();
});

const today = () => localDateOf(new Date());

async function hiredAfterTraining(daysBefore: number) {
  const { db } = http.database;
  const organization = await anOrganization(db, { licensed: true, serves_infants: true });
  const professional = await aProfessional(db);
  const course = await aSafeSleepCourse(db);
  const trained = await admin
    .post('/api/training-records', {
      professionalId: professional.id,
      courseId: course.id,
      completedOn: addDays(today(), -daysBefore),
      source: 'online_course',
    })
    .expect(201);
  expect(trained.body.record.credited_hours).toBe(1);
  await admin
    .post('/api/employments', {
      professionalId: professional.id,
      organizationId: organization.id,
      role: 'teacher',
      hireDate: today(),
    })
    .expect(201);
  return { professionalId: professional.id, recordId: trained.body.record.id as number };
}

describe('safe-sleep training completed before the hire', () => {
  it('meets the deadline when completed within the version’s window before the hire', async () => {
    const { professionalId, recordId } = await hiredAfterTraining(100);
    await expect
      .poll(async () => (await admin.get(`/api/professionals/${professionalId}/deadlines`)).body.deadlines, {
        timeout: 15_000,
      })
      .toEqual([
        expect.objectContaining({
          requirement: 'infant-safe-sleep',
          status: 'met',
          met_by_training_record_id: recordId,
          rule_set_version: 2,
        }),
      ]);
  });

  it('leaves the deadline open when completed before the window', async () => {
    const { professionalId } = await hiredAfterTraining(400);
    await expect
      .poll(async () => (await admin.get(`/api/professionals/${professionalId}/deadlines`)).body.deadlines, {
        timeout: 15_000,
      })
      .toHaveLength(1);
    // The workflow has checked once it rests; nothing before the window meets it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await admin.get(`/api/professionals/${professionalId}/deadlines`)).body.deadlines).toEqual([
      expect.objectContaining({ status: 'open', met_by_training_record_id: null }),
    ]);
  });
});
