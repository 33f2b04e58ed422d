/**
 * The page a reminder email's unsubscribe link opens (issue 20): no sign-in; visiting it changes
 * nothing (link scanners visit links), its button turns the optional reminders off and says so,
 * in English and Spanish, at desktop and phone width, with nothing for axe to find; a link that
 * is no one's says so. The person turns reminders back on from their profile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { aUser } from '../support/app.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';
import { reminderPreference, remindersWanted } from '../../services/reminders.js';
import { until } from '../support/polling.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('the unsubscribe page', () => {
  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const)
    it(`turns reminders off with its button, at ${name} width`, async () => {
      const person = await aUser(app.database.db, ['professional']);
      const id = person.professionalId!;
      const { unsubscribeToken } = await reminderPreference(app.database.db, id);
      const page = await app.browser.newPage({ viewport });
      try {
        await page.goto(`${app.baseUrl}/unsubscribe/${unsubscribeToken}`);
        await page.getByRole('heading', { level: 1, name: 'Stop reminders about annual hours' }).waitFor();
        await expectNoAxeViolations(page);
        if (viewport === PHONE) await expectNoHorizontalScroll(page);
        // Opening the page is not unsubscribing.
        expect(await remindersWanted(app.database.db, id)).toBe(true);

        await page.getByRole('button', { name: 'Stop reminders' }).click();
        await page
          .getByRole('status')
          .getByText(/you will get no more reminders about annual hours/)
          .waitFor();
        expect(await remindersWanted(app.database.db, id)).toBe(false);
        await expectNoAxeViolations(page);
      } finally {
        await page.close();
      }
    });

  it('speaks Spanish to a Spanish browser and says when a link is no one’s', async () => {
    const context = await app.browser.newContext({ viewport: PHONE, locale: 'es-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${app.baseUrl}/unsubscribe/00000000-0000-4000-8000-000000000000`);
      // The browser's language chooses Spanish.
      await page
        .getByRole('heading', { level: 1, name: 'Dejar de recibir recordatorios sobre las horas anuales' })
        .waitFor();
      await page.getByRole('button', { name: 'Dejar de recibir recordatorios' }).click();
      await page
        .getByRole('alert')
        .getByText(/Este enlace para cancelar la suscripción no es válido/)
        .waitFor();
      await expectNoAxeViolations(page);
      await expectNoHorizontalScroll(page);
    } finally {
      await context.close();
    }
  });
});

describe('the profile choice', () => {
  it('turns reminders back on from the profile', async () => {
    const person = await aUser(app.database.db, ['professional']);
    const id = person.professionalId!;
    const { unsubscribeToken } = await reminderPreference(app.database.db, id);
    await fetch(`${app.baseUrl}/api/unsubscribe/${unsubscribeToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(await remindersWanted(app.database.db, id)).toBe(false);

    const page = await app.browser.newPage({ viewport: PHONE });
    try {
      await app.signInThroughPage(page, person);
      await page.goto(`${app.baseUrl}/professionals/${id}/profile`);
      const choice = page.getByLabel('Email me reminders about annual hours');
      await choice.waitFor();
      expect(await choice.isChecked()).toBe(false);
      await choice.check();
      await page.getByRole('status').getByText('Saved.').waitFor();
      await until(
        () => remindersWanted(app.database.db, id),
        (wanted) => wanted,
      );
      await expectNoHorizontalScroll(page);
    } finally {
      await page.close();
    }
  });
});
