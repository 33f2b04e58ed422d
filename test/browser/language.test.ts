/**
 * Languages in Chromium at phone width: a person switches to Español, sees the menu and pages in
 * Spanish with <html lang="es">, keeps it over a reload, and finds it again when signing in from
 * another browser (the choice is kept on the account). A visitor signing up in Spanish keeps it too.
 * A Spanish-speaking applicant reads what the automatic checks found on their case in Spanish, and a
 * Spanish-speaking professional reads why training is suggested to them in Spanish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createEvent } from '../../db/events.js';
import { CURRENT_INSTRUMENT } from '../../rules/selfAssessment.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn, TEST_PASSWORD, type TestUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { until } from '../support/polling.js';
import { openMenu } from '../support/menu.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

const PHONE = { width: 390, height: 844 };
/** The menu as it reads, groups closed or open: each group's name, then its pages; then notifications and sign out. */
const menuOf = async (page: Page, name: string) =>
  (await page.getByRole('navigation', { name, includeHidden: true }).locator('a, button').allTextContents())
    .map((text) => text.trim())
    .filter(Boolean);
const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang);

async function signInInSpanish(page: Page, who: TestUser) {
  await page.getByLabel('Correo electrónico').fill(who.user.email);
  await page.getByLabel('Contraseña').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Iniciar sesión' }).click();
}

