/**
 * The trainer says who was counted in ratio with children, in Chromium at desktop width and at
 * 390 px: "held in a classroom with children" checks everyone, the trainer unchecks who was not,
 * and completing attendance issues records the rule set credits accordingly, with its reason shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createEvent } from '../../db/events.js';
import { createRegistrations } from '../../services/registrations.js';
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

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const IN_RATIO = 'Clock hours cannot be earned while you are counted in ratio with children.';
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

describe('marking who was in ratio with children', () => {
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['390 px', PHONE],
  ] as const) {
    it(`at ${label}: the trainer marks one participant in ratio, who earns nothing with the rule’s reason`, async () => {
      const { db } = app.database;
      const trainer = await aUser(db, ['trainer']);
      const title = `Guiding Behavior (${label})`;
      const course = await aCourse(db, { title, topic: 'guidance', clock_hours: 3, trainer_user_id: trainer.user.id });
      const event = await createEvent(db, {
        course,
        trainerUserId: trainer.user.id,
        trainerName: trainer.user.display_name,
        capacity: 10,
        place: { addressLine: '701 E Broadway', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
        sessions: [{ startsAt: hoursAgo(5), endsAt: hoursAgo(2), hours: 3 }],
      });
      const registrations = createRegistrations({ db, publicUrl: app.baseUrl, now: () => hoursAgo(24 * 7) });
      const people = [];
      for (const lastName of ['Inroom', 'Visitor']) {
        const user = await aUser(db, ['professional']);
        await db('professionals')
          .where({ id: user.professionalId })
          .update({ first_name: 'Robin', last_name: lastName });
        await registrations.register({ eventId: event.id, professionalId: user.professionalId!, byUserId: null });
        people.push(await db('professionals').where({ id: user.professionalId }).first());
      }
      const [inRoom, visitor] = people;

      const page: Page = await app.browser.newPage({ viewport });
      try {
        await app.signInThroughPage(page, trainer);
        await page.getByRole('link', { name: 'My events' }).click();
        await page
          .getByTestId(`my-event-${event.id}`)
          .getByRole('link', { name: `Take attendance for ${title}` })
          .click();
        await page.getByRole('heading', { level: 1, name: `Attendance: ${title}` }).waitFor();

        const ratioOf = (name: string) =>
          page.getByRole('checkbox', { name: `Counted in ratio with children while training (${name})` });
        expect(await ratioOf('Robin Inroom').isChecked()).toBe(false);
        // Held in a classroom with children: everyone starts in ratio; the visitor was not.
        await page.getByRole('checkbox', { name: 'Held in a classroom with children' }).check();
        expect(await ratioOf('Robin Inroom').isChecked()).toBe(true);
        expect(await ratioOf('Robin Visitor').isChecked()).toBe(true);
        await ratioOf('Robin Visitor').uncheck();
        await page.getByRole('button', { name: 'Mark everyone not yet marked present' }).click();
        await page.getByRole('button', { name: 'Save marks' }).click();
        await page.getByText('Saved 2 marks.').waitFor();
        expect(
          await db('attendance')
            .join('registrations', 'registrations.id', 'attendance.registration_id')
            .where({ 'registrations.event_id': event.id })
            .orderBy('registrations.professional_id')
            .select('registrations.professional_id', 'attendance.in_ratio'),
        ).toEqual(
          [
            { professional_id: inRoom.id, in_ratio: true },
            { professional_id: visitor.id, in_ratio: false },
          ].sort((a, b) => Number(a.professional_id) - Number(b.professional_id)),
        );
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

        await page.getByRole('button', { name: 'Complete attendance' }).click();
        await page.getByRole('button', { name: 'Yes, complete attendance' }).click();
        await page.getByText('Attendance completed: 2 records issued.').waitFor();
        const inRoomRecord = page.getByTestId(`record-${inRoom.mopd_id}`);
        expect(await inRoomRecord.locator('strong').innerText()).toBe('3 clock hours attended · 0 credited');
        expect(await inRoomRecord.getByRole('listitem').allInnerTexts()).toEqual([IN_RATIO]);
        expect(await page.getByTestId(`record-${visitor.mopd_id}`).innerText()).toBe(
          '3 clock hours attended · 3 credited',
        );
        // After a reload the answers are as saved.
        await page.reload();
        await page.getByRole('heading', { level: 1, name: `Attendance: ${title}` }).waitFor();
        expect(await ratioOf('Robin Inroom').isChecked()).toBe(true);
        expect(await ratioOf('Robin Visitor').isChecked()).toBe(false);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      } finally {
        await page.close();
      }
    });
  }
});
