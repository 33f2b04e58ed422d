/**
 * Issue 19's screens, walked through the UI alone at desktop width and at 390 px, with axe on
 * every page: a director records a hire and sees its deadline at once, ends an employment and
 * reads the staff report; an admin adds a professional, finds a course and takes over a case
 * another reviewer holds; a professional sees an event's fee, registers, pays and cancels.
 * Screenshots go to /tmp/shots/.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createEvent } from '../../db/events.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';
import { until } from '../support/polling.js';
import { addDays, localDateOf } from '../../rules/dates.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
  mkdirSync('/tmp/shots', { recursive: true });
  await app.database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
});
afterAll(async () => {
  await app?.close();
});

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** axe finds nothing, the page does not scroll sideways, and a screenshot is kept. */
async function check(page: Page, shot: string) {
  await page.screenshot({ path: `/tmp/shots/${shot}.png`, fullPage: true });
  await expectNoAxeViolations(page);
  await expectNoHorizontalScroll(page);
}

/** Follows a menu link: on a phone the menu opens first, and the link's group is opened if it is folded. */
async function openMenu(page: Page, name: string) {
  const nav = page.getByRole('navigation', { name: /main/i });
  const menuButton = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menuButton.isVisible()) await menuButton.click();
  const link = nav.getByRole('link', { name, exact: true });
  if (!(await link.isVisible())) {
    const groups = nav.locator('button[aria-controls^="nav-group-"]');
    for (let i = 0; i < (await groups.count()); i++) {
      const group = groups.nth(i);
      if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
      if (await link.isVisible()) break;
    }
  }
  await link.click();
}

