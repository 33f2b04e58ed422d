/**
 * Issue 19 in Chromium, through the UI only: a reviewer finds a case in the queue, reads what was
 * submitted (with the claim's warnings), asks for information, the applicant answers, and the
 * reviewer approves after confirming; at desktop and at 390 px. Then policy staff draft, validate
 * and simulate a version, and a second person approves and publishes it (four eyes).
 * Screenshots go to /tmp/shots/; axe runs on each page.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { aUser } from '../support/app.js';
import { until } from '../support/polling.js';
import { anEmployment, anOrganization, aProfessional } from '../support/fixtures.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';

const SHOTS = '/tmp/shots';
let app: BrowserApp;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  app = await startBrowserApp();
  await app.database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
});
afterAll(async () => {
  await app?.close();
});

const status = (page: Page) => page.getByTestId('case-status').innerText();
async function untilStatus(page: Page, text: string) {
  await until(
    async () => {
      const shown = await status(page);
      if (shown !== text) await page.reload();
      return shown;
    },
    (shown) => shown === text,
    15_000,
    250,
  );
}
const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

describe('the reviewer decides with the facts in front of them', () => {
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`queue → case with its submission → request information → answer → approve with confirmation (${label})`, async () => {
      const { db } = app.database;
      const suffix = `${label}-${Date.now().toString(36)}`;
      const claimed = await anOrganization(db, { name: `Bluebird Learning ${suffix}`, county: 'Boone' });
      const elsewhere = await anOrganization(db, { name: `Oak Hollow ${suffix}`, county: 'Boone' });
      const director = await aProfessional(db, { firstName: 'Dana', lastName: `Director ${label}` });
      await anEmployment(db, director, claimed, '2020-01-01', 'director');
      const applicant = await aUser(db, ['professional']);
      const person = await db('professionals').where({ id: applicant.professionalId }).first();
      await anEmployment(db, person, elsewhere, '2021-03-01', 'teacher');
      const reviewer = await aUser(db, ['reviewer']);

      const applicantPage = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
      const reviewerPage = await app.browser.newPage({ viewport });
      try {
        // The applicant claims the organization through the form.
        await app.signInThroughPage(applicantPage, applicant);
        await applicantPage.goto(`${app.baseUrl}/cases/new/organization-claim`);
        await applicantPage.getByLabel('Organization').selectOption({ label: `${claimed.name} (Boone County)` });
        await applicantPage.getByLabel('Your position there').fill('Director');
        await applicantPage.getByRole('button', { name: 'Submit' }).click();
        await applicantPage.waitForURL(/\/cases\/\d+$/);
        const caseUrl = applicantPage.url().replace(app.baseUrl, '');
        const caseId = Number(caseUrl.split('/').pop());
        await untilStatus(applicantPage, 'In review');

        // The reviewer searches the queue by case number and opens the case.
        await app.signInThroughPage(reviewerPage, reviewer);
        await reviewerPage.getByRole('link', { name: 'Review queue' }).click();
        await reviewerPage.getByLabel('Search by applicant, title or case number').fill(String(caseId));
        await reviewerPage.getByLabel('Search by applicant, title or case number').press('Enter');
        await reviewerPage.getByTestId(`queue-case-${caseId}`).waitFor();
        expect(await reviewerPage.getByTestId('queue-range').innerText()).toBe('Cases 1–1 of 1');
        await expectNoAxeViolations(reviewerPage);
        await expectNoHorizontalScroll(reviewerPage);
        await shot(reviewerPage, `reviewer-queue-${label}`);
        await reviewerPage.getByRole('link', { name: claimed.name }).click();

        // What was submitted, with the warnings; only Claim is offered.
        const submission = reviewerPage.getByTestId('case-submission');
        await submission.waitFor();
        expect(await reviewerPage.getByTestId('warning-organization-has-director').innerText()).toContain(
          `Dana Director ${label}`,
        );
        expect(await reviewerPage.getByTestId('warning-applicant-works-elsewhere').innerText()).toContain(
          elsewhere.name,
        );
        expect(await submission.innerText()).toContain(`teacher at ${elsewhere.name} since Mar 1, 2021`);
        expect(await reviewerPage.getByTestId('case-service').innerText()).toMatch(/Open \d+ working days?/);
        expect(await reviewerPage.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
        // The confirmation dialogs stay closed until asked for.
        expect(await reviewerPage.getByRole('button', { name: /^Yes, / }).count()).toBe(0);
        await expectNoAxeViolations(reviewerPage);
        await expectNoHorizontalScroll(reviewerPage);
        await shot(reviewerPage, `reviewer-case-${label}`);

        await reviewerPage.getByRole('button', { name: 'Claim' }).click();
        await reviewerPage.getByText('You hold the case now.').waitFor();
        await reviewerPage.getByLabel('Ask the applicant for information').fill('Do you still work at Oak Hollow?');
        await reviewerPage.getByRole('button', { name: 'Request information' }).click();
        await reviewerPage.getByText('The applicant was asked.').waitFor();
        expect(await status(reviewerPage)).toBe('Information needed');
        // Waiting on the applicant: nothing to claim or decide here.
        await reviewerPage.getByTestId('no-actions').waitFor();
        expect(await reviewerPage.getByRole('button', { name: 'Claim' }).count()).toBe(0);
        const waiting = await reviewerPage.getByTestId('case-service').innerText();
        expect(waiting).toMatch(/Waiting for the applicant; they answer by [A-Z][a-z]{2} \d{1,2}, \d{4}/);

        // The applicant reads the same last day to answer, and answers.
        await applicantPage.goto(`${app.baseUrl}${caseUrl}`);
        const answerBy = waiting.match(/answer by ([A-Z][a-z]{2} \d{1,2}, \d{4})/)![1]!;
        await applicantPage.getByText(`Please answer by ${answerBy}.`, { exact: true }).waitFor();
        await applicantPage.getByLabel('Your answer').fill('I leave Oak Hollow at the end of the month.');
        await applicantPage.getByRole('button', { name: 'Send answer' }).click();
        await applicantPage.getByText('Your answer was sent; the case is back in review.').waitFor();
        await expectNoHorizontalScroll(applicantPage);
        await shot(applicantPage, `applicant-answered-${label}`);

        // Approve asks first; going back changes nothing; confirming approves.
        await reviewerPage.reload();
        await reviewerPage.getByLabel(/Reasons/).fill('Leaving Oak Hollow; the current director agrees.');
        await reviewerPage.getByRole('button', { name: 'Approve', exact: true }).click();
        const dialog = reviewerPage.getByRole('dialog', { name: 'Approve this case?' });
        await dialog.waitFor();
        expect(await reviewerPage.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Go back');
        await expectNoAxeViolations(reviewerPage);
        await shot(reviewerPage, `reviewer-confirm-${label}`);
        await dialog.getByRole('button', { name: 'Go back' }).click();
        expect(await reviewerPage.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Approve');
        expect(await status(reviewerPage)).toBe('In review');
        await reviewerPage.getByRole('button', { name: 'Approve', exact: true }).click();
        await dialog.getByRole('button', { name: 'Yes, approve' }).click();
        await reviewerPage.getByText('Approved.', { exact: true }).waitFor();
        expect(await status(reviewerPage)).toBe('Approved');
        await shot(reviewerPage, `reviewer-approved-${label}`);
      } finally {
        await applicantPage.close();
        await reviewerPage.close();
      }
    });
  }
});

describe('publishing a rule-set version takes two people', () => {
  // Each of the two walks the journey at both widths: the drafter at desktop and the approver at
  // 390 px, then the other way round; the second stops at the publication's confirmation, since
  // only one publication of a rule set runs at a time and the first is scheduled by then.
  const DESKTOP = { width: 1280, height: 900 };
  const PHONE = { width: 390, height: 844 };
  for (const [label, drafterViewport, approverViewport, year, publishes] of [
    ['drafter at desktop, approver at 390 px', DESKTOP, PHONE, 2099, true],
    ['drafter at 390 px, approver at desktop up to the confirmation', PHONE, DESKTOP, 2100, false],
  ] as const) {
    it(`draft → validate → simulate; the drafter cannot publish; a second person approves and publishes (${label})`, async () => {
      const { db } = app.database;
      const drafter = await aUser(db, ['policy_staff']);
      const approver = await aUser(db, ['policy_staff']);
      const page = await app.browser.newPage({ viewport: drafterViewport });
      const second = await app.browser.newPage({ viewport: approverViewport });
      const widths = `${drafterViewport.width}-${approverViewport.width}`;
      try {
        await app.signInThroughPage(page, drafter);
        await page.goto(`${app.baseUrl}/policy/rules`);
        await page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor();
        await page.getByLabel('Change note').fill('Same rules, reviewed for the new year');
        await page.getByRole('button', { name: /^Start a draft from version \d+$/ }).click();
        await page.waitForURL(/\/policy\/rules\/\d+$/);
        const versionUrl = page.url().replace(app.baseUrl, '');
        const version = Number(versionUrl.split('/').pop());
        await page.getByRole('heading', { level: 1, name: `Rules, version ${version}` }).waitFor();

        await page.getByRole('button', { name: 'Validate' }).click();
        await page
          .getByRole('status')
          .getByText(/^Validated: no problems\. All \d+ worked cases pass\.$/)
          .waitFor();
        // What if: rules unchanged, nobody turns and no credit changes.
        await page.getByRole('button', { name: 'Run the simulation' }).click();
        await expect
          .poll(
            () =>
              page
                .getByTestId('turned-to-compliant')
                .textContent()
                .catch(() => null),
            { timeout: 60_000 },
          )
          .toBe('0');
        expect(await page.getByTestId('turned-to-non-compliant').textContent()).toBe('0');
        // Four eyes: the drafter is told a colleague publishes.
        expect(await page.getByTestId('four-eyes').innerText()).toMatch(/another member of the policy staff/);
        expect(await page.getByRole('button', { name: `Publish version ${version}` }).count()).toBe(0);
        expect(await page.getByRole('button', { name: 'Yes, publish' }).count()).toBe(0);
        expect(await page.getByTestId('drafted-by').innerText()).toBe(`Drafted by ${drafter.user.display_name}`);
        await expectNoAxeViolations(page);
        await expectNoHorizontalScroll(page);
        await shot(page, `policy-drafter-four-eyes-${widths}`);

        // A second person approves and publishes, after confirming.
        await app.signInThroughPage(second, approver);
        await second.goto(`${app.baseUrl}${versionUrl}`);
        await second.getByRole('heading', { level: 1, name: `Rules, version ${version}` }).waitFor();
        await second.getByLabel('Effective from', { exact: true }).fill(`${year}-01-01`);
        await second.getByRole('button', { name: `Publish version ${version}` }).click();
        const dialog = second.getByRole('dialog', { name: `Publish version ${version}?` });
        await dialog.waitFor();
        expect(await dialog.innerText()).toContain(`Jan 1, ${year}`);
        await expectNoAxeViolations(second);
        await shot(second, `policy-confirm-publish-${widths}`);
        if (!publishes) {
          // One publication at a time: the first walk's is still scheduled, so the second stops at the confirmation.
          await dialog.getByRole('button', { name: 'Go back' }).click();
          await expect.poll(() => second.getByRole('dialog').count()).toBe(0);
          await expectNoHorizontalScroll(second);
          return;
        }
        await dialog.getByRole('button', { name: 'Yes, publish' }).click();
        await second
          .getByRole('status')
          .getByText(`Publication scheduled from ${year}-01-01`, { exact: false })
          .waitFor();
        await second.reload();
        await second.getByTestId('approved-by').waitFor();
        expect(await second.getByTestId('approved-by').innerText()).toMatch(
          new RegExp(`^Approved for publication by ${approver.user.display_name} on [A-Z][a-z]{2} \\d{1,2}, \\d{4}$`),
        );
        await expectNoHorizontalScroll(second);
        await shot(second, `policy-approved-${widths}`);
      } finally {
        await page.close();
        await second.close();
      }
    });
  }
});
