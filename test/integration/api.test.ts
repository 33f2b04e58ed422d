/** The HTTP API against real PostgreSQL, Redis, a Temporal dev server with a worker, and SMTP. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { startWorker } from '../support/worker.js';
import { createRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createTransport, type Transport } from '../../services/mail/mailer.js';
import { localDateOf } from '../../rules/dates.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import {
  aCourse,
  aProfessional,
  anEmployment,
  anInstructorCertification,
  anOrganization,
  aSafeSleepCourse,
} from '../support/fixtures.js';
import { aUser, signIn, testApp, type Session } from '../support/app.js';

let database: TestDatabase;
let smtp: SmtpCapture;
let transport: Transport;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let client: Client;
let worker: { stop(): Promise<void> };
let app: Express;
let admin: Session;
const taskQueue = `api-${randomUUID()}`;

const HEALTH_TOKEN = 'monitoring-token-of-at-least-32-characters';
const appWith = (gateway: TemporalGateway) =>
  testApp(database, redis, gateway, { smtpCheck: () => transport.verify(), healthToken: HEALTH_TOKEN }).app;

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpCapture();
  transport = createTransport(smtp.smtpUrl);
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const address = inject('temporalAddress');
  temporal = createTemporalGateway({ address, namespace: 'default', taskQueue });
  client = new Client({ connection: await Connection.connect({ address }) });
  worker = await startWorker(database.db, taskQueue);
  app = appWith(temporal);
  admin = await signIn(app, await aUser(database.db, ['admin']));
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await client?.connection.close();
  transport?.close();
  await redis?.quit();
  await smtp?.close();
  await database?.drop();
});

const today = () => localDateOf(new Date());

describe('POST /api/employments', () => {
  it('names each bad field and why', async () => {
    const response = await admin.post('/api/employments', {
      professionalId: 'seven',
      role: 'Boss!',
      hireDate: '2026-02-30',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual(
      expect.arrayContaining([
        { field: 'professionalId', message: 'must be a number' },
        { field: 'organizationId', message: 'is required' },
        { field: 'role', message: 'must be a registered role code' },
        { field: 'hireDate', message: 'must be a calendar date written YYYY-MM-DD' },
      ]),
    );
  });

  it('refuses a role the registry does not hold, naming the field', async () => {
    // Roles are registry data (issue 18): a well-formed code is checked against the registry.
    const organization = await anOrganization(database.db);
    const professional = await aProfessional(database.db);
    const response = await admin.post('/api/employments', {
      professionalId: professional.id,
      organizationId: organization.id,
      role: 'boss',
      hireDate: today(),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(JSON.stringify(response.body.error)).toContain('role');
  });

  it('refuses an end date before the hire date', async () => {
    const response = await admin.post('/api/employments', {
      professionalId: 1,
      organizationId: 1,
      role: 'teacher',
      hireDate: '2026-03-01',
      endDate: '2026-02-01',
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([{ field: 'endDate', message: 'must not be before the hire date' }]);
  });

  it('answers 404 naming the unknown professional', async () => {
    const organization = await anOrganization(database.db);
    const response = await admin.post('/api/employments', {
      professionalId: 987654,
      organizationId: organization.id,
      role: 'teacher',
      hireDate: today(),
    });
    expect(response.status).toBe(404);
    expect(response.body.error.fields).toEqual([
      { field: 'professionalId', message: 'No professional with id 987654' },
    ]);
  });

  it('records a hire at a licensed infant program and starts its safe-sleep deadline', async () => {
    const organization = await anOrganization(database.db, { licensed: true, serves_infants: true });
    const professional = await aProfessional(database.db);
    const response = await admin.post('/api/employments', {
      professionalId: professional.id,
      organizationId: organization.id,
      role: 'volunteer',
      hireDate: today(),
    });
    expect(response.status).toBe(201);
    const { employment, deadlinesWorkflowId } = response.body;
    expect(deadlinesWorkflowId).toBe(`employment-deadlines-${employment.id}`);
    expect((await client.workflow.getHandle(deadlinesWorkflowId).describe()).status.name).toBe('RUNNING');

    await expect
      .poll(async () => (await admin.get(`/api/professionals/${professional.id}/deadlines`)).body.deadlines, {
        timeout: 15_000,
      })
      .toEqual([expect.objectContaining({ requirement: 'infant-safe-sleep', status: 'open', starts_on: today() })]);
  });

  it('saves nothing when Temporal cannot be reached, and says to try again', async () => {
    const unreachable = createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue });
    const organization = await anOrganization(database.db);
    const professional = await aProfessional(database.db);
    const elsewhere = appWith(unreachable);
    const response = await (
      await signIn(elsewhere, await aUser(database.db, ['admin']))
    ).post('/api/employments', {
      professionalId: professional.id,
      organizationId: organization.id,
      role: 'teacher',
      hireDate: today(),
    });
    expect(response.status).toBe(503);
    expect(response.body.error.message).toMatch(/not saved/);
    expect(await database.db('employments').where({ professional_id: professional.id })).toEqual([]);
    await unreachable.close();
  });
});

describe('POST /api/employments/:id/end', () => {
  it('lets the director of the organization end an employment once, and nobody else', async () => {
    const { db } = database;
    const organization = await anOrganization(db, { licensed: true, serves_infants: false });
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: organization.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const employment = await anEmployment(db, await aProfessional(db), organization, '2025-03-01');
    const stranger = await signIn(app, await aUser(db, ['director']));
    expect((await stranger.post(`/api/employments/${employment.id}/end`, { endDate: '2026-01-31' })).status).toBe(404);

    const boss = await signIn(app, director);
    const early = await boss.post(`/api/employments/${employment.id}/end`, { endDate: '2025-01-31' });
    expect(early.status).toBe(400);
    expect(early.body.error.fields[0].field).toBe('endDate');
    const ended = await boss.post(`/api/employments/${employment.id}/end`, { endDate: '2026-01-31' }).expect(200);
    expect(ended.body.employment.end_date).toBe('2026-01-31');
    expect((await boss.post(`/api/employments/${employment.id}/end`, { endDate: '2026-02-28' })).status).toBe(409);
    const history = await db('audit_log')
      .where({ entity: 'employment', entity_id: String(employment.id), action: 'employment.ended' })
      .first();
    expect(history).toMatchObject({
      actor_user_id: director.user.id,
      before: expect.objectContaining({ end_date: null }),
      after: expect.objectContaining({ end_date: '2026-01-31' }),
    });
  });
});

describe('POST /api/training-records', () => {
  it('credits approved training, updates compliance and ends the safe-sleep deadline early', async () => {
    const organization = await anOrganization(database.db, { licensed: true, serves_infants: true });
    const professional = await aProfessional(database.db);
    const hired = await admin.post('/api/employments', {
      professionalId: professional.id,
      organizationId: organization.id,
      role: 'teacher',
      hireDate: today(),
    });
    const workflowId = hired.body.deadlinesWorkflowId as string;
    await expect
      .poll(async () => (await database.db('deadlines').where({ professional_id: professional.id })).length, {
        timeout: 15_000,
      })
      .toBe(1);

    const course = await aSafeSleepCourse(database.db);
    const response = await admin.post('/api/training-records', {
      professionalId: professional.id,
      courseId: course.id,
      completedOn: today(),
      source: 'online_course',
    });
    expect(response.status).toBe(201);
    expect(response.body.record).toMatchObject({
      credited_hours: 1,
      credit_rule_set: 'mopd-compliance',
      credit_rule_set_version: 1,
      credit_reasons: [],
    });
    const thisYear = response.body.compliance.requirements[0].periods.at(-1);
    expect(thisYear).toMatchObject({ required: 12, applied: 1 });

    expect(await client.workflow.getHandle(workflowId).result()).toEqual({ 'infant-safe-sleep': 'met' });
    const deadlines = (await admin.get(`/api/professionals/${professional.id}/deadlines`)).body.deadlines;
    expect(deadlines).toEqual([
      expect.objectContaining({ status: 'met', met_by_training_record_id: response.body.record.id }),
    ]);
  });

  it('credits unapproved training nothing and says why', async () => {
    const professional = await aProfessional(database.db);
    const course = await aCourse(database.db, { approved: false });
    const response = await admin.post('/api/training-records', {
      professionalId: professional.id,
      courseId: course.id,
      completedOn: today(),
    });
    expect(response.status).toBe(201);
    expect(response.body.record.credited_hours).toBe(0);
    expect(response.body.record.credit_reasons).toEqual([expect.objectContaining({ code: 'not-approved' })]);
  });

  it('credits a certified trainer’s blended CPR course from the registry, without the caller saying so', async () => {
    const trainer = await aUser(database.db, ['trainer']);
    await anInstructorCertification(database.db, trainer.user.id, 'American Red Cross', '2030-12-31');
    const course = await aCourse(database.db, {
      topic: 'cpr-first-aid',
      delivery: 'blended',
      clock_hours: 6,
      in_person_hours: 2.5,
      cpr_model: 'American Red Cross',
      trainer_user_id: trainer.user.id,
    });
    const professional = await aProfessional(database.db);
    const response = await admin.post('/api/training-records', {
      professionalId: professional.id,
      courseId: course.id,
      completedOn: '2026-03-02',
    });
    expect(response.status).toBe(201);
    expect(response.body.record).toMatchObject({
      credited_hours: 2.5,
      credit_reasons: [expect.objectContaining({ code: 'cpr-blended-in-person-only' })],
    });
    expect(
      await database
        .db('training_records')
        .where({ id: response.body.record.id })
        .first('trainer_has_instructor_certification'),
    ).toEqual({ trainer_has_instructor_certification: true });
  });

  it('credits a CPR course nothing once its trainer’s certification had expired on the completion date', async () => {
    const trainer = await aUser(database.db, ['trainer']);
    await anInstructorCertification(database.db, trainer.user.id, 'American Red Cross', '2026-03-01');
    const course = await aCourse(database.db, {
      topic: 'cpr-first-aid',
      delivery: 'in_person',
      clock_hours: 6,
      cpr_model: 'American Red Cross',
      trainer_user_id: trainer.user.id,
    });
    const professional = await aProfessional(database.db);
    const response = await admin.post('/api/training-records', {
      professionalId: professional.id,
      courseId: course.id,
      completedOn: '2026-03-02',
    });
    expect(response.status).toBe(201);
    expect(response.body.record.credited_hours).toBe(0);
  });

  it('refuses a caller’s say on the trainer’s certification, naming the field', async () => {
    const professional = await aProfessional(database.db);
    const course = await aCourse(database.db);
    const response = await admin.post('/api/training-records', {
      professionalId: professional.id,
      courseId: course.id,
      completedOn: today(),
      trainerHasInstructorCertification: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([
      { field: 'trainerHasInstructorCertification', message: 'is not a field this request takes' },
    ]);
  });

  it('credits a DESE online course once a calendar year whichever completion is entered first', async () => {
    const course = await aCourse(database.db, { sponsor: 'DESE OOC', delivery: 'online', clock_hours: 2 });
    const creditsWhenEntered = async (dates: string[]) => {
      const professional = await aProfessional(database.db);
      for (const completedOn of dates) {
        await admin
          .post('/api/training-records', {
            professionalId: professional.id,
            courseId: course.id,
            completedOn,
            source: 'online_course',
          })
          .expect(201);
      }
      const rows = await database
        .db('training_records')
        .where({ professional_id: professional.id })
        .orderBy('completed_on')
        .select('id', 'completed_on', 'credited_hours', 'credit_reasons');
      return {
        professional,
        rows,
        credits: rows.map(
          (r: { completed_on: string; credited_hours: number; credit_reasons: Array<{ code: string }> }) => [
            r.completed_on,
            Number(r.credited_hours),
            r.credit_reasons.map((c) => c.code),
          ],
        ),
      };
    };
    const inDateOrder = await creditsWhenEntered(['2025-03-01', '2025-09-01']);
    const newestFirst = await creditsWhenEntered(['2025-09-01', '2025-03-01']);
    expect(inDateOrder.credits).toEqual([
      ['2025-03-01', 2, []],
      ['2025-09-01', 0, ['dese-course-already-credited-this-year']],
    ]);
    expect(newestFirst.credits).toEqual(inDateOrder.credits);
    // The earlier decision of the re-decided record is kept, with why it changed.
    const september = newestFirst.rows.find((r: { completed_on: string }) => r.completed_on === '2025-09-01');
    const history = await database
      .db('audit_log')
      .where({ entity: 'training_record', entity_id: String(september.id), action: 'training_record.redecided' });
    expect(history).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ credited_hours: 2 }),
        after: expect.objectContaining({
          credited_hours: 0,
          reason: expect.stringMatching(/^re-decided because a completion of .* on 2025-03-01 was recorded/),
        }),
      }),
    ]);
    const compliance = (
      await admin.get(`/api/professionals/${newestFirst.professional.id}/compliance?asOf=2025-12-31`).expect(200)
    ).body.compliance;
    expect(compliance).toEqual(
      (await admin.get(`/api/professionals/${inDateOrder.professional.id}/compliance?asOf=2025-12-31`).expect(200)).body
        .compliance,
    );
  });

  it('moves a met deadline to the earlier completion that takes its record’s credit', async () => {
    const organization = await anOrganization(database.db, { licensed: true, serves_infants: true });
    const professional = await aProfessional(database.db);
    await admin
      .post('/api/employments', {
        professionalId: professional.id,
        organizationId: organization.id,
        role: 'teacher',
        hireDate: '2026-03-01',
      })
      .expect(201);
    await expect
      .poll(async () => (await database.db('deadlines').where({ professional_id: professional.id })).length, {
        timeout: 15_000,
      })
      .toBe(1);
    const course = await aSafeSleepCourse(database.db);
    const later = (
      await admin
        .post('/api/training-records', {
          professionalId: professional.id,
          courseId: course.id,
          completedOn: '2026-03-20',
          source: 'online_course',
        })
        .expect(201)
    ).body.record;
    await expect
      .poll(
        async () =>
          (await database.db('deadlines').where({ professional_id: professional.id }).first())
            ?.met_by_training_record_id,
        { timeout: 15_000 },
      )
      .toBe(later.id);
    // Entered after it, an earlier completion of the same DESE online course in the year is the credited one.
    const earlier = (
      await admin
        .post('/api/training-records', {
          professionalId: professional.id,
          courseId: course.id,
          completedOn: '2026-03-10',
          source: 'online_course',
        })
        .expect(201)
    ).body.record;
    expect(earlier.credited_hours).toBe(1);
    expect(await database.db('training_records').where({ id: later.id }).first('credited_hours')).toEqual({
      credited_hours: 0,
    });
    expect(
      await database
        .db('deadlines')
        .where({ professional_id: professional.id })
        .first('status', 'met_by_training_record_id'),
    ).toEqual({ status: 'met', met_by_training_record_id: earlier.id });
  });

  it('refuses more hours than the course has, naming the field, and writes nothing', async () => {
    const professional = await aProfessional(database.db);
    const course = await aCourse(database.db, { clock_hours: 2 });
    const response = await admin.post('/api/training-records', {
      professionalId: professional.id,
      courseId: course.id,
      completedOn: today(),
      hours: 3,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual([{ field: 'hours', message: expect.stringContaining('exceed') }]);
    expect(await database.db('training_records').where({ professional_id: professional.id })).toEqual([]);
  });
});

describe('GET /api/professionals/:id/compliance', () => {
  it('shows last year back-filled from this year’s training, as of a chosen date', async () => {
    const organization = await anOrganization(database.db, { licensed: true, serves_infants: false });
    const professional = await aProfessional(database.db);
    await anEmployment(database.db, professional, organization, '2024-01-15');
    const eight = await aCourse(database.db, { clock_hours: 8 });
    const ten = await aCourse(database.db, { clock_hours: 10 });
    await admin
      .post('/api/training-records', { professionalId: professional.id, courseId: eight.id, completedOn: '2024-05-01' })
      .expect(201);
    await admin
      .post('/api/training-records', { professionalId: professional.id, courseId: ten.id, completedOn: '2025-02-01' })
      .expect(201);

    const response = await admin.get(`/api/professionals/${professional.id}/compliance?asOf=2025-06-30`).expect(200);
    const periods = response.body.compliance.requirements[0].periods;
    expect(
      periods.map((p: { label: string; applied: number; status: string }) => [p.label, p.applied, p.status]),
    ).toEqual([
      ['2024', 12, 'met'],
      ['2025', 6, 'in_progress'],
    ]);
    expect(response.body.compliance).toMatchObject({
      asOf: '2025-06-30',
      ruleSet: 'mopd-compliance',
      ruleSetVersion: 1,
      compliant: true,
    });

    const csv = await admin.get(`/api/professionals/${professional.id}/transcript?format=csv`).expect(200);
    expect(csv.headers['content-disposition']).toContain(`transcript-${professional.mopd_id}.csv`);
    expect(csv.text.trim().split('\n')).toEqual([
      'Completed,Training,Topic,Source,Hours,Credited hours,Why hours were reduced,Rule set,Time spent (minutes)',
      `2024-05-01,${eight.title},Health and safety,Attendance,8,8,,mopd-compliance v1,`,
      `2025-02-01,${ten.title},Health and safety,Attendance,10,10,,mopd-compliance v1,`,
    ]);
  });

  it('answers 404 for an unknown professional and 400 for an id that is not a number', async () => {
    expect((await admin.get('/api/professionals/424242/compliance')).status).toBe(404);
    const bad = await admin.get('/api/professionals/abc/compliance');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].field).toBe('id');
  });
});

describe('GET /health', () => {
  it('reports every dependency as up to monitoring with the token', async () => {
    const response = await request(app).get('/health').set('authorization', `Bearer ${HEALTH_TOKEN}`).expect(200);
    expect(Object.keys(response.body.dependencies)).toEqual(['postgres', 'redis', 'temporal', 'smtp']);
    expect(Object.values(response.body.dependencies).every((d) => (d as { ok: boolean }).ok)).toBe(true);
  });

  it('answers 503 and names the dependency that is down', async () => {
    const unreachable = createTemporalGateway({ address: '127.0.0.1:1', namespace: 'default', taskQueue });
    const response = await request(appWith(unreachable)).get('/health').set('authorization', `Bearer ${HEALTH_TOKEN}`);
    expect(response.status).toBe(503);
    // Anyone else is told only that it is down.
    const anonymous = await request(appWith(unreachable)).get('/health');
    expect(anonymous.status).toBe(503);
    expect(anonymous.body).toEqual({ status: 'down' });
    expect(response.body.dependencies.temporal.ok).toBe(false);
    expect(response.body.dependencies.postgres.ok).toBe(true);
    await unreachable.close();
  });
});

describe('request limits', () => {
  it('refuses a body over 100 kB with 413 and a malformed one with 400', async () => {
    const big = await admin.agent
      .post('/api/training-records')
      .set('x-csrf-token', admin.csrf)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(200_000) }));
    expect(big.status).toBe(413);
    const malformed = await admin.agent
      .post('/api/training-records')
      .set('x-csrf-token', admin.csrf)
      .set('content-type', 'application/json')
      .send('{"professionalId": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/not valid JSON/);
  });
});
