/**
 * Policy staff change the rules in Chromium: a draft lowering the licensing requirement from 12
 * to 10 hours, edited in the form, diffed, checked against a worked case they then correct,
 * simulated, validated and published from January 1 of last year — and the person who was one
 * hour short last year turns compliant, recomputed by the publication workflow on the worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertSetting } from '../../db/settings.js';
import type { Page } from 'playwright-core';
import { recordTraining } from '../../services/training.js';
import { refreshCompliance } from '../../services/compliance.js';
import { localDateOf, yearOf } from '../../rules/dates.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';
import { mustFind } from '../support/rows.js';
import type { WorkedCase } from '../../rules/workedCases.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
  // One person drafts and publishes in this test; four eyes are tested in ruleSetFourEyes.test.ts.
  await upsertSetting(app.database.db, 'rule_set_single_person_publication', true);
});
afterAll(async () => {
  await app?.close();
});

const fitsPhone = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('changing the rules', () => {
  it('lowers the licensing hours in the form, fixes the worked case, publishes from last January and turns the person one hour short compliant', async () => {
    const { db } = app.database;
    const lastYear = yearOf(localDateOf(new Date())) - 1;
    const center = await anOrganization(db, { name: 'Maple Street Preschool', licensed: true, serves_infants: false });
    const person = await aProfessional(db, { firstName: 'Lena', lastName: 'Short' });
    await anEmployment(db, person, center, `${lastYear}-01-01`);
    const course = await aCourse(db, {
      title: 'Guiding Behavior',
      topic: 'guidance',
      clock_hours: 11,
      sponsor: 'Child Care Aware of Missouri',
    });
    await recordTraining(db, {
      professionalId: person.id,
      courseId: course.id,
      completedOn: `${lastYear}-06-01`,
      source: 'individual_request',
    });
    await refreshCompliance(db, person.id);
    const compliant = async () =>
      (await db('compliance_results').where({ professional_id: person.id }).first()).compliant as boolean;
    expect(await compliant()).toBe(false);

    const policy = await aUser(db, ['policy_staff']);
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await app.signInThroughPage(page, policy);
      await goTo(page, 'Rules');
      await page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor();
      expect(await page.getByTestId('version-1').innerText()).toContain('Published');

      // A draft needs its reason.
      await page.getByRole('button', { name: 'Start a draft from version 1' }).click();
      await page.locator('#draft-note-error').waitFor();
      await page.getByLabel('Change note').fill('Licensing requirement lowered to 10 hours a year');
      await page.getByRole('button', { name: 'Start a draft from version 1' }).click();
      await page.waitForURL(/\/policy\/rules\/2$/);
      await page.getByRole('heading', { level: 1, name: 'Rules, version 2' }).waitFor();

      // The form: open the licensing rule and lower its hours.
      await page.locator('summary', { hasText: 'requirement.licensing-annual-hours' }).click();
      const rule = page.getByRole('group', { name: /^Rule \d+: requirement\.licensing-annual-hours$/ });
      const hours = rule.getByLabel('Hours', { exact: true });
      expect(await hours.inputValue()).toBe('12');
      expect(await rule.getByLabel('Event').inputValue()).toBe('hours-requirement');
      expect(await rule.getByRole('group', { name: 'Condition 1' }).getByLabel('Field').inputValue()).toBe(
        'organization.licensed',
      );
      // A problem is shown beside the field it names, and listed above the rules.
      const condition = rule.getByRole('group', { name: 'Condition 1' });
      await condition.getByLabel('Field').selectOption('organization.contractYearStartMonth');
      await condition.getByLabel('Value', { exact: true }).fill('13');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page
        .getByRole('status')
        .getByText('Saved with 1 problem to fix; each is shown beside its field.')
        .waitFor();
      const value = condition.getByLabel('Value', { exact: true });
      expect(await value.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await value.getAttribute('aria-describedby'))!.split(' ');
      expect(await page.locator(`#${describedBy.at(-1)}`).innerText()).toBe(
        'contract year start month is between 1 and 12; 13 is outside',
      );
      expect(
        await page.getByRole('region', { name: '1 problem in the saved draft' }).getByRole('link').innerText(),
      ).toBe('requirement.licensing-annual-hours');
      await condition.getByLabel('Field').selectOption('organization.licensed');
      expect(await condition.getByLabel('Value', { exact: true }).isChecked()).toBe(true);

      await hours.fill('10');
      await rule.getByLabel('Label', { exact: true }).fill('Licensing: 10 clock hours each calendar year');

      // The JSON view shows the same document; JSON that does not parse keeps you there.
      await page.getByRole('button', { name: 'JSON' }).click();
      const json = page.getByLabel('The rule-set document (JSON)');
      const text = await json.inputValue();
      expect(text).toContain('"hours": 10,');
      await json.fill(`${text}\n}`);
      await page.getByRole('button', { name: 'Form' }).click();
      await page
        .locator('#document-json-error')
        .getByText(/not a valid document/)
        .waitFor();
      expect(await json.isVisible()).toBe(true);
      await json.fill(text);
      await page.getByRole('button', { name: 'Form' }).click();
      expect(await rule.getByLabel('Hours', { exact: true }).inputValue()).toBe('10');

      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByRole('status').getByText('Saved. No problems: validate it when you are ready.').waitFor();
      expect(await page.getByTestId('diff').innerText()).toContain('hours: 12 → 10');
      expect(await page.getByTestId('case-employment.licensed-twelve-hours').innerText()).toMatch(
        /Fails[\s\S]*hours › licensing-annual-hours: 12[\s\S]*hours › licensing-annual-hours: 10/,
      );
      expect(await page.getByTestId('cases-summary').innerText()).toMatch(/1 fails/);

      // The worked case now expects 10 hours.
      await page.getByRole('button', { name: 'Edit case employment.licensed-twelve-hours' }).click();
      await page
        .getByLabel('What the case shows')
        .fill('staff of a licensed program need 10 clock hours a calendar year');
      const expectedHours = page.getByLabel('Hours for licensing-annual-hours');
      expect(await expectedHours.inputValue()).toBe('12');
      await expectedHours.fill('10');
      await page.getByRole('button', { name: 'Save case' }).click();
      await page
        .getByRole('status')
        .getByText('Case employment.licensed-twelve-hours saved; the cases were run again.')
        .waitFor();
      await expect.poll(() => page.getByTestId('cases-summary').innerText()).toMatch(/^(\d+) of \1 pass\.$/);
      const stored = await mustFind(
        db('rule_set_cases')
          .where({ rule_set: 'mopd-compliance', case_id: 'employment.licensed-twelve-hours' })
          .first(),
      );
      expect((stored.definition as WorkedCase).expected).toEqual({
        requirements: ['licensing-annual-hours'],
        hours: { 'licensing-annual-hours': 10 },
      });

      // What if: as of today, the person one hour short last year turns compliant.
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
        .toBe('1');
      expect(await page.getByTestId('turned-to-non-compliant').textContent()).toBe('0');
      expect(
        await page
          .getByRole('table', { name: 'By organization' })
          .getByRole('row', { name: /Maple Street Preschool/ })
          .innerText(),
      ).toMatch(/Maple Street Preschool\s+1\s+1\s+0/);

      // On a phone the editor fits: the rule's rows stack and the tables scroll inside their own box.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await fitsPhone(page)).toBeLessThanOrEqual(390);
      await page.setViewportSize({ width: 1280, height: 900 });

      await page.getByRole('link', { name: 'Lena Short' }).click();
      await page.getByRole('heading', { level: 1, name: 'Before and after the change' }).waitFor();
      expect(await page.getByTestId('side-0-status').textContent()).toBe('Not compliant');
      expect(await page.getByTestId('side-1-status').textContent()).toBe('Compliant');
      await page.goBack();
      await page.getByRole('heading', { level: 1, name: 'Rules, version 2' }).waitFor();

      await page.getByRole('button', { name: 'Validate' }).click();
      await page
        .getByRole('status')
        .getByText(/^Validated: no problems\. All \d+ worked cases pass\.$/)
        .waitFor();
      await page.getByLabel('Effective from', { exact: true }).fill(`${lastYear}-01-01`);
      await page.getByRole('button', { name: 'Publish version 2' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Yes, publish' }).click();
      await page
        .getByRole('status')
        .getByText(`Publication scheduled from ${lastYear}-01-01.`, { exact: false })
        .waitFor();

      // The workflow switches the version in at once (the date is past) and recomputes everyone.
      await page.getByRole('link', { name: 'Follow its progress' }).click();
      await page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor();
      await expect
        .poll(() => page.locator('[data-testid^="publication-"]').first().innerText(), { timeout: 60_000 })
        .toMatch(/Version 2\s+from .*Completed/s);
      expect(await page.locator('[data-testid^="publication-"]').first().innerText()).toMatch(/1 turned/);
      expect(await page.getByTestId('version-2').innerText()).toContain('Published');
      expect(await page.getByTestId('version-1').innerText()).toContain('Superseded');
      expect(await compliant()).toBe(true);

      // Published versions are read, not edited: a change starts from them.
      await page.getByRole('link', { name: 'Version 1' }).click();
      await page.getByRole('heading', { level: 1, name: 'Rules, version 1' }).waitFor();
      await page.getByText('Version 1 is superseded: it is never changed.').waitFor();
      expect(await page.getByRole('button', { name: 'Save draft' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Start a draft from it' }).click();
      await page.getByRole('heading', { level: 1, name: 'Rules' }).waitFor();
      await page.getByRole('button', { name: 'Start a draft from version 1' }).waitFor();

      await page.goto(`${app.baseUrl}/professionals/${person.id}/compliance`);
      await expect
        .poll(() =>
          page
            .getByTestId('overall-status')
            .textContent()
            .catch(() => null),
        )
        .toBe('Compliant');
      expect(
        await page.getByTestId(`period-licensing-annual-hours-${lastYear}`).locator('td').allTextContents(),
      ).toEqual(['10 h', '11 h', '11 h', 'Met']);
    } finally {
      await page.close();
    }
  });
});
