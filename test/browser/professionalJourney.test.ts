/**
 * A professional's whole journey through the UI alone (issue 19), at desktop width and at 390 px:
 * signing up (the emailed link is read from the outgoing mail, as a person reads their inbox),
 * signing in, finding an event in the catalog and registering, seeing it among their
 * registrations, taking an online course to its knowledge check, and finding its hours credited
 * on their transcript. axe runs on each page, and the phone layout never scrolls sideways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createEvent } from '../../db/events.js';
import { createOnlineCourses } from '../../services/onlineCourses.js';
import { offlinePaymentProvider } from '../../services/payments.js';
import { aCourse } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { signUpToken } from '../support/signUp.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';

let app: BrowserApp;
const EVENT_TITLE = 'Calm Transitions for Toddlers';
const COURSE_TITLE = 'Nutrition for Toddlers';

beforeAll(async () => {
  app = await startBrowserApp();
  const { db } = app.database;
  const author = await aUser(db, ['trainer']);
  const course = await aCourse(db, { title: EVENT_TITLE, topic: 'health-safety', clock_hours: 3 });
  const startsAt = new Date(Date.now() + 14 * 86_400_000);
  await createEvent(db, {
    course,
    capacity: 12,
    trainerName: 'Rosa Trainer',
    place: { addressLine: '701 E Broadway', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
    sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 3 * 3_600_000), hours: 3 }],
  });
  const online = await aCourse(db, {
    title: COURSE_TITLE,
    description: 'Healthy meals and snacks in child care.',
    delivery: 'online',
    topic: 'health-safety',
    clock_hours: 2,
    trainer_user_id: author.user.id,
    // An approved minimum time of 1.2 seconds: the page's own count is what the test waits on.
    minimum_minutes: 0.02,
    knowledge_check_wait_minutes: 0,
  });
  await createOnlineCourses({ db, payments: offlinePaymentProvider({ secret: 'unused-here' }) }).saveContent({
    courseId: online.id,
    byUserId: author.user.id,
    content: {
      passMarkPercent: 100,
      modules: [{ title: 'Building a plate', body: 'Half the plate is fruit and vegetables.' }],
      questions: [
        { prompt: 'What fills half the plate?', choices: ['Bread', 'Fruit and vegetables'], correctChoice: 1 },
      ],
    },
  });
});
afterAll(async () => {
  await app?.close();
});

/** The page as it is now passes axe and, at any width, does not scroll sideways. */
async function checkPage(page: Page) {
  await expectNoAxeViolations(page);
  await expectNoHorizontalScroll(page);
}

describe('a professional from sign-up to credited hours', () => {
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`signs up, finds and registers for an event, takes an online course and is credited (${label})`, async () => {
      const { db } = app.database;
      const email = `maya.${label}@example.org`;
      const page = await app.browser.newPage({ viewport });
      try {
        // Sign up, then follow the emailed link.
        await page.goto(`${app.baseUrl}/sign-up`);
        await page.getByLabel('First name').fill('Maya');
        await page.getByLabel('Last name').fill(`Okafor ${label}`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
        await checkPage(page);
        await page.getByRole('button', { name: 'Create account' }).click();
        const token = await signUpToken(db, email);
        await page.goto(`${app.baseUrl}/verify-email?token=${token}`);
        await page.getByRole('status').getByText('Thank you, your email is confirmed.').waitFor();
        await checkPage(page);

        // Sign in.
        await page.goto(`${app.baseUrl}/sign-in`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password').fill('a long enough passphrase');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
        await checkPage(page);

        // Find an event and register on its page.
        await goTo(page, 'Find training');
        await page.getByLabel('Words').fill('calm transitions');
        await page.getByRole('button', { name: 'Search' }).click();
        await page.getByRole('heading', { level: 2, name: '1 event' }).waitFor();
        await checkPage(page);
        await page.getByRole('link', { name: EVENT_TITLE }).click();
        await page.getByRole('heading', { level: 1, name: EVENT_TITLE }).waitFor();
        await page.getByRole('button', { name: 'Register' }).click();
        await page.getByText('Registered. A confirmation is on its way by email.').waitFor();
        expect(await page.getByTestId('your-registration').innerText()).toContain('You have a seat.');
        await checkPage(page);

        // It is among their upcoming registrations.
        await goTo(page, 'My registrations');
        const upcoming = page.getByTestId('registrations-upcoming');
        await upcoming.getByRole('link', { name: EVENT_TITLE }).waitFor();
        expect(await upcoming.innerText()).toContain('Free');
        await checkPage(page);

        // Take an online course to its knowledge check.
        await goTo(page, 'Online courses');
        await page.getByLabel('Words in the title or description').fill('nutrition');
        await page.getByRole('button', { name: 'Search' }).click();
        await page.getByRole('link', { name: COURSE_TITLE }).click();
        await page.getByRole('heading', { level: 1, name: COURSE_TITLE }).waitFor();
        await checkPage(page);
        await page.getByRole('button', { name: 'Start this course' }).click();
        await page.getByRole('heading', { level: 2, name: 'Building a plate' }).waitFor();
        await checkPage(page);
        await page.getByRole('button', { name: 'Mark done and continue' }).click();
        await page.getByRole('heading', { level: 2, name: 'Knowledge check' }).waitFor();
        await page
          .getByRole('group', { name: '1. What fills half the plate?' })
          .getByLabel('Fruit and vegetables')
          .check();
        await checkPage(page);
        await page.getByRole('button', { name: 'Submit answers' }).click();
        await page.getByTestId('course-credit').getByText('2 clock hours credited.').waitFor();
        await checkPage(page);

        // Credited: the transcript lists the course with its hours.
        await goTo(page, 'My training');
        await page.waitForURL(/\/transcript$/);
        const record = page.getByRole('row').filter({ hasText: COURSE_TITLE });
        await record.waitFor();
        // Hours, then hours credited.
        expect((await record.locator('td.num').allInnerTexts()).map((h) => h.trim())).toEqual(['2', '2']);
        await checkPage(page);
        await goTo(page, 'My compliance');
        await page.getByRole('heading', { level: 1 }).waitFor();
        await checkPage(page);
      } finally {
        await page.close();
      }
    });
  }
});
