/**
 * Online courses over HTTP against PostgreSQL: modules and progress, the knowledge check, credit
 * at completion under each online-course rule, the fee through the offline payment provider,
 * and authoring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { offlinePaymentProvider } from '../../services/payments.js';
import { createOnlineCourses, type CourseContent } from '../../services/onlineCourses.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn, type Session } from '../support/app.js';
import { binary, pdfTextOf } from '../support/pdf.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;
// The app under test uses the offline provider with its session secret; this one signs like it.
const SECRET = 'online-courses-test-secret-at-least-32-characters';
const provider = offlinePaymentProvider({ secret: SECRET });
// The service's clock, moved by the tests: time spent in a course is what the server measures.
// It does not follow the wall clock (a slow request on a busy machine would add a second to what
// a test expects): it starts now and moves only by `advance`, plus a millisecond per reading so
// that moments stay in the order they were read.
const clockStartMs = Date.now();
let clockReadings = 0;
let clockOffsetMs = 0;
const advance = (ms: number) => {
  clockOffsetMs += ms;
};

beforeAll(async () => {
  http = await startHttpApp('online-courses', {
    sessionSecret: SECRET,
    payments: provider,
    clock: () => new Date(clockStartMs + clockOffsetMs + clockReadings++),
  });
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

const content: CourseContent = {
  passMarkPercent: 75,
  modules: [
    { title: 'Why safe sleep matters', body: 'Babies sleep on their backs.\n\nNothing soft in the crib.' },
    {
      title: 'Watch: a safe crib',
      body: 'Watch the video.',
      videoUrl: 'https://media.example/crib.mp4',
      captionsUrl: 'https://media.example/crib.en.vtt',
      transcript: 'A firm, flat mattress and a fitted sheet.',
    },
  ],
  questions: [
    {
      prompt: 'How should a baby be laid down to sleep?',
      choices: ['On the stomach', 'On the back', 'On the side'],
      correctChoice: 1,
    },
    {
      prompt: 'What belongs in the crib?',
      choices: ['Bumpers', 'Blankets', 'Nothing but a fitted sheet'],
      correctChoice: 2,
    },
    { prompt: 'Is a car seat a safe place for sleep?', choices: ['Yes', 'No'], correctChoice: 1 },
    { prompt: 'Room sharing is recommended for', choices: ['Never', 'The first months'], correctChoice: 1 },
  ],
};
const right = [1, 2, 1, 1];

/** A 2-hour course whose approved minimum time is 1 minute (30 s per module), so tests move the clock little. */
async function anOnlineCourse(
  over: { sponsor?: string; fee_cents?: number; title?: string; minimum_minutes?: number } = {},
) {
  const { db } = database;
  const author = await aUser(db, ['trainer']);
  const course = await aCourse(db, {
    title: over.title ?? 'Infant Safe Sleep Online',
    delivery: 'online',
    topic: 'infant-safe-sleep',
    clock_hours: 2,
    minimum_minutes: over.minimum_minutes ?? 1,
    sponsor: over.sponsor ?? 'DESE OOC',
    fee_cents: over.fee_cents ?? 0,
    trainer_user_id: author.user.id,
  });
  await createOnlineCourses({ db, payments: provider }).saveContent({
    courseId: course.id,
    content,
    byUserId: author.user.id,
  });
  return { course, author };
}

async function aLearner(): Promise<{ as: Session; professionalId: number }> {
  const learner = await aUser(database.db, ['professional']);
  return { as: await signIn(app, learner), professionalId: learner.professionalId! };
}

/** Opens a module, stays on it pinging every 15 s for `seconds`, and marks it done. */
async function studyModule(as: Session, enrollmentId: number, moduleId: number, seconds = 30) {
  await as.post(`/api/enrollments/${enrollmentId}/modules/${moduleId}/engagement`).expect(200);
  for (let spent = 0; spent < seconds; spent += 15) {
    advance(15_000);
    await as.post(`/api/enrollments/${enrollmentId}/modules/${moduleId}/engagement`).expect(200);
  }
  await as.post(`/api/enrollments/${enrollmentId}/modules/${moduleId}/complete`).expect(200);
}

