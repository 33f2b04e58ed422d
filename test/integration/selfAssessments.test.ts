/** The self-assessment over HTTP (checked answers, history with change) and recommendations for a real person. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createEvent } from '../../db/events.js';
import { openDeadline } from '../../db/deadlines.js';
import { createOnlineCourses } from '../../services/onlineCourses.js';
import { offlinePaymentProvider } from '../../services/payments.js';
import { recordTraining } from '../../services/training.js';
import { addDays, localDateOf } from '../../rules/dates.js';
import { CURRENT_INSTRUMENT } from '../../rules/selfAssessment.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import type { TestDatabase } from '../support/database.js';
import type { ProfessionalRow } from '../../db/rows.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, anEmployment, anInstructorCertification, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, visitor } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('self-assessments');
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

/** Every statement answered `value`, except the areas given. */
function answers(value: number, byArea: Record<string, number> = {}) {
  return Object.fromEntries(
    CURRENT_INSTRUMENT.sections.flatMap((s) => s.statements.map((st) => [st.id, byArea[s.area] ?? value])),
  );
}

const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
const COLUMBIA = {
  addressLine: '1 Main St',
  city: 'Columbia',
  county: 'Boone',
  region: 'Central' as const,
  zip: '65201',
};
const ST_LOUIS = {
  addressLine: '9 Market St',
  city: 'St. Louis',
  county: 'St. Louis City',
  region: 'St. Louis' as const,
  zip: '63101',
};

describe('the self-assessment', () => {
  it('offers the instrument to anyone, one section per competency area', async () => {
    const { instrument } = (await (await visitor(app)).get('/api/self-assessment/instrument').expect(200)).body;
    expect(instrument.version).toBe('self-assessment.v1');
    expect(instrument.sections.find((s: { area: string }) => s.area === 'guidance')).toMatchObject({
      label: 'Guidance and positive behavior',
    });
  });

  it('speaks the signed-in person’s language: Spanish statements, scale and areas for a Spanish speaker, English for an English one', async () => {
    const spanish = await signIn(app, await aUser(database.db, ['professional']));
    await spanish.put('/api/me/language', { language: 'es' }).expect(200);
    const inSpanish = (await spanish.get('/api/self-assessment/instrument').expect(200)).body.instrument;
    const guidance = inSpanish.sections.find((s: { area: string }) => s.area === 'guidance');
    expect(guidance).toMatchObject({ label: 'Orientación y conducta positiva' });
    // The id stays the same in every language: answers are stored by it.
    expect(guidance.statements[0]).toEqual({
      id: 'guidance-calm',
      text: 'Mantengo la calma y el respeto cuando un niño está alterado o se porta mal.',
    });
    expect(inSpanish.scale[0]).toEqual({ value: 1, label: 'Todavía no' });
    expect(inSpanish).not.toHaveProperty('translations');

    const english = (
      await (
        await signIn(app, await aUser(database.db, ['professional']))
      )
        .get('/api/self-assessment/instrument')
        .expect(200)
    ).body.instrument;
    expect(english.sections.find((s: { area: string }) => s.area === 'guidance').statements[0]).toEqual({
      id: 'guidance-calm',
      text: 'I stay calm and respectful when a child is upset or acting out.',
    });
    expect(english.scale[0]).toEqual({ value: 1, label: 'Not yet' });
  });

  it('names each statement left unanswered or off the scale', async () => {
    const person = await aUser(database.db, ['professional']);
    const as = await signIn(app, person);
    const given: Record<string, unknown> = answers(3);
    delete given['guidance-calm'];
    given['curriculum-plan'] = 7;
    const refused = await as
      .post(`/api/professionals/${person.professionalId}/self-assessments`, { answers: given })
      .expect(400);
    expect(refused.body.error.fields).toEqual([
      { field: 'answers.curriculum-plan', message: "must be one of the scale's values, 1 to 4" },
      { field: 'answers.guidance-calm', message: 'must be answered' },
    ]);
    expect(
      await database.db('self_assessments').where({ professional_id: person.professionalId }).count({ n: '*' }),
    ).toEqual([{ n: 0 }]);
  });

  it('is taken by the person themself only', async () => {
    const person = await aUser(database.db, ['professional']);
    const someoneElse = await signIn(app, await aUser(database.db, ['professional']));
    await someoneElse
      .post(`/api/professionals/${person.professionalId}/self-assessments`, { answers: answers(3) })
      .expect(404);
    const reviewer = await signIn(app, await aUser(database.db, ['reviewer']));
    await reviewer
      .post(`/api/professionals/${person.professionalId}/self-assessments`, { answers: answers(3) })
      .expect(404);
  });

  it('answers strengths and growth areas, and on a retake the change in each area', async () => {
    const person = await aUser(database.db, ['professional']);
    const as = await signIn(app, person);
    const url = `/api/professionals/${person.professionalId}/self-assessments`;
    const first = (await as.post(url, { answers: answers(3, { guidance: 1, 'family-engagement': 4 }) }).expect(201))
      .body.selfAssessment;
    expect(first.profile).toMatchObject({ growthAreas: ['guidance'], strengths: ['family-engagement'] });
    expect(first.change).toBeNull();
    const second = (
      await as.post(url, { answers: answers(3, { guidance: 3, assessment: 2, 'family-engagement': 4 }) }).expect(201)
    ).body.selfAssessment;
    expect(second.profile.growthAreas).toEqual(['assessment']);
    expect(second.change.find((c: { area: string }) => c.area === 'guidance')).toEqual({
      area: 'guidance',
      label: 'Guidance and positive behavior',
      before: 1,
      after: 3,
      difference: 2,
    });

    const history = (await as.get(url).expect(200)).body.selfAssessments;
    expect(history.map((h: { id: number }) => h.id)).toEqual([second.id, first.id]);
    expect(history[0].change.find((c: { area: string }) => c.area === 'assessment')).toMatchObject({
      before: 3,
      after: 2,
      difference: -1,
    });
    expect(history[1].change).toBeNull();
    // The profile lists them too; a reviewer may read the history, another professional may not.
    expect(
      (await as.get(`/api/professionals/${person.professionalId}/profile`).expect(200)).body.selfAssessments,
    ).toHaveLength(2);
    await (await signIn(app, await aUser(database.db, ['reviewer']))).get(url).expect(200);
    await (await signIn(app, await aUser(database.db, ['professional']))).get(url).expect(404);
  });
});

