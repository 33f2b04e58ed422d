/**
 * Policy staff read workforce analytics in Chromium at phone width: where training is missing
 * first, a chart with its table (a small group shown as suppressed), and the CSV download.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent } from '../../db/events.js';
import { addDays, localDateAtHour, localDateOf } from '../../rules/dates.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

describe('workforce analytics', () => {
  it('shows policy staff the top gap, a chart with its table and a suppressed small group, and downloads the CSV', async () => {
    const { db } = app.database;
    const today = localDateOf(new Date());
    const center = await anOrganization(db, {
      name: 'Columbia Center',
      licensed: true,
      region: 'Central',
      county: 'Boone',
    });
    const teachers = [];
    for (let i = 0; i < 12; i++) teachers.push(await aProfessional(db, { firstName: 'Teacher', lastName: `No${i}` }));
    for (const p of teachers) await anEmployment(db, p, center, '2024-02-01', 'teacher');
    for (let i = 0; i < 3; i++)
      await anEmployment(
        db,
        await aProfessional(db, { firstName: 'Cook', lastName: `No${i}` }),
        center,
        '2024-02-01',
        'cook',
      );
    const guidance = await aCourse(db, { title: 'Guiding Behavior', topic: 'guidance', clock_hours: 2 });
    const startsAt = localDateAtHour(addDays(today, 12), 9);
    const event = await createEvent(db, {
      course: guidance,
      place: { addressLine: '210 Oak Grove Rd', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
      capacity: 3,
      sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), hours: 2 }],
    });
    for (const [i, p] of teachers.entries())
      await db('registrations').insert({
        event_id: event.id,
        professional_id: p.id,
        status: i < 3 ? 'registered' : 'waitlisted',
      });

    const policy = await aUser(db, ['policy_staff']);
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, policy);
      await page
        .getByRole('button', { name: /menu/i })
        .click({ timeout: 1000 })
        .catch(() => undefined);
      await goTo(page, 'Analytics');
      await page.getByRole('heading', { level: 1, name: 'Workforce analytics' }).waitFor();

      // The first thing read: where training is missing.
      const top = page.getByTestId('top-gap');
      await top.waitFor();
      expect(await top.innerText()).toBe(
        'Largest gap: Guidance and positive behavior in Central — 9 people waiting or owing this training, 0 seats left.',
      );
      const firstRow = page.getByTestId('table-demand').locator('tbody tr').first();
      expect(await firstRow.innerText()).toMatch(
        /^Guidance and positive behavior\s+Central\s+9\s+9\s+9\s+0\s+suppressed\s+1\s+3\s+0$/,
      );

      // A chart, then its table: twelve teachers shown, three cooks suppressed.
      await page
        .getByRole('img', { name: 'Chart: Professionals by region and role. The same figures are in the table below.' })
        .waitFor();
      const table = page.getByRole('table', { name: /^Professionals by region and role, on / });
      const central = table.getByRole('row', { name: /^Central/ });
      const headers = await table.locator('thead th').allInnerTexts();
      const cells = await central.locator('td').allInnerTexts();
      expect(cells[headers.indexOf('Teacher') - 1]).toBe('12');
      expect(cells[headers.indexOf('Cook') - 1]).toBe('suppressed');
      // Another cell of the row is hidden too, so the row total cannot give the cooks away.
      expect(cells.filter((c) => c === 'suppressed').length).toBeGreaterThanOrEqual(2);

      // The CSV of the same figures.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download CSV of The workforce' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^analytics-workforce-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv).toContain('by_region_and_role,region,Central,role,Teacher,people,12,,');
      expect(csv).toContain('by_region_and_role,region,Central,role,Cook,people,suppressed,,');

      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // A bad range is named beside its field.
      await page.getByLabel('From', { exact: true }).fill(addDays(today, 5));
      await page.getByLabel('To', { exact: true }).fill(today);
      await page.getByLabel('To', { exact: true }).blur();
      await page.locator('#analytics-to-error').waitFor();
      expect(await page.locator('#analytics-to-error').innerText()).toContain('must not be before from');
    } finally {
      await page.close();
    }
  });
});
