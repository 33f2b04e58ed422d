/**
 * Rating completed training: one's own records only, 1–5 stars; a course's ratings shown without
 * names once there are enough, in the catalog to those signed in, and to reviewers on the cases
 * of the trainer who gives the course.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { recordTraining } from '../../services/training.js';
import { createCase } from '../../db/cases.js';
import { createEvent } from '../../db/events.js';
import type { CaseType } from '../../rules/domain.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn, visitor } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('ratings');
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

async function aParticipant(courseId: number, eventId?: number) {
  const user = await aUser(database.db, ['professional']);
  const { record } = await recordTraining(database.db, {
    professionalId: user.professionalId!,
    courseId,
    eventId,
    completedOn: '2026-10-01',
    source: 'attendance',
  });
  return { as: await signIn(app, user), recordId: record.id };
}

/** A case as submitted (its workflow is not started: only reading it matters here). */
const aCase = (type: CaseType, applicantUserId: number, submission: object) =>
  database.db.transaction((trx) =>
    createCase(trx, {
      type,
      applicantUserId,
      title: 'A case',
      submission,
      documents: [],
      ruleSet: 'mopd-compliance',
      ruleSetVersion: 1,
      workflowIdOf: (id) => `case-not-started-${id}`,
    }),
  );

describe('ratings', () => {
  it('lets participants rate their own training, and shows the course average once three have', async () => {
    const course = await aCourse(database.db, { title: 'Positive Guidance' });
    const [a, b, c] = [await aParticipant(course.id), await aParticipant(course.id), await aParticipant(course.id)];
    await a.as
      .put(`/api/training-records/${a.recordId}/rating`, { stars: 5, comment: 'Practical and kind.' })
      .expect(200);
    await b.as.put(`/api/training-records/${b.recordId}/rating`, { stars: 3 }).expect(200);
    // Too few to show an average yet, so no single rating can be told apart.
    expect((await a.as.get(`/api/courses/${course.id}/ratings`).expect(200)).body).toMatchObject({
      count: 2,
      average: null,
      comments: [],
    });
    await c.as.put(`/api/training-records/${c.recordId}/rating`, { stars: 4, comment: 'Good handouts.' }).expect(200);
    // Rating again changes the rating instead of adding one.
    await b.as.put(`/api/training-records/${b.recordId}/rating`, { stars: 2, comment: '' }).expect(200);
    const reviewer = await signIn(app, await aUser(database.db, ['reviewer']));
    const shown = (await reviewer.get(`/api/courses/${course.id}/ratings`).expect(200)).body;
    expect(shown).toMatchObject({
      count: 3,
      average: 3.7,
      spread: [
        { stars: 5, count: 1 },
        { stars: 4, count: 1 },
        { stars: 2, count: 1 },
      ],
    });
    expect(shown.comments.map((x: { comment: string }) => x.comment).sort()).toEqual([
      'Good handouts.',
      'Practical and kind.',
    ]);
    expect(JSON.stringify(shown)).not.toMatch(/professional|email|name/);
  });

  it('refuses someone else’s record, and stars out of range, naming the field', async () => {
    const course = await aCourse(database.db);
    const mine = await aParticipant(course.id);
    const other = await aParticipant(course.id);
    await mine.as.put(`/api/training-records/${other.recordId}/rating`, { stars: 4 }).expect(404);
    const bad = await mine.as.put(`/api/training-records/${mine.recordId}/rating`, { stars: 6 }).expect(400);
    expect(bad.body.error.fields).toEqual([{ field: 'stars', message: 'must be 1 to 5' }]);
  });

  it('shows a course’s ratings in brief beside its events in the catalog, to those signed in only', async () => {
    const title = `Outdoor Play ${Date.now()}`;
    const course = await aCourse(database.db, { title });
    const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
    const place = {
      addressLine: '1 Main',
      city: 'Columbia',
      county: 'Boone',
      region: 'Central' as const,
      zip: '65201',
    };
    // Rated by those who came to an earlier, in-person event of the course.
    const held = await createEvent(database.db, {
      course,
      capacity: 10,
      place,
      sessions: [{ startsAt: soon(-30), endsAt: soon(-29.9), hours: 3 }],
    });
    const upcoming = await createEvent(database.db, {
      course,
      capacity: 10,
      place,
      sessions: [{ startsAt: soon(10), endsAt: soon(10.1), hours: 3 }],
    });
    const raters = [
      await aParticipant(course.id, held.id),
      await aParticipant(course.id, held.id),
      await aParticipant(course.id, held.id),
    ];
    for (const [i, stars] of [5, 4, 4].entries())
      await raters[i]!.as.put(`/api/training-records/${raters[i]!.recordId}/rating`, {
        stars,
        comment: i === 0 ? 'Lots of ideas for the yard.' : '',
      }).expect(200);

    const search = `/api/catalog?q=${encodeURIComponent(title)}`;
    const signedIn = (await raters[0]!.as.get(search).expect(200)).body;
    expect(signedIn.results.map((r: { id: number }) => r.id)).toEqual([upcoming.id]);
    expect(signedIn.results[0]).toMatchObject({ courseId: course.id, ratings: { count: 3, average: 4.3 } });
    // The public catalog shows no ratings: like a course's ratings, they are for those signed in.
    const anonymous = (await (await visitor(app)).get(search).expect(200)).body;
    expect(anonymous.results.map((r: { id: number }) => r.id)).toEqual([upcoming.id]);
    expect(anonymous.results[0]).not.toHaveProperty('ratings');

    // A rating changed after the search was kept still shows: ratings are read fresh.
    await raters[2]!.as
      .put(`/api/training-records/${raters[2]!.recordId}/rating`, { stars: 1, comment: '' })
      .expect(200);
    expect((await raters[0]!.as.get(search).expect(200)).body.results[0].ratings).toEqual({ count: 3, average: 3.3 });

    // The event page reads its course's ratings through the event's course.
    const { event } = (await raters[1]!.as.get(`/api/events/${upcoming.id}`).expect(200)).body;
    expect((await raters[1]!.as.get(`/api/courses/${event.courseId}/ratings`).expect(200)).body).toMatchObject({
      count: 3,
      average: 3.3,
      comments: [{ comment: 'Lots of ideas for the yard.' }],
    });
  });

  it('shows reviewers, on a course approval or trainer application, how the applicant’s courses were rated, and no one else', async () => {
    const trainer = await aUser(database.db, ['trainer']);
    const title = `Early Literacy ${Date.now()}`;
    const again = await aCourse(database.db, { title, trainer_user_id: trainer.user.id });
    const other = await aCourse(database.db, {
      title: `Art with Toddlers ${Date.now()}`,
      trainer_user_id: trainer.user.id,
    });
    await aCourse(database.db, { title: 'Never rated', trainer_user_id: trainer.user.id });
    for (const [stars, comment] of [
      [5, 'Great read-alouds.'],
      [4, ''],
      [3, 'A bit long.'],
    ] as const) {
      const p = await aParticipant(again.id);
      await p.as.put(`/api/training-records/${p.recordId}/rating`, { stars, comment }).expect(200);
    }
    const one = await aParticipant(other.id);
    await one.as.put(`/api/training-records/${one.recordId}/rating`, { stars: 2, comment: 'Too short.' }).expect(200);

    const approval = await aCase('course_approval', trainer.user.id, { title: title.toUpperCase() });
    const application = await aCase('trainer_application', trainer.user.id, { regions: [] });
    const reviewer = await signIn(app, await aUser(database.db, ['reviewer']));
    const shown = (await reviewer.get(`/api/cases/${approval.id}/course-ratings`).expect(200)).body;
    expect(shown.courses).toEqual([
      // The course submitted again comes first, with its comments; the other only in brief (too few for an average).
      {
        id: again.id,
        title,
        isThisCourse: true,
        count: 3,
        average: 4,
        comments: expect.arrayContaining([
          expect.objectContaining({ comment: 'Great read-alouds.', stars: 5 }),
          expect.objectContaining({ comment: 'A bit long.' }),
        ]),
      },
      { id: other.id, title: other.title, isThisCourse: false, count: 1, average: null, comments: [] },
    ]);
    expect(JSON.stringify(shown)).not.toMatch(/professional|email|Test /);
    expect(
      (await reviewer.get(`/api/cases/${application.id}/course-ratings`).expect(200)).body.courses.map(
        (c: { id: number; isThisCourse: boolean }) => [c.id, c.isThisCourse],
      ),
    ).toEqual([
      [other.id, false],
      [again.id, false],
    ]);

    // Not the applicant, nor a professional; a case that does not exist is not found.
    await (await signIn(app, trainer)).get(`/api/cases/${approval.id}/course-ratings`).expect(403);
    await one.as.get(`/api/cases/${approval.id}/course-ratings`).expect(403);
    await reviewer.get('/api/cases/999999999/course-ratings').expect(404);
  });
});
