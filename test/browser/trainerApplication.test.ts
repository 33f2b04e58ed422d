/**
 * A trainer application in Chromium, end to end through the real workflow: the applicant
 * submits with a résumé, a reviewer claims it and asks for a reference, the applicant answers
 * with a file, and the reviewer approves; each sees the case move on their own pages. The
 * reviewer also sees how participants rated the courses the applicant gave before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { aUser } from '../support/app.js';
import { until } from '../support/polling.js';
import { aCourse } from '../support/fixtures.js';
import { recordTraining } from '../../services/training.js';
import { rateTraining } from '../../services/ratings.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
  await app.database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
});
afterAll(async () => {
  await app?.close();
});

const PDF = { mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') };
const status = (page: Page) => page.getByTestId('case-status').innerText();
/** Reloads until the case shows a status (the workflow moves it on in the background). */
async function untilStatus(page: Page, text: string) {
  await until(
    async () => {
      const shown = await status(page);
      if (shown !== text) await page.reload();
      return shown;
    },
    (shown) => shown === text,
    10_000,
    250,
  );
}

describe('a trainer application', () => {
  it('goes from submission through a request for information to approval', async () => {
    const applicant = await aUser(app.database.db, ['professional']);
    const reviewer = await aUser(app.database.db, ['reviewer']);
    // A course the applicant gave before (applying again), rated by three who took it.
    const given = await aCourse(app.database.db, { title: 'Guidance Basics', trainer_user_id: applicant.user.id });
    for (const stars of [5, 4, 4]) {
      const rater = await aUser(app.database.db, ['professional']);
      const { record } = await recordTraining(app.database.db, {
        professionalId: rater.professionalId!,
        courseId: given.id,
        completedOn: '2026-10-01',
        source: 'attendance',
      });
      await rateTraining(app.database.db, {
        trainingRecordId: record.id,
        professionalId: rater.professionalId!,
        stars,
        comment: '',
        byUserId: rater.user.id,
      });
    }
    const applicantPage = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const reviewerPage = await app.browser.newPage();
    try {
      await app.signInThroughPage(applicantPage, applicant);
      await applicantPage.getByRole('link', { name: 'Applications' }).click();
      await applicantPage.getByRole('link', { name: 'Apply to be an approved trainer' }).click();
      // Submitting empty names every missing field beside it.
      await applicantPage.getByRole('button', { name: 'Submit' }).click();
      await applicantPage.getByText('Please correct the fields marked above.').waitFor();
      expect(await applicantPage.getByRole('alert').filter({ hasText: 'must not be empty' }).count()).toBe(3);

      await applicantPage
        .getByLabel('Qualifications', { exact: true })
        .fill('Preschool teacher for eight years; mentor teacher.');
      await applicantPage.getByLabel('Education', { exact: true }).fill('BS Child Development, University of Missouri');
      await applicantPage.getByLabel('Experience training adults').fill('Staff trainings on guidance at two centers.');
      await applicantPage.getByLabel('Guidance and positive behavior').check();
      await applicantPage.getByLabel('Central').check();
      await applicantPage.getByLabel(/Résumé or proof of qualifications/).setInputFiles({ name: 'resume.pdf', ...PDF });
      await applicantPage.getByRole('button', { name: 'Submit' }).click();
      await applicantPage.waitForURL(/\/cases\/\d+$/);
      const caseUrl = applicantPage.url().replace(app.baseUrl, '');
      await untilStatus(applicantPage, 'In review');
      expect(await applicantPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // The reviewer finds it in the queue, claims it and asks for a reference.
      await app.signInThroughPage(reviewerPage, reviewer);
      await reviewerPage.getByRole('link', { name: 'Review queue' }).click();
      await reviewerPage.getByRole('link', { name: applicant.user.display_name }).click();
      // Beside the case, how participants rated the applicant's courses.
      const rated = reviewerPage.getByTestId('case-ratings');
      await rated.waitFor();
      expect(await rated.innerText()).toContain('Guidance Basics · Rated 4.3 of 5 by 3 participants');
      await reviewerPage.getByRole('button', { name: 'Claim' }).click();
      await reviewerPage.getByText('You hold the case now.').waitFor();
      await reviewerPage
        .getByLabel('Ask the applicant for information')
        .fill('Please add a reference from a center director.');
      await reviewerPage.getByRole('button', { name: 'Request information' }).click();
      await reviewerPage.getByText('The applicant was asked.').waitFor();
      expect(await status(reviewerPage)).toBe('Information needed');

      // The applicant sees what is asked of them and answers with a file.
      await applicantPage.goto(`${app.baseUrl}${caseUrl}`);
      expect(await applicantPage.getByTestId('asked-of-you').innerText()).toBe(
        'Please add a reference from a center director.',
      );
      await applicantPage.getByLabel('Your answer').fill('Reference from Dana Ortiz attached.');
      await applicantPage.getByLabel('Attach a file (optional)').setInputFiles({ name: 'reference.pdf', ...PDF });
      await applicantPage.getByRole('button', { name: 'Send answer' }).click();
      await applicantPage.getByText('Your answer was sent; the case is back in review.').waitFor();
      expect(await status(applicantPage)).toBe('In review');

      // The reviewer approves; the applicant sees the approval and its term.
      await reviewerPage.reload();
      await reviewerPage.getByLabel(/Reasons/).fill('Qualifications and reference in order.');
      await reviewerPage.getByRole('button', { name: 'Approve' }).click();
      await reviewerPage.getByRole('dialog').getByRole('button', { name: 'Yes, approve' }).click();
      await reviewerPage.getByText('Approved.', { exact: true }).waitFor();
      await applicantPage.reload();
      expect(await status(applicantPage)).toBe('Approved');
      expect(await applicantPage.getByTestId('decision-reasons').innerText()).toContain(
        'Qualifications and reference in order.',
      );
      expect(await applicantPage.getByText(/Approved until [A-Z][a-z]{2} \d{1,2}, \d{4}\./).count()).toBe(1);
      const timeline = await applicantPage.getByTestId('timeline').locator('li strong').allInnerTexts();
      expect(timeline).toEqual([
        'submitted',
        'checked',
        'review started',
        'claimed',
        'information requested',
        'information given',
        'review started',
        'approved',
      ]);
      await goTo(applicantPage, 'Notifications');
      await applicantPage.getByRole('link', { name: /^Approved: / }).waitFor();
    } finally {
      await applicantPage.close();
      await reviewerPage.close();
    }
  });
});
