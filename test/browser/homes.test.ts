/**
 * Each role's home page, the first page after sign-in, in Debian's Chromium at desktop and phone
 * width: what needs the person today, the grouped menu, the two-step nag only until it is set up,
 * no WCAG 2.1 AA violation (axe) and no sideways scrolling. Screenshots go to /tmp/shots/.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addDays, localDateOf } from '../../rules/dates.js';
import { createEvent } from '../../db/events.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, type TestUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';

let app: BrowserApp;
const SHOTS = '/tmp/shots';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const today = localDateOf(new Date());
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

interface Cast {
  professional: TestUser;
  director: TestUser;
  trainer: TestUser;
  reviewer: TestUser;
  inspector: TestUser;
  policy: TestUser;
  admin: TestUser;
  eventTitle: string;
  pastEventTitle: string;
  centerName: string;
  newHireName: string;
}
let cast: Cast;

beforeAll(async () => {
  app = await startBrowserApp();
  fs.mkdirSync(SHOTS, { recursive: true });
  const { db } = app.database;
  const center = await anOrganization(db, { name: 'Bluebird Early Learning', licensed: true, serves_infants: true });
  const director = await aUser(db, ['director']);
  await db('organization_claims').insert({
    organization_id: center.id,
    director_user_id: director.user.id,
    status: 'approved',
  });
  const professional = await aUser(db, ['professional']);
  const person = await db('professionals').where({ id: professional.professionalId }).first();
  await anEmployment(db, person, center, '2024-02-01');
  const hire = await aUser(db, ['professional']);
  const hirePerson = await db('professionals').where({ id: hire.professionalId }).first();
  await anEmployment(db, hirePerson, center, addDays(today, -10), 'assistant_teacher');

  const trainer = await aUser(db, ['trainer']);
  const course = await aCourse(db, { title: 'Calm Transitions for Toddlers', delivery: 'online', clock_hours: 3 });
  const event = await createEvent(db, {
    course,
    capacity: 12,
    trainerUserId: trainer.user.id,
    onlineUrl: 'https://meet.example/calm',
    sessions: [{ startsAt: inDays(14), endsAt: new Date(inDays(14).getTime() + 3 * 3_600_000), hours: 3 }],
  });
  const pastCourse = await aCourse(db, { title: 'Outdoor Play Safety', delivery: 'online', clock_hours: 2 });
  await createEvent(db, {
    course: pastCourse,
    capacity: 12,
    trainerUserId: trainer.user.id,
    onlineUrl: 'https://meet.example/outdoor',
    sessions: [{ startsAt: inDays(-3), endsAt: new Date(inDays(-3).getTime() + 2 * 3_600_000), hours: 2 }],
  });
  const session = await signIn(app.baseUrl, professional);
  await session.post(`/api/events/${event.id}/registrations`, {}).expect(201);

  const reviewer = await aUser(db, ['reviewer']);
  await db('reviewer_profiles')
    .insert({
      user_id: reviewer.user.id,
      is_lead: true,
      regions: [],
      case_types: [],
      accepts_automatic_assignment: false,
    })
    .onConflict('user_id')
    .merge();
  const inspector = await aUser(db, ['inspector']);
  await db('inspector_assignments').insert({ user_id: inspector.user.id, organization_id: center.id });

  cast = {
    professional,
    director,
    trainer,
    reviewer,
    inspector,
    policy: await aUser(db, ['policy_staff']),
    admin: await aUser(db, ['admin']),
    eventTitle: 'Calm Transitions for Toddlers',
    pastEventTitle: 'Outdoor Play Safety',
    centerName: center.name,
    newHireName: `${hirePerson.first_name} ${hirePerson.last_name}`,
  };
});

afterAll(async () => {
  await app?.close();
});

/**
 * Signs in once (an authenticator code is good once), checks the role's section at desktop width
 * and again at phone width, with axe and sideways scroll each time, and takes a screenshot of each.
 */
async function visitHome(
  who: TestUser,
  sectionHeading: string,
  name: string,
  check: (page: Page, size: 'desktop' | 'phone') => Promise<void>,
) {
  const page = await app.browser.newPage({ viewport: DESKTOP });
  try {
    await app.signInThroughPage(page, who);
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      if (size === 'phone') {
        await page.setViewportSize(viewport);
        await page.reload();
      }
      await page.getByRole('heading', { level: 2, name: sectionHeading }).waitFor();
      await check(page, size);
      await expectNoAxeViolations(page);
      await expectNoHorizontalScroll(page);
      await page.screenshot({ path: `${SHOTS}/home-${name}-${size}.png`, fullPage: true });
    }
  } finally {
    await page.close();
  }
}

const textOf = (page: Page, id: string) => page.locator(`#${id}`).locator('xpath=ancestor::section[1]').innerText();

