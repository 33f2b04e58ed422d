/**
 * A micro-credential in Chromium, end to end through the real workflow: a professional at phone
 * width picks one and submits evidence (a too-short reflection named beside its field first), a
 * reviewer reads the evidence and awards it, the professional sees it on the profile with its
 * link, and the public verification page answers a visitor who is not signed in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { aUser } from '../support/app.js';
import { until } from '../support/polling.js';
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

const REFLECTION =
  'Every infant in my room sleeps on their back in a bare crib; I check each one every fifteen minutes and write it in the sleep log. ' +
  'Last spring a parent brought a blanket and a bumper; I explained kindly why we keep cribs empty, showed her the safe-sleep sheet and offered a sleep sack instead. ' +
  'When a substitute once propped a bottle in a crib, I removed it at once, moved the baby to her back and went over our policy with the substitute that afternoon.';

describe('a micro-credential', () => {
  it('is submitted with evidence, awarded by a reviewer, shown on the profile and verified publicly', async () => {
    const professional = await aUser(app.database.db, ['professional']);
    await app.database
      .db('professionals')
      .where({ id: professional.professionalId })
      .update({ first_name: 'Amara', last_name: 'Okafor' });
    const reviewer = await aUser(app.database.db, ['reviewer']);
    const mine = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    const reviewerPage = await app.browser.newPage();
    const visitorContext = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
    const visitorPage = await visitorContext.newPage();
    try {
      await app.signInThroughPage(mine, professional);
      await goTo(mine, 'Micro-credentials');
      await mine.getByRole('heading', { level: 1, name: 'Micro-credentials' }).waitFor();
      await mine
        .getByTestId('offer-safe-sleep-practice')
        .getByRole('button', { name: 'Submit evidence for this one' })
        .click();
      await mine.getByRole('heading', { name: 'Your evidence for “Safe sleep in daily practice”' }).waitFor();

      // Too short and no files: each problem beside its field.
      await mine.getByLabel('Your reflection').fill('I use safe sleep.');
      await mine.getByRole('button', { name: 'Submit for review' }).click();
      await mine.getByText('must be at least 400 characters (it has 17)').waitFor();
      expect(await mine.locator('#mc-reflection-error').innerText()).toBe(
        'must be at least 400 characters (it has 17)',
      );
      expect(await mine.locator('#mc-documents-error').innerText()).toMatch(/^attach at least 1 document/);
      expect(await mine.getByLabel('Your reflection').getAttribute('aria-invalid')).toBe('true');

      await mine.getByLabel('Your reflection').fill(REFLECTION);
      await mine.getByLabel('Add a file').setInputFiles({ name: 'sleep-log.pdf', ...PDF });
      expect(await mine.getByTestId('chosen-files').innerText()).toContain('sleep-log.pdf');
      expect(await mine.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await mine.getByRole('button', { name: 'Submit for review' }).click();
      await mine.waitForURL(/\/cases\/\d+$/);
      const caseUrl = mine.url().replace(app.baseUrl, '');
      await untilStatus(mine, 'In review');

      // The reviewer finds it in the queue, reads the evidence and awards it.
      await app.signInThroughPage(reviewerPage, reviewer);
      await goTo(reviewerPage, 'Review queue');
      await reviewerPage.getByRole('link', { name: 'Safe sleep in daily practice' }).click();
      await reviewerPage.getByRole('button', { name: 'Claim' }).click();
      await reviewerPage.getByText('You hold the case now.').waitFor();
      expect(await reviewerPage.getByTestId('evidence-reflection').innerText()).toBe(REFLECTION);
      // The evidence is linked in the submission and in the case's documents.
      await reviewerPage.getByRole('link', { name: 'sleep-log.pdf' }).first().waitFor();
      await reviewerPage.getByLabel(/Reasons/).fill('Consistent practice, and a kind explanation to the family.');
      await reviewerPage.getByRole('button', { name: 'Approve' }).click();
      await reviewerPage.getByRole('dialog').getByRole('button', { name: 'Yes, approve' }).click();
      await reviewerPage.getByText('Approved.', { exact: true }).waitFor();

      // The professional sees it on the case and on the profile, with its verification link.
      await mine.goto(`${app.baseUrl}${caseUrl}`);
      expect(await status(mine)).toBe('Approved');
      await goTo(mine, 'My profile');
      const awarded = mine.getByTestId('credential-safe-sleep-practice');
      await awarded.waitFor();
      expect(await awarded.innerText()).toContain('Valid');
      const link = await awarded.getByTestId('verification-link').getAttribute('href');
      const code = /\/verify\/([A-Za-z0-9_-]+)$/.exec(link ?? '')?.[1];
      expect(code).toHaveLength(24);
      expect(await mine.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // Anyone, not signed in, reads who holds it and that it is valid; nothing private.
      await visitorPage.goto(`${app.baseUrl}/verify/${code}`);
      await visitorPage.getByTestId('verification').waitFor();
      expect(await visitorPage.getByTestId('verification-status').innerText()).toBe('Valid');
      expect(await visitorPage.getByTestId('verification-holder').innerText()).toBe('Amara Okafor');
      const shown = await visitorPage.getByTestId('verification').innerText();
      expect(shown).toContain('Safe sleep in daily practice');
      expect(shown).not.toContain(professional.user.email);
      expect(shown).not.toContain('sleep-log.pdf');
      expect(shown).not.toContain('fifteen minutes');
      await visitorPage.goto(`${app.baseUrl}/verify/${'x'.repeat(24)}`);
      await visitorPage.getByTestId('verify-error').waitFor();
    } finally {
      await mine.close();
      await reviewerPage.close();
      await visitorContext.close();
    }
  });
});
