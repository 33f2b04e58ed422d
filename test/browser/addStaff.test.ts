/**
 * A director adds staff through the staff report page (issue 16): someone with an MOPD ID is
 * invited and accepts on their own profile before they are listed; someone new is added at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestDatabase } from '../support/database.js';
import { anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let browserApp: BrowserApp;
let database: TestDatabase;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  browserApp = await startBrowserApp();
  ({ database, browser, baseUrl } = browserApp);
});

afterAll(async () => {
  await browserApp?.close();
});

describe('adding staff', () => {
  it('invites someone by MOPD ID, lists them once they accept on their profile, and adds someone new at once', async () => {
    const { db } = database;
    const center = await anOrganization(db, { name: 'Cardinal Kids Center', licensed: true, serves_infants: false });
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: center.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const person = await aUser(db, ['professional']);
    const { mopd_id: mopdId } = await db('professionals').where({ id: person.professionalId }).first();

    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    try {
      await browserApp.signInThroughPage(page, director);
      await page.goto(`${baseUrl}/reports/staff`);
      await page.getByRole('heading', { name: 'Add staff' }).waitFor();
      // A malformed MOPD ID is answered beside its field.
      await page.getByLabel('MOPD ID', { exact: true }).fill('12345');
      await page.getByRole('button', { name: 'Send the invitation' }).click();
      await page.locator('#staff-mopd-id-error').waitFor();
      await page.getByLabel('MOPD ID', { exact: true }).fill(mopdId);
      await page.getByRole('button', { name: 'Send the invitation' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Invitation sent to ${mopdId}` })
        .waitFor();
      await page.getByTestId('staff-invitations').filter({ hasText: 'waiting for their answer' }).waitFor();
      expect(await page.getByTestId(`staff-${mopdId}`).count()).toBe(0);

      await page.getByLabel('Someone new to MOPD').check();
      await page.getByLabel('First name').fill('Nell');
      await page.getByLabel('Last name').fill('Newcomer');
      await page.getByLabel('Email', { exact: true }).fill(`nell.${Date.now()}@example.org`);
      await page.getByRole('button', { name: 'Add to staff' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Added with MOPD ID MO[0-9]{7}/ })
        .waitFor();
      await page.getByRole('row').filter({ hasText: 'Nell Newcomer' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in/);

      await browserApp.signInThroughPage(page, person);
      await page.goto(`${baseUrl}/professionals/${person.professionalId}/profile`);
      const invitation = page.getByTestId('staff-invitations');
      await invitation.getByText('Cardinal Kids Center asks to list you as teacher').waitFor();
      await invitation.getByRole('button', { name: 'Accept' }).click();
      await invitation
        .getByRole('status')
        .filter({ hasText: 'Accepted: you are on the staff of Cardinal Kids Center.' })
        .waitFor();
      await page.getByRole('region', { name: 'Employment' }).getByText('Cardinal Kids Center').waitFor();
      expect(
        await db('employments').where({ professional_id: person.professionalId, organization_id: center.id }),
      ).toHaveLength(1);
    } finally {
      await page.close();
    }
  });
});
