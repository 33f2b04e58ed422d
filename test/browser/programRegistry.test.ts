/**
 * An admin adds a program type with English and Spanish labels, edits it, and records an
 * organization's program settings effective from a date, seeing the history (issue 18); at
 * desktop width and on a 390 px phone.
 */
import { describe, expect, it } from 'vitest';
import { anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { useBrowserApp, VIEWPORTS } from '../support/browserSuite.js';

const startedApp = useBrowserApp();

describe.each(VIEWPORTS)('program registry at $viewport.width px', ({ viewport, name: suffix }) => {
  it('adds a program type in English and Spanish and dates an organization’s new settings', async () => {
    const browserApp = startedApp();
    const { database, browser, baseUrl } = browserApp;
    const { db } = database;
    const admin = await aUser(db, ['admin']);
    const centerName = `Oak Hollow Center ${suffix}`;
    const center = await anOrganization(db, { name: centerName, licensed: true, license_number: `MO-${suffix}` });
    await db('program_settings').insert({
      organization_id: center.id,
      effective_from: '2024-01-01',
      licensed: true,
      license_exempt: false,
      subsidized: false,
      serves_infants: true,
      contract_year_start_month: null,
    });
    const code = `afterschool_${suffix}`;

    const page = await browser.newPage({ viewport });
    try {
      await browserApp.signInThroughPage(page, admin);
      await page.goto(`${baseUrl}/admin/program-types`);
      await page.getByRole('heading', { name: 'Program types and roles' }).waitFor();
      const addType = page.getByRole('form', { name: 'Add program type' });
      // A missing Spanish label is answered beside its field.
      await addType.getByLabel('Code').fill(code);
      await addType.getByLabel('English label').fill('Afterschool program');
      await addType.getByRole('button', { name: 'Add program type' }).click();
      await addType.getByRole('alert').filter({ hasText: 'Spanish label is required' }).waitFor();
      expect(await addType.getByLabel('Spanish label').getAttribute('aria-invalid')).toBe('true');
      await addType.getByLabel('Spanish label').fill('Programa después de clases');
      await addType.getByRole('button', { name: 'Add program type' }).click();
      await addType.getByRole('status').filter({ hasText: 'Added Afterschool program.' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: code });
      await row.getByRole('cell', { name: 'Programa después de clases', exact: true }).waitFor();

      // Edit its English label.
      await row.getByRole('button', { name: 'Edit Afterschool program' }).click();
      const edit = page.getByRole('form', { name: `Edit ${code}` });
      await edit.getByLabel('English label').fill('Afterschool and summer program');
      await edit.getByRole('button', { name: 'Save' }).click();
      await edit.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await page
        .getByRole('row')
        .filter({ hasText: code })
        .getByRole('cell', { name: 'Afterschool and summer program', exact: true })
        .waitFor();

      // An organization's settings change from a date; the earlier settings stay in the history.
      await page.goto(`${baseUrl}/admin/organizations`);
      await page.getByRole('heading', { name: 'Organizations and program settings' }).waitFor();
      await page.getByLabel('Organization', { exact: true }).selectOption({ label: centerName });
      await page.getByRole('heading', { name: `Settings history of ${centerName}` }).waitFor();
      const settings = page.getByRole('form', { name: 'Change settings' });
      await settings.getByLabel('Effective from').fill('2027-07-01');
      await settings.getByLabel('Licensed', { exact: true }).uncheck();
      await settings.getByLabel('Subsidized').check();
      await settings.getByRole('button', { name: 'Save settings' }).click();
      // Subsidized without a contract year: said beside the month.
      await settings.getByRole('alert').filter({ hasText: 'required for a subsidized program' }).waitFor();
      await settings.getByLabel('Contract year starts in').selectOption({ label: 'July' });
      await settings.getByRole('button', { name: 'Save settings' }).click();
      await settings.getByRole('status').filter({ hasText: 'Settings saved, effective from' }).waitFor();
      const history = page.getByRole('table', { name: `Settings history of ${centerName}` });
      await history.getByRole('row').nth(2).waitFor();
      const rows = await history.getByRole('row').allInnerTexts();
      expect(rows).toHaveLength(3);
      expect(rows[2]).toContain('July');
      const stored = await db('program_settings')
        .where({ organization_id: center.id })
        .orderBy('effective_from')
        .select('effective_from', 'licensed', 'subsidized', 'contract_year_start_month');
      expect(stored).toEqual([
        { effective_from: '2024-01-01', licensed: true, subsidized: false, contract_year_start_month: null },
        { effective_from: '2027-07-01', licensed: false, subsidized: true, contract_year_start_month: 7 },
      ]);
      // Nothing overflows the page sideways, on a phone too.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });
});
