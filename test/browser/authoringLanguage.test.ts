/**
 * An admin who reads Spanish, in Chromium at phone width: checks a legacy batch on the import page
 * and writes an online course's content, every label, button and outcome in Spanish; file names,
 * course titles and the server's own reasons stay as they are.
 */
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCourse } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/legacy');
const PHONE = { width: 390, height: 844 };
let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

describe('import and course authoring in Spanish', () => {
  it('checks a legacy batch and writes a course’s modules and knowledge check in Spanish', async () => {
    const { db } = app.database;
    const admin = await aUser(db, ['admin']);
    const course = await aCourse(db, { title: 'Nutrición para niños pequeños', delivery: 'online', clock_hours: 2 });
    const page = await app.browser.newPage({ viewport: PHONE });
    try {
      await app.signInThroughPage(page, admin);
      await page.getByLabel('Language').selectOption('es');
      // The account keeps the choice; the next page load reads it from there.
      await expect
        .poll(async () => (await app.database.db('users').where({ id: admin.user.id }).first()).language)
        .toBe('es');
      await page.goto(`${app.baseUrl}/admin/import`);
      await page.getByRole('heading', { level: 1, name: 'Importar de los sistemas anteriores' }).waitFor();
      const files = fs
        .readdirSync(FIXTURES)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => path.join(FIXTURES, f));
      await page.getByLabel('Archivos CSV').setInputFiles(files);
      await page.getByRole('button', { name: 'Revisar los archivos' }).click();
      await page.getByText('Revisado. No se guarda nada hasta que usted lo aplique.').waitFor();
      await page.getByRole('heading', { level: 2, name: /^Lote \d+: revisado$/ }).waitFor();
      await page.getByText(/^\d+ por crear, \d+ por actualizar, \d+ filas rechazadas\.$/).waitFor();
      await page
        .getByRole('table', { name: 'Lo que haría cada archivo' })
        .getByRole('rowheader', { name: 'events.csv' })
        .waitFor();
      const training = page.locator('details', { hasText: /training\.csv: \d+ filas rechazadas/ });
      await training.locator('summary').click();
      await training
        .getByText(/^Línea \d+, /)
        .first()
        .waitFor();
      await page.getByRole('button', { name: 'Aplicar este lote' }).waitFor();

      await page.goto(`${app.baseUrl}/trainer/courses/${course.id}/content`);
      await page
        .getByRole('heading', { level: 1, name: 'Contenido del curso: Nutrición para niños pequeños' })
        .waitFor();
      await page.getByRole('button', { name: 'Agregar un módulo' }).click();
      const module = page.getByRole('group', { name: 'Módulo 1' });
      await module.getByLabel('Título', { exact: true }).fill('Armar un plato');
      await module.getByLabel('Texto', { exact: true }).fill('La mitad del plato son frutas y verduras.');
      await page.getByRole('button', { name: 'Agregar una pregunta' }).click();
      const question = page.getByRole('group', { name: 'Pregunta 1' });
      await question.getByLabel('Pregunta', { exact: true }).fill('¿Qué llena la mitad del plato?');
      await question.getByLabel('Opciones, una por línea').fill('Frutas y verduras\nPan');
      await question.getByLabel('Respuesta correcta').selectOption({ label: 'Frutas y verduras' });
      await page.getByRole('button', { name: 'Guardar el contenido' }).click();
      await page
        .getByText(
          'Guardado. Los participantes ven el contenido nuevo de inmediato; su progreso en los módulos que se conservan no cambia.',
        )
        .waitFor();
      expect(await db('course_modules').where({ course_id: course.id }).pluck('title')).toEqual(['Armar un plato']);

      const text = await page.locator('main').innerText();
      for (const english of ['Add a module', 'Knowledge check', 'Save content', 'Pass mark'])
        expect(text).not.toContain(english);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await page.close();
    }
  });
});
