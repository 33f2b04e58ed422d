/**
 * "Today" is America/Chicago's date, whatever zone the database server keeps: the test database's
 * sessions run in a zone whose date is not Chicago's right now, and the answers follow Chicago.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { createDb, type Db } from '../../db/connection.js';
import { createRedis } from '../../bin/runtime.js';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { addDays, localDateOf } from '../../rules/dates.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn, testApp } from '../support/app.js';

/** A zone whose date differs from Chicago's now: 14 hours ahead of UTC, or 12 behind. */
function zoneOffChicago(now: Date): { zone: string; date: string } {
  for (const zone of ['Pacific/Kiritimati', 'Etc/GMT+12']) {
    const date = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
    if (date !== localDateOf(now)) return { zone, date };
  }
  throw new Error('no zone differs from Chicago');
}

let base: TestDatabase;
let db: Db;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
const off = zoneOffChicago(new Date());

beforeAll(async () => {
  base = await createTestDatabase();
  const name = new URL(base.url).pathname.slice(1);
  await base.db.raw(`ALTER DATABASE "${name}" SET timezone TO '${off.zone}'`);
  // New sessions take the database's zone.
  db = createDb(base.url, { max: 3 });
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `registry-today-${randomUUID()}`,
  });
  ({ app } = testApp({ db, url: base.url, drop: async () => {} }, redis, temporal));
});

afterAll(async () => {
  await temporal?.close();
  await redis?.quit();
  await db?.destroy();
  await base?.drop();
});

const chicagoToday = () => localDateOf(new Date());

/** An approved trainer whose approval and American Red Cross certification last until `lastDay`. */
async function aCprTrainer(lastDay: string) {
  const trainer = await aUser(db, ['trainer']);
  const [someCase] = await db('cases')
    .insert({
      type: 'trainer_application',
      workflow_id: `case-x-${randomUUID()}`,
      applicant_user_id: trainer.user.id,
      title: 'x',
      submission: '{}',
      rule_set: 'mopd-compliance',
      rule_set_version: 1,
    })
    .returning('id');
  await db('trainers').insert({
    user_id: trainer.user.id,
    approved_until: lastDay,
    approved_by_case_id: someCase!.id,
    regions: ['Central'],
  });
  const uploadId = randomUUID();
  await db('uploads').insert({
    id: uploadId,
    owner_user_id: trainer.user.id,
    purpose: 'instructor_certification',
    original_name: 'cert.pdf',
    media_type: 'application/pdf',
    size_bytes: 10,
    sha256: 'x',
  });
  await db('trainer_certifications').insert({
    trainer_user_id: trainer.user.id,
    model: 'American Red Cross',
    expires_on: lastDay,
    upload_id: uploadId,
    case_id: someCase!.id,
  });
  return trainer;
}

describe('today is Chicago’s date, not the database server’s', () => {
  it('runs its database sessions in a zone whose date is not Chicago’s', async () => {
    const { rows } = await db.raw<{ rows: Array<{ today: string }> }>(
      "SELECT to_char(current_date, 'YYYY-MM-DD') AS today",
    );
    expect(rows[0]!.today).toBe(off.date);
    expect(off.date).not.toBe(chicagoToday());
  });

  it('lists a CPR trainer current until today and not one whose term ended yesterday', async () => {
    const current = await aCprTrainer(chicagoToday());
    const ended = await aCprTrainer(addDays(chicagoToday(), -1));
    const listed = (await request(app).get('/api/catalog/cpr-trainers')).body.trainers.map((t: { id: number }) =>
      Number(t.id),
    );
    expect(listed).toContain(Number(current.user.id));
    expect(listed).not.toContain(Number(ended.user.id));
  });

  it('takes a course request for a trainer current until today and refuses one for a trainer whose term ended yesterday', async () => {
    const current = await aCprTrainer(chicagoToday());
    const ended = await aCprTrainer(addDays(chicagoToday(), -1));
    const asker = await signIn(app, await aUser(db, ['professional']));
    expect(
      (await asker.post(`/api/trainers/${current.user.id}/course-requests`, { region: 'Central', message: 'Please' }))
        .status,
    ).toBe(201);
    expect(
      (await asker.post(`/api/trainers/${ended.user.id}/course-requests`, { region: 'Central', message: 'Please' }))
        .status,
    ).toBe(404);
  });

  it('lets a trainer approved until today schedule, and not one whose approval ended yesterday', async () => {
    const day = addDays(chicagoToday(), 20);
    const sessions = [{ title: 'A', startsAt: `${day}T09:00:00-05:00`, endsAt: `${day}T11:00:00-05:00`, hours: 2 }];
    const schedule = async (lastDay: string) => {
      const trainer = await aCprTrainer(lastDay);
      const course = await aCourse(db, { trainer_user_id: trainer.user.id, delivery: 'in_person' });
      // No place: a trainer past the approval check is told the place is missing.
      return (await signIn(app, trainer)).post('/api/events', { courseId: course.id, capacity: 20, sessions });
    };
    const current = await schedule(chicagoToday());
    expect(current.status).toBe(400);
    expect(current.body.error.fields).toEqual([expect.objectContaining({ field: 'place' })]);
    const ended = await schedule(addDays(chicagoToday(), -1));
    expect(ended.status).toBe(403);
    expect(ended.body.error.message).toMatch(/approval has ended/);
  });
});
