/** An admin brings a legacy batch in through the import page: upload, read the report, apply, see it applied. */
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/legacy');
let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

describe('the import page', () => {
  it('shows what a batch would do, rejected rows with their reasons, then applies it with progress', async () => {
    const { db } = app.database;
    const admin = await aUser(db, ['admin']);
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, admin);
      await page.getByRole('link', { name: 'Import' }).click();
      // The page explains every file's columns itself (the README is not reachable from the app).
      await page.getByRole('heading', { name: 'The files and their columns' }).waitFor();
      await page.locator('summary', { hasText: /^training\.csv$/ }).click();
      const trainingColumns = page.getByRole('table', { name: 'Columns of training.csv' });
      await trainingColumns.getByRole('rowheader', { name: 'completed_on' }).waitFor();
      expect(await trainingColumns.getByRole('row', { name: /^completed_on Yes / }).count()).toBe(1);
      const files = fs
        .readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => path.join(FIXTURES, f));
      await page.getByLabel('CSV files').setInputFiles(files);
      await page.getByRole('button', { name: 'Check the files' }).click();
      await page.getByText('Checked. Nothing is written until you apply.').waitFor();
      expect(await db('professionals').count('* as n')).toEqual([{ n: 0 }]);
      // The preview survives a reload: the batch is in the address.
      await page.waitForURL(/[?&]batch=\d+/);
      await page.reload();
      await page.getByRole('heading', { name: /^Batch \d+: previewed$/ }).waitFor();
      const summary = await page.getByText(/to create, \d+ to update, \d+ rows rejected/).innerText();
      expect(Number(/(\d+) rows rejected/.exec(summary)![1])).toBeGreaterThan(0);
      // The workshop calendar's files are read too, and the page names them in its own words.
      for (const name of ['trainer_applications.csv', 'course_applications.csv', 'events.csv'])
        await page.getByRole('rowheader', { name }).waitFor();
      await page.getByText(/applications come before the events and training that refer to them/).waitFor();
      const training = page.locator('details', { hasText: /training\.csv: \d+ rejected rows/ });
      await training.locator('summary').click();
      await training
        .getByText(/^Line \d+, /)
        .first()
        .waitFor();
      await page.getByRole('button', { name: 'Apply this batch' }).click();
      await page.getByText('Applied. Running the same files again will change nothing.').waitFor({ timeout: 60_000 });
      expect(Number((await db('professionals').count<{ n: number }[]>('* as n'))[0]!.n)).toBeGreaterThan(0);
      expect(
        Number(
          (await db('training_records').where({ source: 'legacy_import' }).count<{ n: number }[]>('* as n'))[0]!.n,
        ),
      ).toBeGreaterThan(0);
      expect(
        Number((await db('cases').whereNotNull('legacy_id').count<{ n: number }[]>('* as n'))[0]!.n),
      ).toBeGreaterThan(0);
      expect(
        Number((await db('events').whereNotNull('legacy_id').count<{ n: number }[]>('* as n'))[0]!.n),
      ).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // The same files again: every row is unchanged or rejected, so nothing is offered to apply.
      await page.getByLabel('CSV files').setInputFiles(files);
      await page.getByRole('button', { name: 'Check the files' }).click();
      await page.getByText(/^0 to create, 0 to update, \d+ rows rejected\.$/).waitFor();
      await page.getByText(/^Nothing to apply: every row is unchanged or rejected\./).waitFor();
      expect(await page.getByRole('button', { name: 'Apply this batch' }).count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
