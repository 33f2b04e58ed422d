/** Rating completed training: one's own records only, 1–5 stars; a course's ratings shown without names once there are enough. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { recordTraining } from '../../activities/training.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';

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

async function aParticipant(courseId: number) {
  const user = await aUser(database.db, ['professional']);
  const { record } = await recordTraining(database.db, { professionalId: user.professionalId!, courseId, completedOn: '2026-10-01', source: 'attendance' });
  return { as: await signIn(app, user), recordId: record.id };
}

describe('ratings', () => {
  it('lets participants rate their own training, and shows the course average once three have', async () => {
    const course = await aCourse(database.db, { title: 'Positive Guidance' });
    const [a, b, c] = [await aParticipant(course.id), await aParticipant(course.id), await aParticipant(course.id)];
    await a.as.put(`/api/training-records/${a.recordId}/rating`, { stars: 5, comment: 'Practical and kind.' }).expect(200);
    await b.as.put(`/api/training-records/${b.recordId}/rating`, { stars: 3 }).expect(200);
    // Too few to show an average yet, so no single rating can be told apart.
    expect((await a.as.get(`/api/courses/${course.id}/ratings`).expect(200)).body).toMatchObject({ count: 2, average: null, comments: [] });
    await c.as.put(`/api/training-records/${c.recordId}/rating`, { stars: 4, comment: 'Good handouts.' }).expect(200);
    // Rating again changes the rating instead of adding one.
    await b.as.put(`/api/training-records/${b.recordId}/rating`, { stars: 2, comment: '' }).expect(200);
    const reviewer = await signIn(app, await aUser(database.db, ['reviewer']));
    const shown = (await reviewer.get(`/api/courses/${course.id}/ratings`).expect(200)).body;
    expect(shown).toMatchObject({ count: 3, average: 3.7, spread: [{ stars: 5, count: 1 }, { stars: 4, count: 1 }, { stars: 2, count: 1 }] });
    expect(shown.comments.map((x: { comment: string }) => x.comment).sort()).toEqual(['Good handouts.', 'Practical and kind.']);
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
});