describe('the home page', () => {
  it('shows a professional their hours, deadlines, registrations with cancel, and the two-step offer', async () => {
    await visitHome(cast.professional, 'My training status', 'professional', async (page, size) => {
      expect(await page.getByTestId('home-professional-status').innerText()).toContain(
        'You do not meet every training requirement yet.',
      );
      const status = await textOf(page, 'home-professional');
      expect(status).toMatch(/hours?/);
      expect(await textOf(page, 'home-registrations')).toContain(cast.eventTitle);
      // Not set up yet, so offered; it is optional for a professional.
      await page.getByRole('link', { name: 'set up two-step sign-in' }).waitFor();
      if (size === 'phone') {
        // Cancel from the home page, after a confirmation.
        await page.getByRole('button', { name: `Cancel registration for ${cast.eventTitle}` }).click();
        await page.getByRole('group', { name: `Cancel your registration for ${cast.eventTitle}?` }).waitFor();
        await page.getByRole('button', { name: 'Cancel', exact: true }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `Your registration for ${cast.eventTitle} is cancelled.` })
          .waitFor();
        await page.getByText('You are not registered for any upcoming training.').waitFor();
      }
    });
  });

  it('shows a director staff at risk, new hires and a way to record a hire', async () => {
    await visitHome(cast.director, 'My programs', 'director', async (page) => {
      expect(await textOf(page, 'home-director')).toContain(cast.centerName);
      await page.getByRole('link', { name: 'Record a hire' }).waitFor();
      await page.getByRole('link', { name: 'Register staff for training' }).waitFor();
      const atRisk = await textOf(page, 'home-at-risk');
      expect(atRisk).toMatch(/short/);
      expect(await textOf(page, 'home-new-hires')).toContain(cast.newHireName);
      expect(await page.getByRole('link', { name: 'set up two-step sign-in' }).count()).toBe(1);
    });
  });

  it('shows a trainer their events, attendance waiting and messages', async () => {
    await visitHome(cast.trainer, 'My training work', 'trainer', async (page) => {
      expect(await textOf(page, 'home-upcoming-events')).toContain(cast.eventTitle);
      await page.getByRole('link', { name: `Take attendance for ${cast.pastEventTitle}` }).waitFor();
      expect(await textOf(page, 'home-unread')).toContain('No unread messages.');
    });
  });

  it('shows a lead reviewer cases by service level, unassigned cases and workload; no two-step nag once set up', async () => {
    await visitHome(cast.reviewer, 'My reviews', 'reviewer', async (page) => {
      expect(await page.getByRole('list', { name: 'My open cases' }).innerText()).toMatch(/0\s+Overdue/);
      await page.getByRole('heading', { name: 'Unassigned cases' }).waitFor();
      expect(await textOf(page, 'home-workload')).toContain('You hold 0 open cases');
      expect(await page.getByRole('link', { name: 'set up two-step sign-in' }).count()).toBe(0);
    });
  });

  it('shows an inspector their facilities with a compliance summary', async () => {
    await visitHome(cast.inspector, 'My facilities', 'inspector', async (page) => {
      const row = page.getByRole('row').filter({ hasText: cast.centerName });
      // Two on staff: the one hired years ago is short of hours, the one hired this month is not yet.
      expect(await row.innerText()).toMatch(/\b2\s+1\s+1\s+0\s+0\b/);
      await page.getByRole('link', { name: `Staff report for ${cast.centerName}` }).waitFor();
    });
  });

  it('shows policy staff drafts, scheduled publications and simulations', async () => {
    await visitHome(cast.policy, 'Policy work', 'policy', async (page) => {
      await page.getByRole('heading', { name: 'Scheduled publications' }).waitFor();
      await page.getByRole('heading', { name: 'Recent simulations' }).waitFor();
    });
  });

  it('shows an admin dependency health, dead letters, imports and accounts awaiting action', async () => {
    await visitHome(cast.admin, 'Administration', 'admin', async (page) => {
      expect(await textOf(page, 'home-admin')).toContain('Every dependency answers.');
      expect(await textOf(page, 'home-dead-letters')).toContain('No email was given up on.');
      expect(await page.getByRole('list', { name: 'Accounts awaiting action' }).innerText()).toContain(
        'Without a role',
      );
    });
  });

  it('groups the menu: a desktop drop-down and the phone’s menu button both lead to each page', async () => {
    const page = await app.browser.newPage({ viewport: DESKTOP });
    try {
      // A second admin: an authenticator code is good once, and the first admin's was just used.
      await app.signInThroughPage(page, await aUser(app.database.db, ['admin']));
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Users and roles' }).count()).toBe(0);
      await nav.getByRole('button', { name: 'Administration' }).click();
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${SHOTS}/menu-admin-desktop.png` });
      await nav.getByRole('link', { name: 'Users and roles' }).click();
      await page.getByRole('heading', { level: 1, name: 'Users and roles' }).waitFor();
      await page
        .getByRole('cell', { name: /@example\.org/ })
        .first()
        .waitFor();
      await expectNoHorizontalScroll(page);
      await page.screenshot({ path: `${SHOTS}/menu-users-desktop.png`, fullPage: true });
      // The group closed on the way.
      expect(await nav.getByRole('link', { name: 'Outgoing mail' }).count()).toBe(0);

      await page.setViewportSize(PHONE);
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await nav.getByRole('button', { name: 'Staff and reports' }).click();
      await expectNoAxeViolations(page);
      await page.screenshot({ path: `${SHOTS}/menu-admin-phone.png` });
      await nav.getByRole('link', { name: 'Staff reports' }).click();
      await page.waitForURL(/\/reports\/staff/);
      await page.getByRole('button', { name: 'Menu' }).waitFor();
      expect(await nav.isVisible()).toBe(false);
    } finally {
      await page.close();
    }
  });
});
