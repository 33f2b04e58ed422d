/**
 * "My courses" for a trainer who teaches events of courses they do not own (issue 19): an imported
 * event names its trainer apart from its course, which may have no owner. The page lists those
 * courses with how many events the trainer teaches, instead of "No approved courses yet".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../db/events.js';
import { aCourse } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

describe('a trainer’s courses', () => {
  it('lists the courses they teach events of beside the ones they own, at phone width', async () => {
    const { db } = app.database;
    const trainer = await aUser(db, ['trainer']);
    const own = await aCourse(db, { title: 'Guiding Behavior', trainer_user_id: trainer.user.id, approved: true });
    const unowned = await aCourse(db, { title: 'Health and Safety Basics', trainer_user_id: null, approved: true });
    const start = new Date('2026-03-02T15:00:00Z');
    for (const [course, n] of [
      [unowned, 3],
      [own, 1],
    ] as const)
      for (let i = 0; i < n; i++) {
        const at = new Date(start.getTime() + i * 7 * 86_400_000);
        await createEvent(db, {
          course,
          trainerUserId: trainer.user.id,
          capacity: 20,
          place: { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
          sessions: [{ startsAt: at, endsAt: new Date(at.getTime() + 2 * 3_600_000), hours: 2 }],
        });
      }
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, trainer);
      await page.goto(`${app.baseUrl}/trainer/courses`);
      await page.getByRole('heading', { level: 2, name: 'Courses you teach' }).waitFor();
      const taught = page.getByRole('list').filter({ hasText: 'Health and Safety Basics' });
      await taught.getByText('3 events').waitFor();
      expect(await taught.getByText('Guiding Behavior').count()).toBe(0);
      await page.getByRole('heading', { level: 2, name: 'Courses you own' }).waitFor();
      expect(await page.getByText('No approved course').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await page.close();
    }
  });
});
