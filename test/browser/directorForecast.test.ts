/**
 * The forecast in Chromium: a director's home shows who will not have their hours by the end of
 * the period at their pace, linked to each person's compliance page, at desktop and phone width
 * with no axe violation and no sideways scrolling; policy staff find the statewide forecast table
 * on the analytics page. Screenshots go to /tmp/shots/.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dateOf, localDateOf, minDate, yearOf } from '../../rules/dates.js';
import { refreshCompliance } from '../../services/compliance.js';
import { aCourse, anEmployment, anOrganization, aProfessional } from '../support/fixtures.js';
import { aUser, type TestUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';
import { goTo } from '../support/menu.js';
import type { ProfessionalRow } from '../../db/rows.js';

let app: BrowserApp;
let director: TestUser;
let behind: ProfessionalRow;
let onTrack: ProfessionalRow;
const SHOTS = '/tmp/shots';
const today = localDateOf(new Date());
const yearStart = dateOf(yearOf(today), 1, 1);

beforeAll(async () => {
  app = await startBrowserApp();
  fs.mkdirSync(SHOTS, { recursive: true });
  const { db } = app.database;
  const center = await anOrganization(db, { name: 'Riverbend Child Development', region: 'Central' });
  director = await aUser(db, ['director']);
  await db('organization_claims').insert({
    organization_id: center.id,
    director_user_id: director.user.id,
    status: 'approved',
  });
  behind = await aProfessional(db, { firstName: 'Rosa', lastName: 'Behindpace' });
  onTrack = await aProfessional(db, { firstName: 'Omar', lastName: 'Ontrack' });
  const early = minDate(addDays(yearStart, 1), today);
  for (const [p, hours] of [
    [behind, 2],
    [onTrack, 12],
  ] as const) {
    await anEmployment(db, p, center, yearStart);
    const course = await aCourse(db, { clock_hours: hours, sponsor: 'Test Sponsor' });
    // A credited record as attendance leaves it (the credit rules have their own tests).
    await db('training_records').insert({
      professional_id: p.id,
      course_id: course.id,
      title: course.title,
      topic: course.topic,
      completed_on: early,
      hours,
      credited_hours: hours,
      source: 'attendance',
      credit_rule_set: 'mopd-compliance',
      credit_rule_set_version: 1,
    });
    await refreshCompliance(db, p.id);
  }
});

afterAll(async () => {
  await app?.close();
});

describe('the forecast', () => {
  it("shows a director who will not make it at their pace, linked to the person's compliance, at desktop and phone width", async () => {
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await app.signInThroughPage(page, director);
      for (const [size, viewport] of [
        ['desktop', { width: 1280, height: 900 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        if (size === 'phone') {
          await page.setViewportSize(viewport);
          await page.reload();
        }
        const heading = page.getByRole('heading', { name: 'Forecast: who will not make it by the end of the period' });
        await heading.waitFor();
        const card = page.locator('#home-forecast').locator('xpath=ancestor::section[1]');
        const text = await card.innerText();
        expect(text).toContain('Rosa Behindpace');
        expect(text).toContain('10 hours');
        expect(text).not.toContain('Omar Ontrack');
        expect(await card.getByRole('link', { name: 'Rosa Behindpace' }).getAttribute('href')).toBe(
          `/professionals/${behind.id}/compliance`,
        );
        await expectNoAxeViolations(page);
        await expectNoHorizontalScroll(page);
        await page.screenshot({ path: `${SHOTS}/home-director-forecast-${size}.png`, fullPage: true });
      }
    } finally {
      await page.close();
    }
  });

  it('shows policy staff the statewide forecast table on the analytics page', async () => {
    const policy = await aUser(app.database.db, ['policy_staff']);
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, policy);
      await goTo(page, 'Analytics');
      await page.getByRole('heading', { level: 2, name: 'Forecast: who will not make their hours' }).waitFor();
      const table = page.getByRole('table', {
        name: /^At risk of not making their hours by the end of the period, by program type and region, on /,
      });
      await table.waitFor();
      // Two people: a group too small to show.
      expect(await table.innerText()).toContain('suppressed');
      await page.getByRole('link', { name: 'Download CSV of Forecast: who will not make their hours' }).waitFor();
      await expectNoAxeViolations(page);
      await expectNoHorizontalScroll(page);
      await page.screenshot({ path: `${SHOTS}/analytics-forecast-phone.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });
});
