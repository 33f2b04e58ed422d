/**
 * An admin corrects and voids training records on a person's transcript, at desktop width and at
 * 390 px: the form, the server's message by its field, the confirmation, and the voided record
 * shown as voided with its reason (issue 18).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { recordTraining } from '../../services/training.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];
const fits = async (page: Page, width: number) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

describe('correcting and voiding training records', () => {
  for (const { name, viewport } of WIDTHS) {
    it(`lets an admin void and correct a record with a reason (${name})`, async () => {
      const { db } = app.database;
      const admin = await aUser(db, ['admin']);
      const person = await aUser(db, ['professional']);
      const professional = await db('professionals').where({ id: person.professionalId }).first();
      await anEmployment(db, professional, await anOrganization(db, { licensed: true }), '2025-01-06');
      const title = `DESE Guidance ${name}`;
      const course = await aCourse(db, { title, sponsor: 'DESE OOC', delivery: 'online', clock_hours: 2 });
      for (const completedOn of ['2025-03-01', '2025-09-01'])
        await recordTraining(db, {
          professionalId: professional.id,
          courseId: course.id,
          completedOn,
          source: 'online_course',
        });

      const page = await app.browser.newPage({ viewport });
      try {
        await app.signInThroughPage(page, admin);
        await page.goto(`${app.baseUrl}/professionals/${professional.id}/transcript`);
        await page.getByRole('heading', { level: 1, name: /transcript/i }).waitFor();

        await page
          .getByTestId(/^record-/)
          .first()
          .waitFor();
        // Void the March completion: without a reason the server's message shows by the field.
        await page.getByRole('button', { name: `Void: ${title}, 2025-03-01` }).click();
        const voidForm = page.getByRole('form', { name: `Void “${title}”` });
        await voidForm.getByRole('button', { name: 'Review the change' }).click();
        await voidForm.getByRole('button', { name: 'Yes, void it' }).click();
        const reason = voidForm.getByLabel('Reason');
        await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
        await fits(page, viewport.width);
        await reason.fill('Entered for the wrong person');
        await voidForm.getByRole('button', { name: 'Review the change' }).click();
        await voidForm.getByText(`Void “${title}” of 2025-03-01?`).waitFor();
        await voidForm.getByRole('button', { name: 'Yes, void it' }).click();
        await page.getByRole('status').getByText('Voided. 1 other record’s credit was decided again.').waitFor();

        // The voided record shows as voided with its reason; September now earns the hours.
        const rows = await db('training_records').where({ professional_id: professional.id }).orderBy('completed_on');
        const march = page.getByTestId(`record-${rows[0].id}`);
        await march.getByText('Voided: Entered for the wrong person').waitFor();
        expect(await march.getByText('Voided', { exact: true }).count()).toBe(1);
        expect(await march.getByRole('button', { name: /^Correct/ }).count()).toBe(0);
        const september = page.getByTestId(`record-${rows[1].id}`);
        expect((await september.locator('td').last().innerText()).trim()).toBe('2');

        // Correct September's hours, with a reason and a confirmation.
        await september.getByRole('button', { name: `Correct: ${title}, 2025-09-01` }).click();
        const correctForm = page.getByRole('form', { name: `Correct “${title}”` });
        await correctForm.getByLabel('Hours attended').fill('1.5');
        await correctForm.getByLabel('Reason').fill('The sign-in sheet says an hour and a half');
        await correctForm.getByRole('button', { name: 'Review the change' }).click();
        await correctForm.getByText(`Change “${title}” to 2025-09-01, 1.5 hours?`).waitFor();
        await fits(page, viewport.width);
        await correctForm.getByRole('button', { name: 'Yes, correct it' }).click();
        await page
          .getByRole('status')
          .getByText(/^Corrected\./)
          .waitFor();
        await expect.poll(async () => (await september.locator('td').last().innerText()).trim()).toBe('1.5');
        await fits(page, viewport.width);
        expect(
          await db('training_record_versions').where({ training_record_id: rows[1].id }).orderBy('id').pluck('kind'),
        ).toEqual(['redecided', 'corrected']);
      } finally {
        await page.close();
      }
    });
  }
});
