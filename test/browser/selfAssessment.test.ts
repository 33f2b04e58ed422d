/** A professional takes the self-assessment at phone width, sees growth areas and a recommendation with its reason, retakes it and sees the change. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createEvent } from '../../db/events.js';
import { CURRENT_INSTRUMENT } from '../../rules/selfAssessment.js';
import { aCourse } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

/** Answers every statement: `Usually`, except the areas given. */
async function fillIn(page: Page, byArea: Record<string, string>, skip: string[] = []) {
  for (const section of CURRENT_INSTRUMENT.sections) {
    for (const statement of section.statements) {
      if (skip.includes(statement.id)) continue;
      await page
        .getByRole('group', { name: statement.text })
        .getByLabel(byArea[section.area] ?? 'Usually', { exact: true })
        .check();
    }
  }
}

describe('the self-assessment page', () => {
  it('is filled in, shows growth areas and a suggestion with its reason, and shows change on a retake', async () => {
    const { db } = app.database;
    const person = await aUser(db, ['professional']);
    await db('professionals').where({ id: person.professionalId }).update({ zip: '65203' });
    const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
    const course = await aCourse(db, { title: 'Calm and Kind Guidance', topic: 'guidance', clock_hours: 3 });
    const event = await createEvent(db, {
      course,
      capacity: 20,
      place: { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
      sessions: [{ startsAt: soon(10), endsAt: soon(10.1), hours: 3 }],
    });
    const calm = CURRENT_INSTRUMENT.sections.find((s) => s.area === 'guidance')!.statements[0]!;

    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, person);
      await page.getByRole('link', { name: 'Self-assessment' }).click();
      await page.getByRole('heading', { level: 2, name: 'Take the self-assessment' }).waitFor();

      // One statement left out: the server names it, beside it.
      await fillIn(page, { guidance: 'Not yet' }, [calm.id]);
      await page.getByRole('button', { name: 'See my result' }).click();
      await page.getByRole('group', { name: calm.text }).getByText('must be answered').waitFor();
      await page.getByRole('group', { name: calm.text }).getByLabel('Not yet', { exact: true }).check();
      await page.getByRole('button', { name: 'See my result' }).click();

      await page.getByRole('heading', { level: 2, name: 'Your result' }).waitFor();
      expect(await page.getByTestId('growth-areas').innerText()).toBe('Guidance and positive behavior');
      const suggestion = page.getByTestId(`suggestion-event-${event.id}`);
      await suggestion.getByText('A growth area in your self-assessment: Guidance and positive behavior').waitFor();
      expect(await suggestion.innerText()).toMatch(/\d miles? from you/);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // Retaken later: guidance now a strength, and the table shows the change.
      await page.getByRole('button', { name: 'Retake the self-assessment' }).click();
      await fillIn(page, { guidance: 'Could coach others' });
      await page.getByRole('button', { name: 'See my result' }).click();
      await page.getByText('Saved. Your result and suggestions are below.').waitFor();
      await page
        .getByRole('caption')
        .getByText(/Change over time \(2 assessments/)
        .waitFor();
      expect(await page.getByTestId('area-guidance').innerText()).toMatch(/1 → 4\s+\+3/);
      expect(await page.getByTestId('strengths').innerText()).toBe('Guidance and positive behavior');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      // The suggestion leads to the event's page.
      await page.getByRole('link', { name: 'Calm and Kind Guidance' }).click();
      await page.waitForURL(new RegExp(`/events/${event.id}$`));
      expect(await db('self_assessments').where({ professional_id: person.professionalId }).count({ n: '*' })).toEqual([
        { n: 2 },
      ]);
    } finally {
      await page.close();
    }
  });
});