describe.each(VIEWPORTS)('at $name width', (viewport) => {
  it('a director records a hire, sees its deadline at once, ends an employment and reads the staff report', async () => {
    const { db } = app.database;
    const center = await anOrganization(db, {
      name: `Bluebird Infant Center ${viewport.name}`,
      licensed: true,
      serves_infants: true,
    });
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: center.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const leaving = await aProfessional(db, { firstName: 'Lee', lastName: `Leaving${viewport.name}` });
    await anEmployment(db, leaving, center, '2023-04-01');
    const today = localDateOf(new Date());
    const hireDate = addDays(today, -3);

    const page = await app.browser.newPage({ viewport });
    try {
      await app.signInThroughPage(page, director);
      await openMenu(page, 'Staff');
      await page.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
      await page.getByRole('heading', { name: 'Add staff' }).waitFor();
      await page.getByTestId('current-staff').getByText(`Lee Leaving${viewport.name}`).waitFor();

      // A new person: errors by field first, then the hire with its deadline on the confirmation.
      await page.getByLabel('Someone new to MOPD').check();
      await page.getByRole('button', { name: 'Add to staff' }).click();
      await page.locator('#staff-first-name-error').waitFor();
      await page.locator('#staff-email-error').waitFor();
      await page.getByLabel('First name').fill('Nora');
      await page.getByLabel('Last name').fill(`Newhire${viewport.name}`);
      await page.getByLabel('Email', { exact: true }).fill(`nora.${viewport.name}.${Date.now()}@example.org`);
      await page.getByLabel('Hire date').fill(hireDate);
      await page.getByRole('button', { name: 'Add to staff' }).click();
      const confirmation = page.getByRole('status').filter({ hasText: /Added with MOPD ID MO[0-9]{7}/ });
      await confirmation.waitFor();
      const mopdId = /MO[0-9]{7}/.exec(await confirmation.innerText())![0];
      const deadlines = confirmation.getByTestId('hire-deadlines');
      await deadlines.getByText('Infant safe-sleep training within 30 days of hire').waitFor();
      const due = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(`${addDays(hireDate, 30)}T00:00:00Z`),
      );
      await deadlines.getByText(`due ${due}`).waitFor();
      await page.getByTestId('current-staff').getByText(`Nora Newhire${viewport.name}`).waitFor();
      await check(page, `director-hire-${viewport.name}`);

      // Ending an employment asks for the last day, a reason, and a confirmation.
      await page.getByRole('button', { name: `End employment of Lee Leaving${viewport.name}` }).click();
      await page.getByLabel('Last day worked').fill(addDays(today, -1));
      await page.getByLabel('Reason (optional)').fill('Moved to Kansas City');
      await page.getByRole('button', { name: 'End employment', exact: true }).click();
      await page.getByText(`End the employment of Lee Leaving${viewport.name} with`).waitFor();
      await check(page, `director-end-confirm-${viewport.name}`);
      await page.getByRole('button', { name: 'Yes, end it' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `The employment of Lee Leaving${viewport.name} ended` })
        .waitFor();
      expect(await page.getByTestId('current-staff').getByText(`Lee Leaving${viewport.name}`).count()).toBe(0);
      expect(await db('employments').where({ professional_id: leaving.id }).first()).toMatchObject({
        end_date: addDays(today, -1),
        end_reason: 'Moved to Kansas City',
      });

      // The staff report: the new hire with the deadline, not the person who left.
      await page.getByRole('link', { name: 'Staff training report of this program' }).click();
      const row = page.getByTestId(`staff-${mopdId}`);
      await row.waitFor();
      await row.getByText(/Infant safe-sleep training within 30 days of hire/).waitFor();
      expect(await row.getByText(/Infant safe-sleep/).isVisible()).toBe(true);
      expect(await page.getByText(`Lee Leaving${viewport.name}`).count()).toBe(0);
      await check(page, `director-report-${viewport.name}`);
    } finally {
      await page.close();
    }
  });

  it('an admin adds a professional, finds a course and takes over a case another reviewer holds', async () => {
    const { db } = app.database;
    const admin = await aUser(db, ['admin', 'reviewer']);
    const otherReviewer = await aUser(db, ['reviewer']);
    await db('users')
      .where({ id: otherReviewer.user.id })
      .update({ display_name: `Rita Reviewer ${viewport.name}` });
    const owner = await aUser(db, ['trainer']);
    await db('users')
      .where({ id: owner.user.id })
      .update({ display_name: `Tomas Trainer ${viewport.name}` });
    const tag = `Marigold${viewport.name}${Date.now().toString(36)}`;
    const course = await aCourse(db, { title: `${tag} Outdoor Play`, trainer_user_id: owner.user.id });
    await aCourse(db, { title: `${tag} Indoor Play`, approved: false });

    // A case in review, held by another reviewer (set up over HTTP: the applicant and that reviewer).
    const organization = await anOrganization(db, { name: `Sunflower House ${viewport.name}` });
    const applicant = await aUser(db, ['professional']);
    const applicantApi = await signIn(app.baseUrl, applicant);
    const submitted = await applicantApi
      .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' })
      .expect(201);
    const caseId = submitted.body.case.id as number;
    const reviewerApi = await signIn(app.baseUrl, otherReviewer);
    await until(
      async () => (await reviewerApi.get(`/api/cases/${caseId}`)).body.case?.status as string | undefined,
      (status) => status === 'in_review',
    );
    await reviewerApi.post(`/api/cases/${caseId}/claim`).expect(200);

    const page = await app.browser.newPage({ viewport });
    try {
      await app.signInThroughPage(page, admin);
      await openMenu(page, 'Users and roles');
      await page.getByRole('heading', { name: 'Add a professional' }).waitFor();
      await page.getByRole('button', { name: 'Add the professional' }).click();
      await page.locator('#professional-first-name-error').waitFor();
      await page.locator('#professional-last-name-error').waitFor();
      await page.locator('#professional-email-error').waitFor();
      await check(page, `admin-add-errors-${viewport.name}`);
      await page.getByLabel('First name').fill('Pia');
      await page.getByLabel('Last name').fill(`Professional${viewport.name}`);
      await page.getByLabel('Email', { exact: true }).fill(`pia.${viewport.name}.${Date.now()}@example.org`);
      await page.getByRole('button', { name: 'Add the professional' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: new RegExp(`Added Pia Professional${viewport.name} with MOPD ID MO[0-9]{7}`) })
        .waitFor();

      await openMenu(page, 'Courses');
      await page.getByRole('heading', { level: 1, name: 'Courses' }).waitFor();
      await page.getByLabel('Title or course number').fill(tag);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { name: '2 courses' }).waitFor();
      await page.getByLabel('Status').selectOption('approved');
      await page.getByRole('heading', { name: '1 course' }).waitFor();
      await page.getByLabel('Title or course number').fill(`#${course.id}`);
      await page.getByLabel('Owner').fill(`Tomas Trainer ${viewport.name}`);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByTestId('course-list').getByText(`${tag} Outdoor Play`).waitFor();
      await page.getByTestId('course-list').getByText(`owned by Tomas Trainer ${viewport.name}`).waitFor();
      await check(page, `admin-courses-${viewport.name}`);

      await openMenu(page, 'Review queue');
      await page.goto(`${app.baseUrl}/cases/${caseId}`);
      await page.getByRole('button', { name: 'Take over this case' }).click();
      await page.getByText(`Take this case over from Rita Reviewer ${viewport.name}?`).waitFor();
      await check(page, `admin-take-over-${viewport.name}`);
      await page.getByRole('button', { name: 'Yes, take it over' }).click();
      await page.getByRole('status').filter({ hasText: 'The case is yours now.' }).waitFor();
      await until(
        async () => (await db('cases').where({ id: caseId }).first('assignee_user_id'))?.assignee_user_id,
        (assignee) => assignee === admin.user.id,
      );
    } finally {
      await page.close();
    }
  });

  it('a professional sees an event’s fee before registering, registers, pays and cancels', async () => {
    const { db } = app.database;
    const title = `Bright Beginnings ${viewport.name} ${Date.now().toString(36)}`;
    const course = await aCourse(db, { title, delivery: 'online', clock_hours: 2 });
    const soon = (days: number) => new Date(Date.now() + days * 86_400_000);
    await createEvent(db, {
      course,
      capacity: 10,
      feeCents: 2500,
      onlineUrl: 'https://meet.example.org/bright',
      sessions: [{ startsAt: soon(9), endsAt: soon(9.1), hours: 2 }],
    });
    const person = await aUser(db, ['professional']);

    const page = await app.browser.newPage({ viewport });
    try {
      await app.signInThroughPage(page, person);
      await openMenu(page, 'Find training');
      await page.getByRole('searchbox').first().fill(title);
      await page.keyboard.press('Enter');
      const result = page.getByRole('listitem').filter({ hasText: title });
      await result.getByText('$25.00').waitFor();
      await result.getByRole('link', { name: title }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByText('$25.00').first().waitFor();
      await page.getByRole('button', { name: 'Register' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'The fee of $25.00 is due: pay it on My registrations.' })
        .waitFor();

      await openMenu(page, 'My registrations');
      const upcoming = page.getByTestId('registrations-upcoming');
      await upcoming.getByText('Fee $25.00, not paid yet').waitFor();
      await check(page, `professional-registrations-${viewport.name}`);
      await upcoming.getByRole('button', { name: `Pay $25.00 for ${title}` }).click();
      await page.waitForURL(/\/payments\/offline\//);
      await page.getByRole('button', { name: 'Pay $25.00' }).click();
      await page.waitForURL(/\/my\/registrations\?payment=paid/);
      await page.getByRole('status').filter({ hasText: 'Payment received' }).waitFor();
      await upcoming.getByText('Fee $25.00, paid').waitFor();
      await check(page, `professional-paid-${viewport.name}`);

      await upcoming.getByRole('button', { name: `Cancel registration for ${title}` }).click();
      await page.getByText(`Cancel your registration for ${title}?`).waitFor();
      await page.getByRole('button', { name: 'Yes, cancel' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Your registration for ${title} is cancelled.` })
        .waitFor();
      await page.getByText('You are not registered for anything coming up.').waitFor();
      await check(page, `professional-cancelled-${viewport.name}`);
    } finally {
      await page.close();
    }
  });
});
