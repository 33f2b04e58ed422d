/**
 * An inspector's journey through the UI alone (issue 19), at desktop width and at 390 px: their
 * home lists the facility they are assigned, the staff report of that facility today lists who
 * works there now, and the report as of a past date lists who worked there then (someone who
 * has since left, and not someone hired after). axe runs on each page; the phone never scrolls sideways.
 */
import { describe, expect, it } from 'vitest';
import { aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { checkPage, useBrowserApp, VIEWPORTS } from '../support/browserSuite.js';
import { goTo } from '../support/menu.js';

const startedApp = useBrowserApp();

describe('an inspector reads a facility’s staff report as of a past date', () => {
  for (const { name: label, viewport } of VIEWPORTS) {
    it(`home → staff report today → the same report as of a past date (${label})`, async () => {
      const app = startedApp();
      const { db } = app.database;
      const facility = await anOrganization(db, { name: `Willow Creek Child Care ${label}`, county: 'Boone' });
      const leaver = await aProfessional(db, { firstName: 'Lena', lastName: `Left ${label}` });
      const leaving = await anEmployment(db, leaver, facility, '2023-03-01');
      await db('employments').where({ id: leaving.id }).update({ end_date: '2025-08-31' });
      const newcomer = await aProfessional(db, { firstName: 'Nia', lastName: `New ${label}` });
      await anEmployment(db, newcomer, facility, '2025-10-01');
      const inspector = await aUser(db, ['inspector']);
      await db('inspector_assignments').insert({ user_id: inspector.user.id, organization_id: facility.id });

      const page = await app.browser.newPage({ viewport });
      try {
        await app.signInThroughPage(page, inspector);
        await page.getByText(facility.name).first().waitFor();
        await checkPage(page);

        await goTo(page, 'Staff reports');
        await page.getByLabel('Organization').selectOption({ label: `${facility.name} (Boone)` });
        const report = page.getByRole('region', { name: new RegExp(`^${facility.name}, as of`) });
        await report.waitFor();
        const today = await report.innerText();
        expect(today).toContain(`Nia New ${label}`);
        expect(today).not.toContain(`Lena Left ${label}`);
        await checkPage(page);

        await page.getByRole('textbox', { name: 'As of' }).fill('2025-06-30');
        await page
          .getByRole('region', { name: new RegExp(`^${facility.name}, as of (2025-06-30|Jun 30, 2025)`) })
          .waitFor();
        const then = await report.innerText();
        expect(then).toContain(`Lena Left ${label}`);
        expect(then).not.toContain(`Nia New ${label}`);
        await checkPage(page);
      } finally {
        await page.close();
      }
    });
  }
});
