/**
 * Fifty at once, against the real API and PostgreSQL: the last seat, the same online course
 * completed twice, the same payment notified again and again — exactly one winner each time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { createEvent } from '../../db/events.js';
import { offlinePaymentProvider } from '../../services/payments.js';
import { createOnlineCourses } from '../../services/onlineCourses.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn, type Session } from '../support/app.js';

const SECRET = 'races-test-secret-of-at-least-32-characters';
const provider = offlinePaymentProvider({ secret: SECRET });
let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('races', { sessionSecret: SECRET, payments: provider });
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

const people = async (n: number): Promise<Session[]> => {
  const sessions: Session[] = [];
  for (let i = 0; i < n; i++) sessions.push(await signIn(app, await aUser(database.db, ['professional'])));
  return sessions;
};

describe('fifty at once', () => {
  it('fifty people ask for the last seat: one seat, forty-nine waiting, in order', async () => {
    const course = await aCourse(database.db, { delivery: 'online' });
    const soon = Date.now() + 5 * 86_400_000;
    const event = await createEvent(database.db, {
      course,
      capacity: 1,
      onlineUrl: 'https://meet.example/r',
      sessions: [{ startsAt: new Date(soon), endsAt: new Date(soon + 3_600_000), hours: 1 }],
    });
    const crowd = await people(50);
    const answers = await Promise.all(crowd.map((p) => p.post(`/api/events/${event.id}/registrations`)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    const statuses = answers.map((a) => a.body.registration.status);
    expect(statuses.filter((s) => s === 'registered')).toHaveLength(1);
    expect(
      answers
        .filter((a) => a.body.registration.status === 'waitlisted')
        .map((a) => a.body.registration.waitlistPosition)
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
    expect((await database.db('events').where({ id: event.id }).first())?.seats_taken).toBe(1);
  });

  it('the same online course passed twice at once records one training', async () => {
    const author = await aUser(database.db, ['trainer']);
    const course = await aCourse(database.db, {
      delivery: 'online',
      sponsor: 'Child Care Aware of Missouri',
      clock_hours: 1,
      trainer_user_id: author.user.id,
    });
    await createOnlineCourses({ db: database.db, payments: provider }).saveContent({
      courseId: course.id,
      byUserId: author.user.id,
      content: {
        passMarkPercent: 100,
        modules: [{ title: 'Only module', body: 'Read me.' }],
        questions: [{ prompt: 'Yes?', choices: ['No', 'Yes'], correctChoice: 1 }],
      },
    });
    const [learner] = await people(1);
    const { enrollmentId } = (await learner!.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    const { modules } = (await learner!.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    // The hour the course takes, as the server would have counted it from the page's pings.
    await database
      .db('module_engagement')
      .insert({ enrollment_id: enrollmentId, module_id: modules[0].id, opened_at: new Date(), engaged_ms: 3_600_000 });
    await learner!.post(`/api/enrollments/${enrollmentId}/modules/${modules[0].id}/complete`).expect(200);
    const passes = await Promise.all(
      Array.from({ length: 10 }, () =>
        learner!.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: [1] }),
      ),
    );
    expect(passes.map((p) => p.status)).toEqual(Array(10).fill(200));
    expect(passes.filter((p) => p.body.alreadyCompleted === false)).toHaveLength(1);
    expect(await database.db('training_records').where({ course_id: course.id }).count('* as n')).toEqual([{ n: 1 }]);
  });

  it('fifty copies of the provider’s “paid” settle the payment once', async () => {
    const author = await aUser(database.db, ['trainer']);
    const course = await aCourse(database.db, { delivery: 'online', fee_cents: 500, trainer_user_id: author.user.id });
    await createOnlineCourses({ db: database.db, payments: provider }).saveContent({
      courseId: course.id,
      byUserId: author.user.id,
      content: {
        passMarkPercent: 100,
        modules: [{ title: 'M', body: 'B' }],
        questions: [{ prompt: 'Q', choices: ['a', 'b'], correctChoice: 0 }],
      },
    });
    const [learner] = await people(1);
    const { enrollmentId } = (await learner!.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    const payment = (await database.db('payments').where({ enrollment_id: enrollmentId }).first())!;
    const paid = provider.sign({ providerReference: payment.provider_reference, outcome: 'paid', amountCents: 500 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(app)
          .post('/api/payments/offline/notifications')
          .set('content-type', 'application/json')
          .set('x-payment-signature', paid.signature)
          .send(paid.rawBody),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(
      await database
        .db('audit_log')
        .where({ action: 'payment.paid', entity_id: String(payment.id) })
        .count('* as n'),
    ).toEqual([{ n: 1 }]);
    expect((await database.db('enrollments').where({ id: enrollmentId }).first())?.status).toBe('in_progress');
  });
});