/** Enrolls, works through every module and passes the knowledge check. */
async function takeCourse(as: Session, courseId: number) {
  const { enrollmentId } = (await as.post(`/api/online-courses/${courseId}/enrollments`).expect(201)).body;
  const { modules } = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
  for (const m of modules) await studyModule(as, enrollmentId, m.id);
  const result = (await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(200))
    .body;
  return { enrollmentId, result };
}

describe('taking an online course', () => {
  it('keeps progress per module, resumes where the learner left off, and completes with credit at once on a pass', async () => {
    const { db } = database;
    const { course } = await anOnlineCourse();
    const { as, professionalId } = await aLearner();
    const outline = (await request(app).get(`/api/online-courses/${course.id}`).expect(200)).body;
    expect(outline.course).toMatchObject({ ready: true, passMarkPercent: 75, clockHours: 2 });
    expect(outline.modules[1]).toMatchObject({ title: 'Watch: a safe crib', hasVideo: true });

    const { enrollmentId } = (await as.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    // A second click enrolls nobody twice.
    expect((await as.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body.enrollmentId).toBe(
      enrollmentId,
    );
    let view = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    expect(view.enrollment.status).toBe('in_progress');
    expect(view.modules[1]).toMatchObject({
      captionsUrl: 'https://media.example/crib.en.vtt',
      transcript: 'A firm, flat mattress and a fitted sheet.',
    });
    expect(view.questions[0]).toEqual({
      id: expect.any(Number),
      prompt: 'How should a baby be laid down to sleep?',
      choices: ['On the stomach', 'On the back', 'On the side'],
    });
    expect(JSON.stringify(view.questions)).not.toContain('correct');

    const early = await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(400);
    expect(early.body.error.message).toMatch(/2 still to go/);
    await studyModule(as, enrollmentId, view.modules[0].id);
    view = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    expect(view.resumeModuleId).toBe(view.modules[1].id);
    expect(view.modules.map((m: { done: boolean }) => m.done)).toEqual([true, false]);
    await studyModule(as, enrollmentId, view.modules[1].id);

    const failed = (
      await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: [0, 2, 1, 0] }).expect(200)
    ).body;
    expect(failed).toMatchObject({ passed: false, scorePercent: 50 });
    expect(failed.enrollment.enrollment.status).toBe('in_progress');
    const wrongCount = await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: [1] }).expect(400);
    expect(wrongCount.body.error.fields[0].field).toBe('answers');
    advance(10 * 60_000);

    const passed = (await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(200))
      .body;
    expect(passed).toMatchObject({ passed: true, scorePercent: 100 });
    expect(passed.enrollment.enrollment.status).toBe('completed');
    expect(passed.enrollment.record).toMatchObject({ hours: 2, creditedHours: 2, reasons: [], timeSpentMinutes: 1 });
    const records = await db('training_records').where({ professional_id: professionalId });
    expect(records.map((r) => [r.source, Number(r.credited_hours)])).toEqual([['online_course', 2]]);
    expect(records[0].started_at).not.toBeNull();
    expect(await db('compliance_results').where({ professional_id: professionalId }).first()).toBeDefined();

    // Answering again after completion records nothing more.
    expect(
      (await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(200)).body
        .alreadyCompleted,
    ).toBe(true);
    expect(await db('training_records').where({ professional_id: professionalId }).count('* as n')).toEqual([{ n: 1 }]);
  });

  it('a DESE course earns clock hours once per calendar year', async () => {
    const { db } = database;
    const { course } = await anOnlineCourse();
    const { as, professionalId } = await aLearner();
    await takeCourse(as, course.id);
    const second = await takeCourse(as, course.id);
    expect(second.result.enrollment.record).toMatchObject({ hours: 2, creditedHours: 0 });
    expect(second.result.enrollment.record.reasons.map((r: { code: string }) => r.code)).toEqual([
      'dese-course-already-credited-this-year',
    ]);
    expect(
      (await db('training_records').where({ professional_id: professionalId }).orderBy('id')).map((r) =>
        Number(r.credited_hours),
      ),
    ).toEqual([2, 0]);
  });

  it('a DESE course completed after Dec 31 of the year registered earns nothing', async () => {
    const { db } = database;
    const { course } = await anOnlineCourse();
    const { as } = await aLearner();
    const { enrollmentId } = (await as.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    const lastYear = `${new Date().getFullYear() - 1}-12-15`;
    await db('enrollments')
      .where({ id: enrollmentId })
      .update({ registered_on: lastYear, started_at: new Date(`${lastYear}T15:00:00Z`) });
    const view = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    for (const m of view.modules) await studyModule(as, enrollmentId, m.id);
    const result = (await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(200))
      .body;
    expect(result.enrollment.record.creditedHours).toBe(0);
    expect(result.enrollment.record.reasons.map((r: { code: string }) => r.code)).toEqual([
      'dese-course-completed-after-year-end',
    ]);
  });

  it('one at a time: a second DESE course cannot start while one is in progress, and a completion overlapping another course earns nothing', async () => {
    const { course: first } = await anOnlineCourse({ title: 'Safe Sleep A' });
    const { course: second } = await anOnlineCourse({ title: 'Safe Sleep B' });
    const { course: other } = await anOnlineCourse({
      title: 'Family Engagement Online',
      sponsor: 'Child Care Aware of Missouri',
    });
    const { as } = await aLearner();
    const { enrollmentId } = (await as.post(`/api/online-courses/${first.id}/enrollments`).expect(201)).body;
    const refused = await as.post(`/api/online-courses/${second.id}/enrollments`).expect(409);
    expect(refused.body.error.message).toMatch(/one at a time/);

    // Another sponsor's course is not limited by that rule; but taking it alongside costs the DESE course its credit.
    await as.post(`/api/online-courses/${other.id}/enrollments`).expect(201);
    const view = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    for (const m of view.modules) await studyModule(as, enrollmentId, m.id);
    const result = (await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(200))
      .body;
    expect(result.enrollment.record.creditedHours).toBe(0);
    expect(result.enrollment.record.reasons.map((r: { code: string }) => r.code)).toEqual([
      'dese-course-overlapped-another',
    ]);

    // Withdrawing from the other course frees the way for the next DESE course.
    const mine = (await as.get('/api/my/enrollments').expect(200)).body.enrollments;
    const otherEnrollment = mine.find((e: { courseId: number }) => e.courseId === other.id);
    await as.post(`/api/enrollments/${otherEnrollment.id}/withdraw`).expect(200);
    await as.post(`/api/online-courses/${second.id}/enrollments`).expect(201);
  });

  it('only the learner sees their enrollment', async () => {
    const { course } = await anOnlineCourse();
    const { as } = await aLearner();
    const { enrollmentId } = (await as.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    const { as: someoneElse } = await aLearner();
    await someoneElse.get(`/api/enrollments/${enrollmentId}`).expect(404);
    await someoneElse.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(404);
    const { modules } = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    await someoneElse.post(`/api/enrollments/${enrollmentId}/modules/${modules[0].id}/engagement`).expect(404);
  });
});

