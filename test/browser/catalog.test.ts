/** Finding training in Chromium, without signing in, at phone width. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../db/events.js';
import { recordTraining } from '../../services/training.js';
import { rateTraining } from '../../services/ratings.js';
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

describe('the catalog page', () => {
  it('finds training by words and narrows it by delivery', async () => {
    const { db } = app.database;
    const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
    const sleep = await aCourse(db, {
      title: 'Infant Safe Sleep Practices',
      topic: 'infant-safe-sleep',
      delivery: 'online',
      clock_hours: 1,
    });
    const guidance = await aCourse(db, { title: 'Guiding Behavior Outdoors', topic: 'guidance' });
    const online = await createEvent(db, {
      course: sleep,
      capacity: 30,
      onlineUrl: 'https://meet.example/sleep',
      sessions: [{ startsAt: soon(5), endsAt: soon(5.1), hours: 1 }],
    });
    await createEvent(db, {
      course: guidance,
      capacity: 10,
      place: { addressLine: '1 Main', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
      sessions: [{ startsAt: soon(8), endsAt: soon(8.1), hours: 3 }],
    });
    // Three who took the online course earlier rated it.
    for (const [stars, comment] of [
      [5, 'Clear about room-sharing.'],
      [4, ''],
      [4, ''],
    ] as const) {
      const rater = await aUser(db, ['professional']);
      const { record } = await recordTraining(db, {
        professionalId: rater.professionalId!,
        courseId: sleep.id,
        completedOn: '2026-10-01',
        source: 'attendance',
      });
      await rateTraining(db, {
        trainingRecordId: record.id,
        professionalId: rater.professionalId!,
        stars,
        comment,
        byUserId: rater.user.id,
      });
    }
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${app.baseUrl}/catalog`);
      await page.getByRole('heading', { level: 2, name: '2 events' }).waitFor();
      await page.getByLabel('Words').fill('safe sleep');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { level: 2, name: '1 event' }).waitFor();
      expect(await page.getByTestId(`event-${online.id}`).innerText()).toContain('Infant Safe Sleep Practices');
      // Ratings are for those signed in, as the ratings API has them.
      expect(await page.getByTestId(`event-${online.id}`).getByTestId('rating').count()).toBe(0);
      await page.getByLabel('Words').fill('');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { level: 2, name: '2 events' }).waitFor();
      await page.getByLabel('Delivery').selectOption('in_person');
      await page.getByRole('heading', { level: 2, name: '1 event' }).waitFor();
      expect(await page.getByText('Guiding Behavior Outdoors').count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // Signed in, a professional registers from the results.
      const person = await aUser(db, ['professional']);
      await app.signInThroughPage(page, person);
      await page.getByRole('link', { name: 'Find training' }).click();
      // Signed in, the results show each course's rating in brief, said in full to a screen reader.
      const rating = page.getByTestId(`event-${online.id}`).getByTestId('rating');
      await rating.waitFor();
      expect(await rating.innerText()).toContain('★ 4.3 (3)');
      expect(await rating.getByText('Rated 4.3 of 5 by 3 participants').count()).toBe(1);
      expect(await rating.locator('[aria-hidden="true"]').innerText()).toBe('★ 4.3 (3)');
      // The event page shows the course's ratings with recent comments, without names.
      await page.getByTestId(`event-${online.id}`).getByRole('link', { name: 'Infant Safe Sleep Practices' }).click();
      const onEvent = page.getByTestId('course-rating');
      await onEvent.waitFor();
      expect(await onEvent.innerText()).toContain('Rated 4.3 of 5 by 3 participants');
      expect(await onEvent.innerText()).toContain('Clear about room-sharing.');
      expect(await onEvent.innerText()).toContain('5 of 5');
      await page.goBack();
      await page.getByTestId(`event-${online.id}`).getByRole('button', { name: 'Register' }).click();
      await page.getByText('You have a seat. A confirmation is on its way by email.').waitFor();
      expect(
        await db('registrations')
          .where({ event_id: online.id, professional_id: person.professionalId })
          .pluck('status'),
      ).toEqual(['registered']);
    } finally {
      await page.close();
    }
  });
});
