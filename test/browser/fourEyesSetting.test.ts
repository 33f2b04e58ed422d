/**
 * Four eyes on rule changes, in Chromium (issue 19): an admin finds the setting under Admin →
 * Settings, reads what it does and lets one person draft and approve, or not (audited); the
 * version's page says who drafted it, that a second person approves, and then who approved it.
 * At desktop width and at 390 px, with axe on each page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { getSetting } from '../../db/settings.js';
import { createRuleSetVersions } from '../../services/ruleSetVersions.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

const checkbox = (page: Page) =>
  page.getByRole('checkbox', { name: 'Let one person draft a version of the rules and approve its publication' });

describe('the four-eyes setting and the policy page', () => {
  it('is changed by an admin on the settings page, audited, and the version page names who drafted and who approved', async () => {
    const { db } = app.database;
    const admin = await aUser(db, ['admin']);
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await app.signInThroughPage(page, admin);
      await goTo(page, 'Settings');
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Approving rule changes (four eyes)' }).waitFor();
      expect(await page.getByTestId('four-eyes-now').innerText()).toBe('Now: a second person approves each version.');
      expect(await checkbox(page).isChecked()).toBe(false);
      // Nothing to save until something changes.
      expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      await expectNoAxeViolations(page);

      await checkbox(page).check();
      await page.getByRole('button', { name: 'Save' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'One person may now draft a version and approve it.' })
        .waitFor();
      expect(await page.getByTestId('four-eyes-now').innerText()).toBe(
        'Now: the person who drafted a version may approve it.',
      );
      expect(await getSetting(db, 'rule_set_single_person_publication')).toBe(true);
      await expectNoAxeViolations(page);

      // After a reload the page shows what is saved; turning it back needs a second person again.
      await page.reload();
      expect(await checkbox(page).isChecked()).toBe(true);
      await checkbox(page).uncheck();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'A second person now approves each version.' }).waitFor();
      expect(await getSetting(db, 'rule_set_single_person_publication')).toBe(false);
      const audited = await db('audit_log')
        .where({ action: 'setting.changed', entity_id: 'rule_set_single_person_publication' })
        .orderBy('id');
      expect(audited.map((a) => Number(a.actor_user_id))).toEqual([admin.user.id, admin.user.id]);
    } finally {
      await page.close();
    }

    // The policy page: the drafter is told a second person approves; once one has, it names both.
    const drafter = await aUser(db, ['policy_staff']);
    const reader = await aUser(db, ['policy_staff']);
    await db('users').where({ id: drafter.user.id }).update({ display_name: 'Dana Drafter' });
    await db('users').where({ id: reader.user.id }).update({ display_name: 'Rosa Reader' });
    const versions = createRuleSetVersions({ db });
    const { version } = await versions.createDraft({
      ruleSet: 'mopd-compliance',
      fromVersion: 1,
      changeNote: 'Four eyes in the browser',
      byUserId: drafter.user.id,
    });
    await versions.validate({ ruleSet: 'mopd-compliance', version, byUserId: drafter.user.id });
    const policyPage = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await app.signInThroughPage(policyPage, drafter);
      await policyPage.goto(`${app.baseUrl}/policy/rules/${version}`);
      await policyPage.getByTestId('drafted-by').waitFor();
      expect(await policyPage.getByTestId('drafted-by').innerText()).toBe('Drafted by Dana Drafter');
      await policyPage.getByTestId('four-eyes').waitFor();
      expect(await policyPage.getByTestId('approved-by').count()).toBe(0);

      await versions.schedulePublication({
        ruleSet: 'mopd-compliance',
        version,
        effectiveFrom: '2099-01-01',
        byUserId: reader.user.id,
        // No workflow here: this test reads the page, not the publication.
        start: async () => undefined,
      });
      await policyPage.reload();
      await policyPage.getByTestId('approved-by').waitFor();
      expect(await policyPage.getByTestId('approved-by').innerText()).toMatch(
        /^Approved for publication by Rosa Reader on /,
      );
      expect(await policyPage.getByTestId('drafted-by').innerText()).toBe('Drafted by Dana Drafter');
      await expectNoAxeViolations(policyPage);
    } finally {
      await policyPage.close();
    }
  });

  it('fits a 390 px phone, through the folded menu, with no axe violation', async () => {
    const { db } = app.database;
    const admin = await aUser(db, ['admin']);
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, admin);
      await goTo(page, 'Settings');
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
      await checkbox(page).waitFor();
      await expectNoHorizontalScroll(page);
      await expectNoAxeViolations(page);
    } finally {
      await page.close();
    }
  });
});