describe('choosing a language', () => {
  it('switches the menu and pages to Spanish, keeps it over a reload and on the account for the next sign-in', async () => {
    const person = await aUser(app.database.db, ['professional']);
    const page = await app.browser.newPage({ viewport: PHONE });
    const elsewhere = await app.browser.newPage({ viewport: PHONE });
    try {
      await app.signInThroughPage(page, person);
      expect(await htmlLang(page)).toBe('en');
      await page.getByLabel('Language').selectOption('es');
      await page.getByRole('link', { name: 'Mi cumplimiento' }).waitFor();
      expect(await menuOf(page, 'Principal')).toEqual([
        'Mi aprendizaje',
        'Mi cumplimiento',
        'Mi capacitación',
        'Mi perfil',
        'Autoevaluación',
        'Microcredenciales',
        'Mis inscripciones',
        'Capacitación',
        'Buscar capacitación',
        'Cursos en línea',
        'Solicitudes',
        'Avisos',
        'Cerrar sesión',
      ]);
      expect(await htmlLang(page)).toBe('es');
      await page.getByRole('heading', { level: 1, name: /^Bienvenido\/a, / }).waitFor();
      await expect.poll(() => page.title()).toBe('Inicio — Desarrollo Profesional de Missouri');

      await page.getByRole('link', { name: 'Avisos' }).click();
      await page.getByRole('heading', { level: 1, name: 'Avisos' }).waitFor();
      await page.getByText('Nada todavía.').waitFor();
      // The choice reached the account, not only this browser.
      await expect
        .poll(async () => (await app.database.db('users').where({ id: person.user.id }).first()).language)
        .toBe('es');

      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Avisos' }).waitFor();
      expect(await htmlLang(page)).toBe('es');

      // Another browser starts in English (its own default), and the account's language wins at sign-in.
      await elsewhere.goto(`${app.baseUrl}/sign-in`);
      await elsewhere.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await elsewhere.getByLabel('Email').fill(person.user.email);
      await elsewhere.getByLabel('Password').fill(TEST_PASSWORD);
      await elsewhere.getByRole('button', { name: 'Sign in' }).click();
      await elsewhere.getByRole('heading', { level: 1, name: /^Bienvenido\/a, / }).waitFor();
      expect(await htmlLang(elsewhere)).toBe('es');
      expect(await menuOf(elsewhere, 'Principal')).toContain('Mi cumplimiento');

      // Content kept as data on the server comes in the account's language too: the self-assessment's statements.
      await elsewhere.getByRole('link', { name: 'Autoevaluación' }).click();
      await elsewhere
        .getByRole('group', { name: 'Orientación y conducta positiva' })
        .getByRole('group', { name: 'Mantengo la calma y el respeto cuando un niño está alterado o se porta mal.' })
        .getByLabel('Todavía no', { exact: true })
        .waitFor();
      expect(await elsewhere.getByText('I stay calm and respectful when a child is upset or acting out.').count()).toBe(
        0,
      );

      // Signing out and in again in the first browser: still Spanish, from the sign-in page on.
      await openMenu(page);
      await page.getByRole('button', { name: 'Cerrar sesión' }).click();
      await page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }).waitFor();
      await signInInSpanish(page, person);
      await page.getByRole('heading', { level: 1, name: /^Bienvenido\/a, / }).waitFor();
      expect(await htmlLang(page)).toBe('es');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await page.close();
      await elsewhere.close();
    }
  });

  it('keeps the language a visitor signs up in', async () => {
    const page = await app.browser.newPage({ viewport: PHONE });
    try {
      await page.goto(`${app.baseUrl}/sign-up`);
      await page.getByLabel('Language').selectOption('es');
      await page.getByRole('heading', { level: 1, name: 'Obtenga su MOPD ID' }).waitFor();
      const email = `nueva-${Date.now()}@example.org`;
      await page.getByLabel('Nombre').fill('Lucía');
      await page.getByLabel('Apellido').fill('Ramos');
      await page.getByLabel('Correo electrónico').fill(email);
      await page.getByLabel('Contraseña').fill('una contraseña bastante larga');
      await page.getByRole('button', { name: 'Crear cuenta' }).click();
      await page.getByTestId('sign-up-sent').waitFor();
      expect(await page.getByText(/^Ya casi: le enviamos un correo electrónico a /).count()).toBe(1);
      // The account (in Spanish) is created when the emailed link is followed.
      await until(
        () => app.database.db('sign_up_requests').where({ email }).first(),
        (row) => row?.language === 'es',
      );
    } finally {
      await page.close();
    }
  });

  it('shows a Spanish-speaking applicant what the automatic checks found, in Spanish', async () => {
    const applicant = await aUser(app.database.db, ['professional']);
    const me = await signIn(app.baseUrl, applicant);
    expect((await me.put('/api/me/language', { language: 'es' })).status).toBe(200);
    // No proof attached: one check asks for it, the credit check passes.
    const submitted = await me.post('/api/cases/training-requests', {
      title: 'Primeros auxilios',
      provider: 'Cruz Roja',
      category: 'out-of-state-registry',
      inRatio: false,
      topic: 'health-safety',
      completedOn: '2026-01-15',
      hours: 2,
      delivery: 'in_person',
      proof: [],
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const id = submitted.body.case.id as number;
    await until(
      async () => (await me.get(`/api/cases/${id}`)).body.case.status as string,
      (s) => s === 'information_requested',
    );

    const page = await app.browser.newPage({ viewport: PHONE });
    try {
      await page.goto(`${app.baseUrl}/sign-in`);
      await page.getByLabel('Email').fill(applicant.user.email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: /^Bienvenido\/a, / }).waitFor();
      await page.goto(`${app.baseUrl}/cases/${id}`);
      await page.getByRole('heading', { level: 2, name: 'Verificaciones automáticas' }).waitFor();
      const checks = page
        .locator('section', { has: page.getByRole('heading', { level: 2, name: 'Verificaciones automáticas' }) })
        .getByRole('listitem');
      const found = await checks.allInnerTexts();
      expect(found).toEqual([
        expect.stringContaining(
          'Adjunte un comprobante de que completó la capacitación (un certificado o un historial académico).',
        ),
        expect.stringContaining('Daría crédito por las 2 horas según la versión 1 del conjunto de reglas.'),
      ]);
      // The English the checks recorded is for reviewers, the timeline and emails; it is not shown here.
      expect(found.join('\n')).not.toMatch(/Attach proof of completion|would earn credit/);
      // The timeline says what MOPD noted in Spanish too: the checks' findings, the steps of the case.
      const timeline = await page.getByTestId('timeline').innerText();
      expect(timeline).toContain(
        'Adjunte un comprobante de que completó la capacitación (un certificado o un historial académico).',
      );
      expect(timeline).not.toMatch(/Attach proof of completion|All automatic checks|In review/);
    } finally {
      await page.close();
    }
  });

  it('tells a Spanish-speaking professional why training is suggested, and names topics and career levels, in Spanish', async () => {
    const { db } = app.database;
    const person = await aUser(db, ['professional']);
    await db('professionals').where({ id: person.professionalId }).update({ zip: '65203' });
    const course = await aCourse(db, { title: 'Guía tranquila y amable', topic: 'guidance', clock_hours: 3 });
    const soon = new Date(Date.now() + 10 * 86_400_000);
    const event = await createEvent(db, {
      course,
      capacity: 20,
      place: { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
      sessions: [{ startsAt: soon, endsAt: new Date(soon.getTime() + 3 * 3_600_000), hours: 3 }],
    });
    const me = await signIn(app.baseUrl, person);
    expect((await me.put('/api/me/language', { language: 'es' })).status).toBe(200);
    // Guidance answered lowest: a growth area, so the guidance event is suggested for it.
    const answers = Object.fromEntries(
      CURRENT_INSTRUMENT.sections.flatMap((s) => s.statements.map((st) => [st.id, s.area === 'guidance' ? 1 : 3])),
    );
    expect((await me.post(`/api/professionals/${person.professionalId}/self-assessments`, { answers })).status).toBe(
      201,
    );

    const page = await app.browser.newPage({ viewport: PHONE });
    try {
      await page.goto(`${app.baseUrl}/sign-in`);
      await page.getByLabel('Email').fill(person.user.email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: /^Bienvenido\/a, / }).waitFor();
      await page.goto(`${app.baseUrl}/professionals/${person.professionalId}/self-assessment`);
      const reasons = page
        .getByRole('list', { name: 'Por qué se sugiere Guía tranquila y amable' })
        .getByRole('listitem');
      await reasons.first().waitFor();
      const said = await reasons.allInnerTexts();
      expect(said).toContain('Un área de crecimiento de su autoevaluación: Orientación y conducta positiva');
      expect(said.join('\n')).toMatch(/A \d+ millas? de usted/);
      // The English the ranking wrote is for logs and other consumers; it is not shown here.
      expect(said.join('\n')).not.toMatch(/growth area|from you/);
      expect(await page.getByTestId(`suggestion-event-${event.id}`).count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

      // The catalog's topic choices are in Spanish too.
      await page.goto(`${app.baseUrl}/catalog`);
      const topics = page.getByLabel('Tema', { exact: true });
      await expect
        .poll(async () => (await topics.locator('option').allInnerTexts()).map((o) => o.trim()))
        .toContain('Orientación y conducta positiva (1)');
      expect((await topics.locator('option').allInnerTexts()).join('\n')).not.toMatch(/Guidance and positive/);

      // So are the career levels the rule set ships, on the profile.
      await page.goto(`${app.baseUrl}/professionals/${person.professionalId}/profile`);
      await page.getByTestId('career-level').waitFor();
      expect(await page.getByTestId('career-level').innerText()).toBe('Nivel 1 · Inicial');
      const ladder = await page.locator('ol.ladder').innerText();
      expect(ladder).toContain('Nivel 2 · En desarrollo — 30 o más horas reloj acreditadas.');
      expect(ladder).not.toMatch(/Level \d|credited clock hours/);
    } finally {
      await page.close();
    }
  });
});