/** A person hired ten days ago at a new program, with one open hire-date deadline on a topic of the same name. */
async function hiredTenDaysAgoWithDeadline(
  professionalId: number,
  program: Parameters<typeof anOrganization>[1],
  deadline: { requirement: string; label: string; dueAfterDays: number; remindInDays: number },
): Promise<{ professional: ProfessionalRow; hired: string }> {
  const { db } = database;
  const center = await anOrganization(db, program);
  const professional = await db('professionals').where({ id: professionalId }).first();
  const hired = addDays(localDateOf(new Date()), -10);
  const employment = await anEmployment(db, professional, center, hired);
  await openDeadline(db, {
    employment_id: employment.id,
    credential_id: null,
    professional_id: professional.id,
    organization_id: center.id,
    requirement: deadline.requirement,
    label: deadline.label,
    satisfied_by_topic: deadline.requirement,
    starts_on: hired,
    due_on: addDays(hired, deadline.dueAfterDays),
    remind_at: soon(deadline.remindInDays),
    overdue_at: soon(deadline.dueAfterDays - 9),
    workflow_id: `hire-deadline-test-${employment.id}`,
    rule_set: 'mopd-compliance',
    rule_set_version: 1,
  });
  return { professional, hired };
}

describe('recommendations', () => {
  it('explain each suggestion from the deadline, the hours still needed, the self-assessment, experience, distance, delivery, ratings and completion', async () => {
    const { db } = database;
    const today = localDateOf(new Date());
    const person = await aUser(db, ['professional']);
    await db('professionals').where({ id: person.professionalId }).update({ zip: '65203' });
    const { professional, hired } = await hiredTenDaysAgoWithDeadline(
      person.professionalId!,
      { licensed: true, serves_infants: true },
      {
        requirement: 'infant-safe-sleep',
        label: 'Infant safe-sleep training within 30 days of hire',
        dueAfterDays: 30,
        remindInDays: 10,
      },
    );
    const as = await signIn(app, person);
    await as
      .post(`/api/professionals/${person.professionalId}/self-assessments`, { answers: answers(3, { guidance: 1 }) })
      .expect(201);

    const sleep = await aCourse(db, { title: 'Safe Sleep for Infants', topic: 'infant-safe-sleep', clock_hours: 2 });
    const guidance = await aCourse(db, {
      title: 'Guidance Basics',
      topic: 'guidance',
      level: 'introductory',
      clock_hours: 3,
    });
    const farGuidance = await aCourse(db, {
      title: 'Guidance Far Away',
      topic: 'guidance',
      level: 'introductory',
      clock_hours: 3,
    });
    const taken = await aCourse(db, { title: 'Already Taken', topic: 'guidance' });
    const registered = await aCourse(db, { title: 'Already Registered', topic: 'guidance' });
    const sleepEvent = await createEvent(db, {
      course: sleep,
      capacity: 20,
      place: COLUMBIA,
      sessions: [{ startsAt: soon(5), endsAt: soon(5.1), hours: 2 }],
    });
    const guidanceEvent = await createEvent(db, {
      course: guidance,
      capacity: 20,
      place: COLUMBIA,
      sessions: [{ startsAt: soon(12), endsAt: soon(12.1), hours: 3 }],
    });
    const farEvent = await createEvent(db, {
      course: farGuidance,
      capacity: 20,
      place: ST_LOUIS,
      sessions: [{ startsAt: soon(12), endsAt: soon(12.1), hours: 3 }],
    });
    const full = await createEvent(db, {
      course: await aCourse(db, { title: 'Full Guidance', topic: 'guidance' }),
      capacity: 1,
      place: COLUMBIA,
      sessions: [{ startsAt: soon(8), endsAt: soon(8.1), hours: 3 }],
    });
    await createEvent(db, {
      course: await aCourse(db, { title: 'Guidance Next Spring', topic: 'guidance' }),
      capacity: 20,
      place: COLUMBIA,
      sessions: [{ startsAt: soon(120), endsAt: soon(120.1), hours: 3 }],
    });
    await createEvent(db, {
      course: taken,
      capacity: 20,
      place: COLUMBIA,
      sessions: [{ startsAt: soon(9), endsAt: soon(9.1), hours: 3 }],
    });
    const registeredEvent = await createEvent(db, {
      course: registered,
      capacity: 20,
      place: COLUMBIA,
      sessions: [{ startsAt: soon(9), endsAt: soon(9.1), hours: 3 }],
    });
    // Taken this year: 3 of the 12 licensing hours, leaving 9.
    await recordTraining(db, {
      professionalId: professional.id,
      courseId: taken.id,
      completedOn: today,
      source: 'attendance',
    });
    await db('registrations').insert({
      event_id: registeredEvent.id,
      professional_id: professional.id,
      status: 'registered',
    });
    const other = await aUser(db, ['professional']);
    await db('registrations').insert({
      event_id: full.id,
      professional_id: other.professionalId,
      status: 'registered',
    });

    // An online course in the growth area that three rated well and most who started finished.
    const author = await aUser(db, ['trainer']);
    const online = await aCourse(db, {
      title: 'Calm Classrooms Online',
      topic: 'guidance',
      delivery: 'online',
      clock_hours: 1,
      trainer_user_id: author.user.id,
    });
    await createOnlineCourses({ db, payments: offlinePaymentProvider({ secret: 'unused-here' }) }).saveContent({
      courseId: online.id,
      byUserId: author.user.id,
      content: {
        passMarkPercent: 100,
        modules: [{ title: 'Calm first', body: 'Breathe.' }],
        questions: [{ prompt: 'First?', choices: ['Calm', 'Loud'], correctChoice: 0 }],
      },
    });
    for (const [i, stars] of [5, 5, 4].entries()) {
      const rater = await aUser(db, ['professional']);
      const { record } = await recordTraining(db, {
        professionalId: rater.professionalId!,
        courseId: online.id,
        completedOn: addDays(today, -30 - i),
        source: 'online_course',
      });
      await db('training_ratings').insert({
        training_record_id: record.id,
        professional_id: rater.professionalId!,
        course_id: online.id,
        stars,
      });
      await db('enrollments').insert({
        course_id: online.id,
        professional_id: rater.professionalId!,
        status: 'completed',
        registered_on: addDays(today, -40),
        started_at: soon(-40),
        completed_at: soon(-30),
        training_record_id: record.id,
      });
    }
    const dropout = await aUser(db, ['professional']);
    await db('enrollments').insert({
      course_id: online.id,
      professional_id: dropout.professionalId!,
      status: 'in_progress',
      registered_on: addDays(today, -40),
      started_at: soon(-40),
    });

    const answer = (
      await as.get(`/api/professionals/${person.professionalId}/recommendations?delivery=online`).expect(200)
    ).body;
    const byTitle = new Map<string, { kind: string; id: number; reasons: Array<{ source: string; text: string }> }>(
      answer.recommendations.map((r: { title: string }) => [r.title, r]),
    );
    const titles = answer.recommendations.map((r: { title: string }) => r.title);
    expect(titles[0]).toBe('Safe Sleep for Infants');
    for (const left of ['Already Taken', 'Already Registered', 'Full Guidance', 'Guidance Next Spring'])
      expect(titles).not.toContain(left);
    expect(titles.indexOf('Guidance Basics')).toBeLessThan(titles.indexOf('Guidance Far Away'));

    const reasons = (title: string) => byTitle.get(title)!.reasons.map((r) => r.text);
    expect(byTitle.get('Safe Sleep for Infants')).toMatchObject({ kind: 'event', id: sleepEvent.id });
    expect(reasons('Safe Sleep for Infants')).toContain(
      `Due by ${addDays(hired, 30)}: Infant safe-sleep training within 30 days of hire`,
    );
    expect(
      reasons('Safe Sleep for Infants').some((t) =>
        /^2 hours toward Licensing: 12 clock hours each calendar year for \d{4}: 9 hours still to go/.test(t),
      ),
    ).toBe(true);
    expect(byTitle.get('Guidance Basics')).toMatchObject({ kind: 'event', id: guidanceEvent.id });
    expect(reasons('Guidance Basics')).toEqual(
      expect.arrayContaining([
        'A growth area in your self-assessment: Guidance and positive behavior',
        'Introductory — suited to your first years',
      ]),
    );
    expect(reasons('Guidance Basics').some((t) => /^\d miles? from you$/.test(t))).toBe(true);
    expect(byTitle.get('Guidance Far Away')!.id).toBe(farEvent.id);
    expect(byTitle.get('Calm Classrooms Online')).toMatchObject({ kind: 'online_course', id: online.id });
    expect(reasons('Calm Classrooms Online')).toEqual(
      expect.arrayContaining([
        'Online, as you prefer',
        'Rated 4.7 of 5 by 3 participants',
        'Finished by 3 of 4 who started it (75%)',
      ]),
    );
    for (const r of answer.recommendations) expect(r.reasons.length).toBeGreaterThan(0);
    expect(answer.basis).toMatchObject({
      growthAreas: ['guidance'],
      experienceStage: 'newcomer',
      zip: '65203',
      delivery: 'online',
    });

    // Asked from elsewhere, distance follows the ZIP code given; an unknown one is named.
    const fromStLouis = (
      await as.get(`/api/professionals/${person.professionalId}/recommendations?zip=63103`).expect(200)
    ).body;
    const stl = fromStLouis.recommendations.map((r: { title: string }) => r.title);
    expect(stl.indexOf('Guidance Far Away')).toBeLessThan(stl.indexOf('Guidance Basics'));
    const unknown = await as.get(`/api/professionals/${person.professionalId}/recommendations?zip=99999`).expect(400);
    expect(unknown.body.error.fields).toEqual([{ field: 'zip', message: 'is not a Missouri ZIP code we know' }]);
    await (
      await signIn(app, await aUser(db, ['professional']))
    )
      .get(`/api/professionals/${person.professionalId}/recommendations`)
      .expect(404);
  });

  it('count toward hours and deadlines only what the rule set would credit', async () => {
    const { db } = database;
    const reasonOf = (ruleId: string) =>
      (shippedRuleSets[0]!.rules.find((r) => r.id === ruleId)!.event.params as { reason: string }).reason;
    const person = await aUser(db, ['professional']);
    const { hired } = await hiredTenDaysAgoWithDeadline(
      person.professionalId!,
      { licensed: true },
      {
        requirement: 'cpr-first-aid',
        label: 'CPR/First Aid within 90 days of hire',
        dueAfterDays: 90,
        remindInDays: 60,
      },
    );

    const trainer = await aUser(db, ['trainer']);
    await anInstructorCertification(db, trainer.user.id, 'American Red Cross');
    const cpr = { topic: 'cpr-first-aid', cpr_model: 'American Red Cross' };
    const blended = await aCourse(db, {
      ...cpr,
      title: 'CPR Blended Skills',
      delivery: 'blended',
      clock_hours: 3,
      in_person_hours: 1.5,
    });
    const blendedEvent = await createEvent(db, {
      course: blended,
      trainerUserId: trainer.user.id,
      capacity: 20,
      place: COLUMBIA,
      sessions: [{ startsAt: soon(6), endsAt: soon(6.1), hours: 3 }],
    });
    // In person, but its trainer has no instructor certification on file: attendance there earns nothing.
    const uncertified = await aCourse(db, { ...cpr, title: 'CPR Without Certified Trainer', clock_hours: 3 });
    await createEvent(db, {
      course: uncertified,
      trainerUserId: (await aUser(db, ['trainer'])).user.id,
      capacity: 20,
      place: COLUMBIA,
      sessions: [{ startsAt: soon(7), endsAt: soon(7.1), hours: 3 }],
    });
    const author = await aUser(db, ['trainer']);
    const onlineOnly = await aCourse(db, {
      ...cpr,
      title: 'CPR Entirely Online',
      delivery: 'online',
      clock_hours: 2,
      trainer_user_id: author.user.id,
    });
    await createOnlineCourses({ db, payments: offlinePaymentProvider({ secret: 'unused-here' }) }).saveContent({
      courseId: onlineOnly.id,
      byUserId: author.user.id,
      content: {
        passMarkPercent: 100,
        modules: [{ title: 'Compressions', body: 'Push hard, push fast.' }],
        questions: [{ prompt: 'Rate?', choices: ['100-120', '60'], correctChoice: 0 }],
      },
    });

    // Asked for online training, so only the credit decision can keep the online-only course out.
    const as = await signIn(app, person);
    const answer = (
      await as.get(`/api/professionals/${person.professionalId}/recommendations?delivery=online`).expect(200)
    ).body;
    const byTitle = new Map<
      string,
      { id: number; creditedHours: number; creditNote: string | null; reasons: Array<{ source: string; text: string }> }
    >(answer.recommendations.map((r: { title: string }) => [r.title, r]));
    expect(byTitle.has('CPR Entirely Online')).toBe(false);
    expect(byTitle.has('CPR Without Certified Trainer')).toBe(false);
    const suggested = byTitle.get('CPR Blended Skills')!;
    expect(suggested).toMatchObject({
      id: blendedEvent.id,
      creditedHours: 1.5,
      creditNote: `Counts for 1.5 of its 3 hours: ${reasonOf('credit.cpr-blended-in-person-part-only')}`,
    });
    const reasons = suggested.reasons.map((r) => r.text);
    expect(reasons).toContain(`Due by ${addDays(hired, 90)}: CPR/First Aid within 90 days of hire`);
    expect(
      reasons.some((t) =>
        /^1\.5 of its 3 hours toward Licensing: 12 clock hours each calendar year for \d{4}: /.test(t),
      ),
    ).toBe(true);
  });
});
