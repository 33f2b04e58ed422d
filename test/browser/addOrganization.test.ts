/**
 * An admin adds an organization with its first program settings (licensed, subsidized with a
 * contract year, serves infants), is told what is missing beside the field, and finds the
 * organization chosen with those settings in its history; at desktop width and on a 390 px phone.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aUser } from '../support/app.js';
import { useBrowserApp, VIEWPORTS } from '../support/browserSuite.js';

const startedApp = useBrowserApp();

describe.each(VIEWPORTS)('adding an organization at $viewport.width px', ({ viewport, name: suffix }) => {
  it('records the organization with the program settings given, and shows them as its first settings', async () => {
    const browserApp = startedApp();
    const { database, browser, baseUrl } = browserApp;
    const { db } = database;
    const admin = await aUser(db, ['admin']);
    const name = `Maple Street Center ${suffix} ${randomUUID().slice(0, 6)}`;
    const page = await browser.newPage({ viewport });
    try {
      await browserApp.signInThroughPage(page, admin);
      await page.goto(`${baseUrl}/admin/organizations`);
      await page.getByRole('heading', { name: 'Organizations and program settings' }).waitFor();
      const add = page.getByRole('form', { name: 'Add an organization' });
      await add.getByLabel('Name').fill(name);
      await add.getByLabel('County').fill('Boone');
      await add.getByLabel('License number').fill(`MO-${suffix}-${randomUUID().slice(0, 6)}`);
      await add.getByLabel('Subsidized').check();
      await add.getByLabel('Serves infants').check();
      await add.getByRole('button', { name: 'Add organization' }).click();
      // Subsidized without a contract year: said beside the month.
      await add.getByRole('alert').filter({ hasText: 'required for a subsidized program' }).waitFor();
      await add.getByLabel('Contract year starts in').selectOption({ label: 'July' });
      await add.getByRole('button', { name: 'Add organization' }).click();
      await add
        .getByRole('status')
        .filter({ hasText: `Added ${name}.` })
        .waitFor();

      const history = page.getByRole('table', { name: `Settings history of ${name}` });
      await history.getByRole('row').nth(1).waitFor();
      const rows = await history.getByRole('row').allInnerTexts();
      expect(rows).toHaveLength(2);
      expect(rows[1]).toContain('July');
      const organization = await db('organizations').where({ name }).first('id');
      expect(organization).toBeDefined();
      expect(
        await db('program_settings')
          .where({ organization_id: organization!.id })
          .select('licensed', 'license_exempt', 'subsidized', 'serves_infants', 'contract_year_start_month'),
      ).toEqual([
        { licensed: true, license_exempt: false, subsidized: true, serves_infants: true, contract_year_start_month: 7 },
      ]);
      // The settings form starts from what was just recorded.
      const settings = page.getByRole('form', { name: 'Change settings' });
      expect(await settings.getByLabel('Subsidized').isChecked()).toBe(true);
      expect(await settings.getByLabel('Licensed', { exact: true }).isChecked()).toBe(true);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });
});
