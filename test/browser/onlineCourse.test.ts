/** Taking a paid online course to completion in Chromium at phone width: pay, modules, knowledge check, credit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnlineCourses } from '../../services/onlineCourses.js';
import { offlinePaymentProvider } from '../../services/payments.js';
import { aCourse } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

describe('an online course', () => {
  it('is paid for through the provider, worked through module by module, and credited the moment the check is passed', async () => {
    const { db } = app.database;
    const author = await aUser(db, ['trainer']);
    const course = await aCourse(db, {
      title: 'Nutrition for Toddlers',
      description: 'Healthy meals and snacks in child care.',
      delivery: 'online',
      topic: 'health-safety',
      clock_hours: 2,
      sponsor: 'DESE OOC',
      fee_cents: 500,
      trainer_user_id: author.user.id,
      minimum_minutes: 0.05,
      knowledge_check_wait_minutes: 0,
    });
    // Its approved minimum time is 3 seconds (1.5 s a module), so the test waits on the page's own count, not a sleep.
    await createOnlineCourses({ db, payments: offlinePaymentProvider({ secret: 'unused-here' }) }).saveContent({
      courseId: course.id,
      byUserId: author.user.id,
      content: {
        passMarkPercent: 100,
        modules: [
          { title: 'Building a plate', body: 'Half the plate is fruit and vegetables.\n\nServe water with meals.' },
          {
            title: 'Watch: family-style meals',
            body: 'Children serve themselves.',
            videoUrl: 'https://media.example/meals.mp4',
            captionsUrl: 'https://media.example/meals.vtt',
            transcript: 'Passing bowls lets children choose how much to take.',
          },
        ],
        questions: [
          { prompt: 'What fills half the plate?', choices: ['Bread', 'Fruit and vegetables'], correctChoice: 1 },
          { prompt: 'What drink goes with meals?', choices: ['Juice', 'Water'], correctChoice: 1 },
        ],
      },
    });
    const person = await aUser(db, ['professional']);
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, person);
      await page.getByRole('link', { name: 'Online courses' }).click();
      await page.getByLabel('Words in the title or description').fill('nutrition');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'Nutrition for Toddlers' }).click();
      await page.getByRole('button', { name: 'Enroll and pay $5.00' }).click();

      // The payment provider's page, then back to the course.
      await page.getByRole('heading', { name: 'Pay $5.00' }).waitFor();
      await page.getByRole('button', { name: 'Pay $5.00' }).click();
      await page.getByText('Payment received. Your course is open.').waitFor();
      expect(await db('payments').where({ amount_cents: 500 }).pluck('status')).toEqual(['paid']);

      await page.getByRole('heading', { level: 2, name: 'Building a plate' }).waitFor();
      await page.getByTestId('module-time').waitFor();
      // The button waits until the server has counted the module's share of the minimum time.
      await page.getByRole('button', { name: 'Mark done and continue' }).click();
      await page.getByRole('heading', { level: 2, name: 'Watch: family-style meals' }).waitFor();
      expect(await page.locator('video track[kind="captions"]').getAttribute('src')).toBe(
        'https://media.example/meals.vtt',
      );
      await page.getByText('Transcript').click();
      await page.getByText('Passing bowls lets children choose how much to take.').waitFor();

      // Progress is kept: a reload resumes at the module not yet done.
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Watch: family-style meals' }).waitFor();
      expect(await page.getByText('1 of 2 modules done').count()).toBe(1);
      await page.getByRole('button', { name: 'Mark done and continue' }).click();

      await page.getByRole('heading', { level: 2, name: 'Knowledge check' }).waitFor();
      await page.getByRole('group', { name: '1. What fills half the plate?' }).getByLabel('Bread').check();
      await page.getByRole('group', { name: '2. What drink goes with meals?' }).getByLabel('Water').check();
      await page.getByRole('button', { name: 'Submit answers' }).click();
      await page.getByText('You scored 50%; 100% passes.').waitFor();
      await page
        .getByRole('group', { name: '1. What fills half the plate?' })
        .getByLabel('Fruit and vegetables')
        .check();
      await page.getByRole('button', { name: 'Submit answers' }).click();
      await page.getByTestId('course-credit').getByText('2 clock hours credited.').waitFor();
      await page
        .getByTestId('course-credit')
        .getByText(/Time spent: \d/)
        .waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      const records = await db('training_records').where({ professional_id: person.professionalId });
      expect(records.map((r) => [r.title, r.source, Number(r.credited_hours)])).toEqual([
        ['Nutrition for Toddlers', 'online_course', 2],
      ]);
      expect(Number(records[0].time_spent_minutes)).toBeGreaterThanOrEqual(0.05);
      await page.getByRole('link', { name: 'See your compliance' }).click();
      await page.waitForURL(/\/compliance$/);

      // Rated afterwards from the transcript; others see it without the name.
      await goTo(page, 'My training');
      await page.getByText(/time spent \d/).waitFor();
      await page.getByText('Rate this training').click();
      await page.getByRole('group', { name: 'How useful was it?' }).getByLabel('4').check();
      await page.getByLabel('Comment (optional, shown without your name)').fill('Clear and practical.');
      await page.getByRole('button', { name: 'Save rating' }).click();
      await page.getByText('Thank you: your rating is saved.').waitFor();
      expect(await db('training_ratings').where({ course_id: course.id }).select('stars', 'comment')).toEqual([
        { stars: 4, comment: 'Clear and practical.' },
      ]);
    } finally {
      await page.close();
    }
  });
});