describe('time spent (clock hours reflect it)', () => {
  it('a module is done only after its share of the minimum time, as the server measured it: bursts, idle gaps and other modules add nothing', async () => {
    const { db } = database;
    const { course } = await anOnlineCourse({ minimum_minutes: 2 });
    const { as } = await aLearner();
    const { enrollmentId } = (await as.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    const { modules } = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    const [first, second] = modules.map((m: { id: number }) => m.id);
    const ping = (moduleId: number) =>
      as.post(`/api/enrollments/${enrollmentId}/modules/${moduleId}/engagement`).expect(200);

    expect((await ping(first)).body).toEqual({ moduleId: first, engagedSeconds: 0, requiredSeconds: 60 });
    const tooSoon = await as.post(`/api/enrollments/${enrollmentId}/modules/${first}/complete`).expect(409);
    expect(tooSoon.body.error.message).toMatch(/Spend about 1 more minute/);
    // Twenty pings at once (a script, or many tabs) share one clock: no time passed, none counts.
    await Promise.all(Array.from({ length: 20 }, () => ping(first)));
    // A tab left alone for ten minutes without pinging: the next ping starts the clock again.
    advance(10 * 60_000);
    expect((await ping(first)).body.engagedSeconds).toBe(0);
    // A late ping counts at most two intervals.
    advance(45_000);
    expect((await ping(first)).body.engagedSeconds).toBe(30);
    // Switching modules starts the clock on the new one; time is never counted twice.
    advance(15_000);
    expect((await ping(second)).body.engagedSeconds).toBe(0);
    advance(15_000);
    expect((await ping(first)).body.engagedSeconds).toBe(30);
    for (let i = 0; i < 2; i += 1) {
      advance(15_000);
      await ping(first);
    }
    await as.post(`/api/enrollments/${enrollmentId}/modules/${first}/complete`).expect(200);
    const view = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    expect(view.modules.map((m: { done: boolean; engagedSeconds: number }) => [m.done, m.engagedSeconds])).toEqual([
      [true, 60],
      [false, 0],
    ]);
    expect(view.course.minimumMinutes).toBe(2);
    expect(await db('module_progress').where({ enrollment_id: enrollmentId }).count('* as n')).toEqual([{ n: 1 }]);
  });

  it('the knowledge check allows three attempts with a wait between them, and its answers never reach the browser', async () => {
    const { db } = database;
    const { course } = await anOnlineCourse();
    const { as } = await aLearner();
    const { enrollmentId } = (await as.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    const { modules } = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    for (const m of modules) await studyModule(as, enrollmentId, m.id);
    const wrong = [0, 0, 0, 0];

    expect(
      (await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: wrong }).expect(200)).body.passed,
    ).toBe(false);
    const again = await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(409);
    expect(again.body.error.message).toMatch(/try again in about 10 minute/);
    let view = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    expect(view.knowledgeCheck).toEqual({ attemptsAllowed: 3, attemptsLeft: 2, nextAttemptAt: expect.any(String) });
    for (let i = 0; i < 2; i += 1) {
      advance(10 * 60_000);
      await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: wrong }).expect(200);
    }
    advance(10 * 60_000);
    const spent = await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(409);
    expect(spent.body.error.message).toMatch(/used all 3 attempts/);
    expect(await db('knowledge_check_attempts').where({ enrollment_id: enrollmentId }).count('* as n')).toEqual([
      { n: 3 },
    ]);
    view = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    expect(view.enrollment.status).toBe('in_progress');
    expect(view.knowledgeCheck.attemptsLeft).toBe(0);
    // Nothing the learner's browser receives carries the right choices.
    expect(JSON.stringify(view)).not.toMatch(/correct/i);
    expect(JSON.stringify((await as.get(`/api/online-courses/${course.id}`).expect(200)).body)).not.toMatch(/correct/i);
  });

  it('a course cannot be completed before its minimum time, which defaults to its clock hours; the transcript shows the time spent', async () => {
    const { db } = database;
    const { course } = await anOnlineCourse();
    await db('courses').where({ id: course.id }).update({ minimum_minutes: null });
    const { as, professionalId } = await aLearner();
    const { enrollmentId } = (await as.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    const view = (await as.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    expect(view.course.minimumMinutes).toBe(120);
    expect(view.modules[0].requiredSeconds).toBe(3600);
    // Fifty minutes on the first module are not enough to mark it done, let alone take the check.
    await as.post(`/api/enrollments/${enrollmentId}/modules/${view.modules[0].id}/engagement`).expect(200);
    for (let i = 0; i < 200; i += 1) {
      advance(15_000);
      await as.post(`/api/enrollments/${enrollmentId}/modules/${view.modules[0].id}/engagement`).expect(200);
    }
    await as.post(`/api/enrollments/${enrollmentId}/modules/${view.modules[0].id}/complete`).expect(409);
    await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(400);

    // With the course's minimum met the record keeps the time spent, and the transcript shows it.
    await db('courses').where({ id: course.id }).update({ minimum_minutes: 1 });
    await as.post(`/api/enrollments/${enrollmentId}/modules/${view.modules[0].id}/complete`).expect(200);
    await studyModule(as, enrollmentId, view.modules[1].id);
    // The whole course's minimum is checked again at the knowledge check (here raised after the modules were done).
    await db('courses').where({ id: course.id }).update({ minimum_minutes: 60 });
    const short = await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(409);
    expect(short.body.error.message).toMatch(/takes at least 60 minutes; about 10 to go/);
    await db('courses').where({ id: course.id }).update({ minimum_minutes: 1 });
    await as.post(`/api/enrollments/${enrollmentId}/knowledge-check`, { answers: right }).expect(200);
    const transcript = (await as.get(`/api/professionals/${professionalId}/transcript`).expect(200)).body;
    expect(
      transcript.trainingRecords.map((r: { title: string; time_spent_minutes: number }) => [
        r.title,
        r.time_spent_minutes,
      ]),
    ).toEqual([['Infant Safe Sleep Online', 50.5]]);
    const pdf = await as
      .get(`/api/professionals/${professionalId}/transcript?format=pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(await pdfTextOf(pdf.body as Buffer)).toContain('Time spent: 50.5 min');
    const csv = await as.get(`/api/professionals/${professionalId}/transcript?format=csv`).expect(200);
    expect(csv.text.trim().split('\n')[1]).toMatch(/,50\.5$/);
  });
});

describe('course fees', () => {
  it('a paid course starts only when the payment provider confirms payment; forged notifications are refused', async () => {
    const { db } = database;
    const { course } = await anOnlineCourse({ fee_cents: 500, sponsor: 'DESE OOC', title: 'Nutrition Online' });
    const { as } = await aLearner();
    const enrolled = (await as.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    expect(enrolled.status).toBe('awaiting_payment');
    expect(enrolled.checkoutUrl).toMatch(/^\/payments\/offline\/offline_/);
    const view = (await as.get(`/api/enrollments/${enrolled.enrollmentId}`).expect(200)).body;
    expect(view.modules[0].body).toBeUndefined();
    expect(view.payment).toEqual({ status: 'pending', amountCents: 500 });
    await as.post(`/api/enrollments/${enrolled.enrollmentId}/modules/${view.modules[0].id}/complete`).expect(409);

    const payment = (await db('payments').where({ enrollment_id: enrolled.enrollmentId }).first())!;
    // A notification not signed by the provider changes nothing.
    const forged = JSON.stringify({ providerReference: payment.provider_reference, outcome: 'paid', amountCents: 500 });
    await request(app)
      .post('/api/payments/offline/notifications')
      .set('content-type', 'application/json')
      .set('x-payment-signature', 'f'.repeat(64))
      .send(forged)
      .expect(403);
    // A signed one for the wrong amount neither.
    const short = provider.sign({ providerReference: payment.provider_reference, outcome: 'paid', amountCents: 1 });
    await request(app)
      .post('/api/payments/offline/notifications')
      .set('x-payment-signature', short.signature)
      .set('content-type', 'application/json')
      .send(short.rawBody)
      .expect(400);
    expect((await db('enrollments').where({ id: enrolled.enrollmentId }).first())?.status).toBe('awaiting_payment');

    // The provider's checkout page, and paying there.
    const checkout = new URL(enrolled.checkoutUrl, 'http://mopd.test');
    const page = await request(app)
      .get(checkout.pathname + checkout.search)
      .expect(200);
    expect(page.text).toContain('Pay $5.00');
    const paid = await request(app)
      .post(checkout.pathname + checkout.search)
      .type('form')
      .send({ outcome: 'paid' })
      .expect(303);
    expect(paid.headers.location).toBe(`/learn/${course.id}?payment=paid`);
    expect((await db('enrollments').where({ id: enrolled.enrollmentId }).first())?.status).toBe('in_progress');
    expect((await db('payments').where({ id: payment.id }).first())?.status).toBe('paid');
    // The provider repeating its notification changes nothing.
    const again = provider.sign({ providerReference: payment.provider_reference, outcome: 'paid', amountCents: 500 });
    expect(
      (
        await request(app)
          .post('/api/payments/offline/notifications')
          .set('x-payment-signature', again.signature)
          .set('content-type', 'application/json')
          .send(again.rawBody)
          .expect(200)
      ).body.status,
    ).toBe('paid');
    expect(
      await db('audit_log')
        .where({ action: 'payment.paid', entity_id: String(payment.id) })
        .count('* as n'),
    ).toEqual([{ n: 1 }]);
  });
});

describe('authoring', () => {
  it('the course’s author edits content; videos need captions and a transcript; progress survives an edit', async () => {
    const { db } = database;
    const { course, author } = await anOnlineCourse({ sponsor: 'Child Care Aware of Missouri' });
    const as = await signIn(app, author);
    const current = (await as.get(`/api/courses/${course.id}/content`).expect(200)).body;
    expect(current.questions[0].correctChoice).toBe(1);

    const uncaptioned = structuredClone(current);
    uncaptioned.modules[1].captionsUrl = null;
    const refused = await as
      .put(`/api/courses/${course.id}/content`, {
        passMarkPercent: current.passMarkPercent,
        modules: uncaptioned.modules,
        questions: current.questions,
      })
      .expect(400);
    expect(refused.body.error.fields.map((f: { field: string }) => f.field)).toEqual(['modules.1.captionsUrl']);

    const { as: learner } = await aLearner();
    const { enrollmentId } = (await learner.post(`/api/online-courses/${course.id}/enrollments`).expect(201)).body;
    await studyModule(learner, enrollmentId, current.modules[0].id);

    const edited = {
      passMarkPercent: 80,
      modules: [
        { ...current.modules[0], title: 'Why safe sleep matters (updated)' },
        current.modules[1],
        { title: 'Handing over to families', body: 'Share the plan.' },
      ],
      questions: current.questions,
    };
    const saved = (await as.put(`/api/courses/${course.id}/content`, edited).expect(200)).body;
    expect(saved.modules.map((m: { title: string }) => m.title)).toEqual([
      'Why safe sleep matters (updated)',
      'Watch: a safe crib',
      'Handing over to families',
    ]);
    const view = (await learner.get(`/api/enrollments/${enrollmentId}`).expect(200)).body;
    expect(view.modules.map((m: { done: boolean }) => m.done)).toEqual([true, false, false]);
    expect(
      await db('audit_log')
        .where({ action: 'course.content_saved', entity_id: String(course.id) })
        .count('* as n'),
    ).toEqual([{ n: 2 }]);

    // A handout: the author uploads it; learners who have started the course download it, nobody else.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const handout = (
      await as.agent
        .post('/api/uploads')
        .set('x-csrf-token', as.csrf)
        .field('purpose', 'document')
        .attach('file', pdf, 'plan.pdf')
        .expect(201)
    ).body.upload.id;
    const withHandout = {
      ...edited,
      modules: saved.modules.map((m: object, i: number) => (i === 2 ? { ...m, handoutUploadId: handout } : m)),
    };
    await as.put(`/api/courses/${course.id}/content`, withHandout).expect(200);
    await learner.get(`/api/uploads/${handout}`).expect(200);
    const { as: notEnrolled } = await aLearner();
    await notEnrolled.get(`/api/uploads/${handout}`).expect(404);

    const stranger = await signIn(app, await aUser(db, ['trainer']));
    await stranger.get(`/api/courses/${course.id}/content`).expect(404);
    await stranger.put(`/api/courses/${course.id}/content`, edited).expect(404);
  });
});
