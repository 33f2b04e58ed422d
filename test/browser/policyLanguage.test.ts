/**
 * The policy pages in Spanish, in Chromium at phone width: policy staff who read Spanish start a
 * draft, open a rule in the editor, save and validate it and see the worked cases and the
 * simulation, all in Spanish, while the rule set's own words (rule ids, event types) stay as written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

const PHONE = { width: 390, height: 844 };

describe('the policy pages in Spanish', () => {
  it('start, edit, save and validate a draft in Spanish at phone width', async () => {
    const policy = await aUser(app.database.db, ['policy_staff']);
    const page = await app.browser.newPage({ viewport: PHONE });
    try {
      await app.signInThroughPage(page, policy);
      await page.getByLabel('Language').selectOption('es');
      // The account keeps the choice; the next page load reads it from there.
      await expect
        .poll(async () => (await app.database.db('users').where({ id: policy.user.id }).first()).language)
        .toBe('es');
      await page.goto(`${app.baseUrl}/policy/rules`);
      await page.getByRole('heading', { level: 1, name: 'Reglas' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Versiones' }).waitFor();
      expect(await page.getByTestId('version-1').innerText()).toContain('Versión 1');
      expect(await page.getByLabel('A partir de la versión').locator('option').first().innerText()).toBe(
        'Versión 1 (publicada)',
      );

      await page.getByLabel('Nota del cambio').fill('Requisito de licencia reducido a 10 horas al año');
      await page.getByRole('button', { name: 'Empezar un borrador a partir de la versión 1' }).click();
      await page.waitForURL(/\/policy\/rules\/2$/);
      await page.getByRole('heading', { level: 1, name: 'Reglas, versión 2' }).waitFor();

      // The editor speaks Spanish; the rule's id and its event type are the rule set's own words.
      await page.locator('summary', { hasText: 'requirement.licensing-annual-hours' }).click();
      const rule = page.getByRole('group', { name: /^Regla \d+: requirement\.licensing-annual-hours$/ });
      expect(await rule.getByLabel('Evento').inputValue()).toBe('hours-requirement');
      await rule.getByRole('group', { name: 'Condición 1' }).getByLabel('Campo').waitFor();
      await rule.getByRole('button', { name: 'Agregar una condición' }).waitFor();

      await page.getByRole('button', { name: 'Guardar el borrador' }).click();
      await page.getByText('Guardado. No hay problemas: valídelo cuando esté listo/a.').waitFor();
      await page.getByRole('button', { name: 'Validar', exact: true }).click();
      await page.getByText(/^Validada: no hay problemas\. Los \d+ casos de ejemplo se cumplen\.$/).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Casos de ejemplo' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Publicar la versión 2' }).waitFor();
      await page.getByRole('button', { name: 'Ejecutar la simulación' }).waitFor();

      const text = await page.locator('main').innerText();
      for (const english of ['Save draft', 'Worked cases', 'Run the simulation', 'Effective from', 'Add a rule'])
        expect(text).not.toContain(english);
      // Longer Spanish words still fit the phone's width.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await page.close();
    }
  });
});
