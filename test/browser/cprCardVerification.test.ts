/**
 * A CPR/First Aid card in Chromium, at desktop width and at 390 px: a professional picks the
 * national model from the rule set's list and must attach the scan; the card shows as not yet
 * verified; a reviewer opens the card queue from the review queue and verifies it; the
 * professional's profile then shows it verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { aUser } from '../support/app.js';
import { until } from '../support/polling.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

const PDF = { mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') };
const fitsWidth = async (page: Page, width: number) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

describe('a CPR/First Aid card', () => {
  for (const width of [1280, 390]) {
    it(`is added by its holder and verified by a reviewer (${width} px)`, async () => {
      const { db } = app.database;
      const professional = await aUser(db, ['professional']);
      const last = `Card${width}`;
      await db('professionals')
        .where({ id: professional.professionalId! })
        .update({ first_name: 'Rosa', last_name: last });
      const reviewer = await aUser(db, ['reviewer']);
      const viewport = { width, height: 900 };
      const mine = await app.browser.newPage({ viewport });
      const reviewerPage = await app.browser.newPage({ viewport });
      try {
        await app.signInThroughPage(mine, professional);
        await mine.goto(`${app.baseUrl}/professionals/${professional.professionalId}/profile`);
        await mine.getByRole('heading', { name: 'Add a card' }).waitFor();

        // Only the accepted national models are offered.
        const model = mine.getByLabel('National model');
        const offered = await model.locator('option:not([disabled])').allInnerTexts();
        expect(offered).toContain('American Heart Association');
        expect(offered).toHaveLength(7);
        await model.selectOption('American Heart Association');
        await mine.getByLabel('Issued on').fill('2026-02-01');
        await mine.getByLabel('Expires on').fill('2028-02-01');

        // Without the scan it is refused, and the problem sits beside the file field.
        await mine.getByRole('button', { name: 'Add card' }).click();
        const fileField = mine.getByLabel('Photo or scan (PDF, PNG or JPEG, up to 5 MB)');
        await until(
          () => fileField.getAttribute('aria-invalid'),
          (v) => v === 'true',
        );
        expect(await db('credentials').where({ professional_id: professional.professionalId! })).toEqual([]);

        await fileField.setInputFiles({ name: 'my-card.pdf', ...PDF });
        await mine.getByRole('button', { name: 'Add card' }).click();
        await mine.getByText('Card added. You will be reminded before it expires.').waitFor();
        const [card] = await db('credentials').where({ professional_id: professional.professionalId! });
        const shown = mine.getByTestId(`card-${card!.id}`);
        await shown.getByText('Not yet verified').waitFor();
        expect(await shown.innerText()).toContain('A reviewer checks the scan');
        await fitsWidth(mine, width);

        // The reviewer finds the card from the review queue and verifies it.
        await app.signInThroughPage(reviewerPage, reviewer);
        await reviewerPage.goto(`${app.baseUrl}/review`);
        await reviewerPage.getByRole('link', { name: 'CPR/First Aid cards to verify' }).click();
        await reviewerPage.getByRole('heading', { level: 1, name: 'CPR/First Aid cards to verify' }).waitFor();
        const queued = reviewerPage.getByTestId(`queued-card-${card!.id}`);
        await queued.getByRole('link', { name: `Open the scan of Rosa ${last}'s card` }).waitFor();
        expect(await queued.innerText()).toContain('American Heart Association');
        await fitsWidth(reviewerPage, width);
        await queued.getByRole('button', { name: `Verify Rosa ${last}'s card` }).click();
        await reviewerPage.getByText(`Rosa ${last}'s card is verified.`).waitFor();
        expect(await reviewerPage.getByTestId(`queued-card-${card!.id}`).count()).toBe(0);

        // The holder sees it verified.
        await mine.reload();
        await mine.getByTestId(`card-${card!.id}`).getByText('Verified', { exact: true }).waitFor();
        expect(await mine.getByTestId(`card-${card!.id}`).innerText()).not.toContain('A reviewer checks the scan');
      } finally {
        await mine.close();
        await reviewerPage.close();
      }
    });
  }
});
