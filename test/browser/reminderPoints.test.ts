/**
 * Reminder points are edited like any rule (issue 20): policy staff see an hours requirement's
 * points as one field of whole numbers ("90, 30, 7"), a repeated point is refused beside the
 * field, and new points are saved into the draft as a list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';
import { expectNoAxeViolations } from '../support/axe.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

describe('reminder points in the rule editor', () => {
  it('shows 90, 30, 7 for the licensing hours, refuses a repeated point and saves new ones as a list', async () => {
    const { db } = app.database;
    const policy = await aUser(db, ['policy_staff']);
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await app.signInThroughPage(page, policy);
      await goTo(page, 'Rules');
      await page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor();
      await page.getByLabel('Change note').fill('Remind earlier and once more before the year ends');
      await page.getByRole('button', { name: 'Start a draft from version 1' }).click();
      await page.waitForURL(/\/policy\/rules\/\d+$/);
      const version = Number(/\/policy\/rules\/(\d+)$/.exec(page.url())![1]);

      await page.locator('summary', { hasText: 'requirement.licensing-annual-hours' }).click();
      const rule = page.getByRole('group', { name: /^Rule \d+: requirement\.licensing-annual-hours$/ });
      const points = rule.getByLabel('Reminder days before', { exact: true });
      expect(await points.inputValue()).toBe('90, 30, 7');
      await expectNoAxeViolations(page);

      await points.fill('60, 60');
      await points.press('Tab');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page
        .getByRole('status')
        .getByText(/Saved with 1 problem to fix/)
        .waitFor();
      expect(await points.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await points.getAttribute('aria-describedby'))!.split(' ');
      expect(await page.locator(`#${describedBy.at(-1)}`).innerText()).toBe('each reminder point appears only once');

      await points.fill('120, 60, 14');
      await points.press('Tab');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByRole('status').getByText('Saved. No problems: validate it when you are ready.').waitFor();
      const saved = await db('rule_set_versions').where({ rule_set: 'mopd-compliance', version }).first();
      const licensing = (
        saved!.document as { rules: Array<{ id: string; event: { params: { reminderDaysBefore?: number[] } } }> }
      ).rules.find((r) => r.id === 'requirement.licensing-annual-hours')!;
      expect(licensing.event.params.reminderDaysBefore).toEqual([120, 60, 14]);
    } finally {
      await page.close();
    }
  });
});
