/**
 * From the catalog to credited hours, in Chromium at phone width: a professional finds an event
 * and registers on its page; once its session has begun the trainer marks them present and
 * completes attendance; the professional sees the hours on their compliance and event pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createEvent } from '../../db/events.js';
import { localDateOf, yearOf } from '../../rules/dates.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { until } from '../support/polling.js';
import { goTo } from '../support/menu.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

const PHONE = { width: 390, height: 844 };
const fitsThePhone = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

describe('attending an event', () => {
  it('takes a professional from registering to credited hours once the trainer completes attendance', async () => {
    const { db } = app.database;
    const trainer = await aUser(db, ['trainer']);
    const person = await aUser(db, ['professional']);
    const professional = await db('professionals').where({ id: person.professionalId }).first();
    const name = `${professional.first_name} ${professional.last_name}`;
    // A licensed program's employee this calendar year, so the hours count toward this year's 12.
    const thisYear = yearOf(localDateOf(new Date()));
    await anEmployment(
      db,
      professional,
      await anOrganization(db, { licensed: true, serves_infants: false }),
      `${thisYear}-01-01`,
    );

    const title = 'Outdoor Play and Healthy Risk';
    const course = await aCourse(db, {
      title,
      topic: 'health-safety',
      clock_hours: 2,
      trainer_user_id: trainer.user.id,
    });
    // Registration closes when the session starts: start it soon enough to wait for, late enough to register first.
    const startsAt = new Date(Date.now() + 20_000);
    const event = await createEvent(db, {
      course,
      trainerUserId: trainer.user.id,
      trainerName: trainer.user.display_name,
      capacity: 12,
      place: { addressLine: '701 E Broadway', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
      sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000), hours: 2 }],
    });

    const page = await app.browser.newPage({ viewport: PHONE });
    const trainerPage = await app.browser.newPage({ viewport: PHONE });
    try {
      // The professional finds the event in the catalog, opens its page and registers.
      await app.signInThroughPage(page, person);
      await page.getByRole('link', { name: 'Find training' }).click();
      await page.getByLabel('Words').fill('outdoor play');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { level: 2, name: '1 event' }).waitFor();
      await page.getByRole('link', { name: title }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      expect(await page.getByTestId('seats').innerText()).toBe('12 of 12 left');
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByText('Registered. A confirmation is on its way by email.').waitFor();
      expect(await page.getByTestId('seats').innerText()).toBe('11 of 12 left');
      expect(await page.getByTestId('your-registration').innerText()).toContain('You have a seat.');
      await fitsThePhone(page);
      const eventUrl = page.url();
      expect(eventUrl).toBe(`${app.baseUrl}/events/${event.id}`);

      // Attendance opens when the session begins: from then on the trainer's list offers it.
      await app.signInThroughPage(trainerPage, trainer);
      await trainerPage.getByRole('link', { name: 'My events' }).click();
      const listed = trainerPage.getByTestId(`my-event-${event.id}`);
      const takeAttendance = listed.getByRole('link', { name: `Take attendance for ${title}` });
      await until(
        async () => {
          await listed.waitFor();
          if ((await takeAttendance.count()) > 0) return true;
          await trainerPage.reload();
          return false;
        },
        (offered) => offered,
        Math.max(0, startsAt.getTime() - Date.now()) + 15_000,
        500,
      );
      expect(await listed.innerText()).toContain('1 of 12 registered');
      await takeAttendance.click();
      await trainerPage.getByRole('heading', { level: 1, name: `Attendance: ${title}` }).waitFor();
      const attendee = trainerPage.getByRole('group', { name: new RegExp(`^${name}`) });
      await attendee.getByRole('radio', { name: `Present (${name},`, exact: false }).check();
      // Hours start at the session's; a full stay needs no typing.
      expect(await attendee.getByRole('textbox', { name: /^Hours/ }).inputValue()).toBe('2');
      // Leaving at the "Complete attendance?" question loses nothing: the unsaved mark is kept in
      // this browser and shown again on return.
      await trainerPage.getByRole('button', { name: 'Complete attendance' }).click();
      await trainerPage.getByRole('button', { name: 'Yes, complete attendance' }).waitFor();
      await trainerPage.goBack();
      await takeAttendance.click();
      await trainerPage.getByText('Marks you had not saved were kept in this browser').waitFor();
      expect(await attendee.getByRole('radio', { name: `Present (${name},`, exact: false }).isChecked()).toBe(true);
      await trainerPage.getByRole('button', { name: 'Save marks' }).click();
      await trainerPage.getByText('Saved 1 mark.').waitFor();
      await fitsThePhone(trainerPage);
      await trainerPage.getByRole('button', { name: 'Complete attendance' }).click();
      await trainerPage.getByRole('button', { name: 'Yes, complete attendance' }).click();
      await trainerPage.getByText('Attendance completed: 1 record issued.').waitFor();
      expect(await trainerPage.getByTestId(`record-${professional.mopd_id}`).innerText()).toBe(
        '2 clock hours attended · 2 credited',
      );
      expect(await db('training_records').where({ event_id: event.id }).pluck('professional_id')).toEqual([
        person.professionalId,
      ]);

      // The professional sees the hours toward this year on their compliance page, and on the event page.
      const recordYear = yearOf(localDateOf(startsAt));
      await goTo(page, 'My compliance');
      const period = page.getByTestId(`period-licensing-annual-hours-${recordYear}`);
      await period.waitFor();
      // Required, earned, applied (the status depends on how much of the year is left).
      expect((await period.locator('td').allTextContents()).slice(0, 3)).toEqual(['12 h', '2 h', '2 h']);
      await page.goto(eventUrl);
      await page.getByTestId('my-record').waitFor();
      expect(await page.getByTestId('my-record').innerText()).toContain('2 clock hours credited.');
      await fitsThePhone(page);
    } finally {
      await page.close();
      await trainerPage.close();
    }
  });
});
