/**
 * What a person sees on the compliance page, in Debian's Chromium: years with their hours,
 * back-fill shown on both years it touches, and the open safe-sleep deadline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { localDateOf, yearOf } from '../../rules/dates.js';
import type { TestDatabase } from '../support/database.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, type Session, type TestUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';

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

const signInThroughPage = (page: Page, who: TestUser) => browserApp.signInThroughPage(page, who);

/** The menu as it reads, groups closed or open: each group's name, then its pages; then Notifications and Sign out. */
const menuOf = async (page: Page) =>
  (await page.getByRole('navigation', { name: 'Main', includeHidden: true }).locator('a, button').allTextContents())
    .map((text) => text.trim())
    .filter(Boolean);

describe('signing in', () => {
  it('shows each role only the menu it can use', async () => {
    const professional = await aUser(database.db, ['professional']);
    const admin = await aUser(database.db, ['admin']);
    const inspector = await aUser(database.db, ['inspector']);
    const facility = await anOrganization(database.db, { name: 'Bluebird Early Learning' });
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    try {
      await signInThroughPage(page, professional);
      expect(await menuOf(page)).toEqual([
        'My learning',
        'My compliance',
        'My training',
        'My profile',
        'Self-assessment',
        'Micro-credentials',
        'My registrations',
        'Training',
        'Find training',
        'Online courses',
        'Applications',
        'Notifications',
        'Sign out',
      ]);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in/);

      await signInThroughPage(page, admin);
      expect(await menuOf(page)).toEqual([
        'Training',
        'Find training',
        'Online courses',
        'Applications',
        'Review',
        'Review queue',
        'CPR/First Aid cards to verify',
        'Staff and reports',
        'Professionals',
        'Staff',
        'Staff reports',
        'Analytics',
        'Policy',
        'Rules',
        'Administration',
        'Users and roles',
        'Courses',
        'Import',
        'Outgoing mail',
        'Organizations',
        'Program types and roles',
        'Settings',
        'Single sign-on',
        'Notifications',
        'Sign out',
      ]);
      await page.getByRole('link', { name: 'Users and roles' }).click();
      await page.getByRole('heading', { level: 1, name: 'Users and roles' }).waitFor();
      // The list arrives after the heading: wait for it before counting.
      await page.getByRole('cell', { name: new RegExp(professional.user.email) }).waitFor();
      expect(await page.getByRole('cell', { name: new RegExp(professional.user.email) }).count()).toBe(1);

      // Scope: the admin assigns the inspector a facility.
      const row = page.getByRole('row').filter({ hasText: inspector.user.email });
      await row.getByRole('button', { name: 'Edit roles' }).click();
      await row.getByLabel(/Bluebird Early Learning/).check();
      await row.getByRole('button', { name: 'Save facilities' }).click();
      await row.getByRole('status').filter({ hasText: 'Facilities saved.' }).waitFor();
      expect(
        await database.db('inspector_assignments').where({ user_id: inspector.user.id }).pluck('organization_id'),
      ).toEqual([facility.id]);
    } finally {
      await page.close();
    }
  });

  it('shows the server’s message beside the field when a sign-up password is too short', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${baseUrl}/sign-up`);
      await page.getByLabel('First name').fill('Ana');
      await page.getByLabel('Last name').fill('Ruiz');
      await page.getByLabel('Email').fill('ana.ruiz@example.org');
      await page.getByLabel('Password').fill('too short');
      await page.getByRole('button', { name: 'Create account' }).click();
      const message = page.locator('#password-error');
      await message.waitFor();
      expect(await message.textContent()).toBe('must be at least 12 characters');
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
    } finally {
      await page.close();
    }
  });
});

describe('the staff report', () => {
  it('shows a director their organization’s staff with hours and status, with a CSV download', async () => {
    const { db } = database;
    const center = await anOrganization(db, { name: 'Cedar Hollow Preschool', licensed: true, serves_infants: false });
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: center.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const staffer = await aUser(db, ['professional']);
    await anEmployment(
      db,
      await db('professionals').where({ id: staffer.professionalId }).first(),
      center,
      '2024-02-01',
    );
    const mopdId = (await db('professionals').where({ id: staffer.professionalId }).first()).mopd_id as string;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await signInThroughPage(page, director);
      await page.getByRole('link', { name: 'Staff reports' }).click();
      await page.getByRole('heading', { level: 2, name: /Cedar Hollow Preschool, as of/ }).waitFor();
      const row = page.getByTestId(`staff-${mopdId}`);
      expect(await row.innerText()).toContain('Not compliant');
      expect(await row.innerText()).toMatch(/0 of 12 h/);
      expect(await page.getByTestId(`cpr-${mopdId}`).innerText()).toContain('None on file');
      expect(await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href')).toMatch(/format=pdf$/);
      expect(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toMatch(
        new RegExp(`/api/organizations/${center.id}/staff-report\\?asOf=.*&format=csv`),
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await page.close();
    }
  });
});

describe('the profile page', () => {
  it('lets a person add their CPR/First Aid card with its scan and a credential, and shows the career level they reach', async () => {
    const { db } = database;
    const person = await aUser(db, ['professional']);
    const course = await aCourse(db, { clock_hours: 30 });
    const admin: Session = await signIn(baseUrl, await aUser(db, ['admin']));
    for (const completedOn of ['2024-03-01', '2025-03-01']) {
      await admin
        .post('/api/training-records', {
          professionalId: person.professionalId,
          courseId: course.id,
          completedOn,
          source: 'attendance',
        })
        .expect(201);
    }
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await signInThroughPage(page, person);
      await page.getByRole('link', { name: 'My profile' }).click();
      await page.getByRole('heading', { level: 2, name: 'Career level' }).waitFor();
      expect(await page.getByTestId('career-level').innerText()).toBe('Level 2 · Developing');

      // A card whose expiry comes before its issue date is refused beside the field.
      await page.getByLabel('National model').selectOption('American Red Cross');
      await page.getByLabel('Issued on').fill('2025-06-01');
      await page.getByLabel('Expires on').fill('2025-01-01');
      // The scan is required (issue 18): attach it first, so the date is what is refused.
      await page
        .getByLabel(/Photo or scan/)
        .setInputFiles({ name: 'card.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
      await page.getByRole('button', { name: 'Add card' }).click();
      await page.getByText('must be after the issue date').waitFor();
      await page.getByLabel('Expires on').fill('2027-06-01');
      await page.getByRole('button', { name: 'Add card' }).click();
      await page.getByText('Card added. You will be reminded before it expires.').waitFor();
      const cardRow = page.locator('[data-testid^="card-"]');
      // Shown as not yet verified until a reviewer checks the scan (issue 18).
      expect(await cardRow.innerText()).toMatch(
        /Not yet verified\s+American Red Cross, issued 2025-06-01, expires 2027-06-01/,
      );
      expect(await cardRow.getByRole('link', { name: 'scan' }).count()).toBe(1);

      await page.getByLabel('Kind').selectOption('credential');
      await page.getByLabel('Title').fill('CDA');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText('Added to your education.').waitFor();
      expect(await page.getByTestId('career-level').innerText()).toBe('Level 3 · Credentialed');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await page.close();
    }
  });
});

describe('the compliance page', () => {
  it('shows each year’s hours, how back-fill moved them, and the open safe-sleep deadline', async () => {
    const { db } = database;
    const admin: Session = await signIn(baseUrl, await aUser(db, ['admin']));
    const today = localDateOf(new Date());
    const lastYear = yearOf(today) - 1;
    const yearBefore = lastYear - 1;
    const center = await anOrganization(db, { name: 'Prairie View Preschool', licensed: true, serves_infants: false });
    const infants = await anOrganization(db, {
      name: 'Little Acorns Learning Center',
      licensed: true,
      serves_infants: true,
    });
    const rosa = await aUser(db, ['professional']);
    await db('professionals').where({ id: rosa.professionalId }).update({ first_name: 'Rosa', last_name: 'Delgado' });
    const person = await db('professionals').where({ id: rosa.professionalId }).first();
    await anEmployment(db, person, center, `${yearBefore}-01-15`);
    const eight = await aCourse(db, { title: 'Guiding Behavior', clock_hours: 8 });
    const ten = await aCourse(db, { title: 'Early Literacy Through Play', clock_hours: 10 });
    await admin
      .post('/api/training-records', {
        professionalId: person.id,
        courseId: eight.id,
        completedOn: `${yearBefore}-05-01`,
      })
      .expect(201);
    await admin
      .post('/api/training-records', { professionalId: person.id, courseId: ten.id, completedOn: `${lastYear}-02-01` })
      .expect(201);
    await admin
      .post('/api/employments', {
        professionalId: person.id,
        organizationId: infants.id,
        role: 'assistant_teacher',
        hireDate: today,
      })
      .expect(201);
    await expect
      .poll(async () => (await db('deadlines').where({ professional_id: person.id })).length, { timeout: 15_000 })
      .toBe(1);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await signInThroughPage(page, rosa);
      await page.getByRole('link', { name: 'My compliance' }).click();

      await expect
        .poll(() => page.getByRole('heading', { level: 1 }).textContent())
        .toBe('Training compliance: Rosa Delgado');
      expect(await page.getByTestId('mopd-id').textContent()).toBe(person.mopd_id);
      expect(await page.getByTestId('overall-status').textContent()).toBe('Not compliant');

      const older = page.getByTestId(`period-licensing-annual-hours-${yearBefore}`);
      expect(await older.locator('td').allTextContents()).toEqual(['12 h', '8 h', '12 h', 'Met']);
      const later = page.getByTestId(`period-licensing-annual-hours-${lastYear}`);
      expect(await later.locator('td').allTextContents()).toEqual(['12 h', '10 h', '6 h', 'Short']);
      expect(await page.getByTestId('backfill-in').allInnerTexts()).toEqual([
        `+ 4 h back-filled from “Early Literacy Through Play”, completed ${lastYear}-02-01`,
      ]);
      expect(await page.getByTestId('backfill-out').allInnerTexts()).toEqual([
        `→ 4 h of “Early Literacy Through Play” went to ${yearBefore}`,
      ]);

      const deadline = page.getByTestId('deadline-infant-safe-sleep');
      expect(await deadline.textContent()).toContain('Infant safe-sleep training within 30 days of hire');
      expect(await deadline.textContent()).toContain('Open');

      // On a phone the page fits the screen: nothing scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: '.data/compliance-page.png', fullPage: true });

      // The transcript lists each training with its credit.
      await goTo(page, 'My training');
      await page.getByRole('heading', { level: 1, name: 'Training transcript: Rosa Delgado' }).waitFor();
      const rows = await page.getByRole('row').allInnerTexts();
      expect(rows.slice(1).map((r) => r.split('\t')[0])).toEqual([`${lastYear}-02-01`, `${yearBefore}-05-01`]);
      expect(await page.getByText(/18 clock hours credited/).count()).toBe(1);
    } finally {
      await page.close();
    }
  });
});
