/**
 * A trainer's journey through the UI alone (issue 19): an approved trainer submits a course, a
 * reviewer claims and approves it (switching users through the sign-in page), the trainer
 * schedules an event of it, a professional registers, and once the session has begun the trainer
 * takes attendance and completes it; the participant finds the hours credited. Walked twice, so
 * that each role's journey is walked at both widths: once the trainer at desktop width and the
 * reviewer and the professional at 390 px, once the other way round. axe runs on each page and the
 * phone never scrolls sideways. The session starts within a minute or two of being scheduled, so
 * that registering comes first and attendance opens soon after (waited for, not slept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { localDateOf, yearOf } from '../../rules/dates.js';
import { anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { until } from '../support/polling.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
  // The reviewer claims the case from the queue.
  await app.database
    .db('settings')
    .where({ key: 'automatic_case_assignment' })
    .update({ value: JSON.stringify(false) });
});
afterAll(async () => {
  await app?.close();
});

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

async function checkPage(page: Page) {
  await expectNoAxeViolations(page);
  await expectNoHorizontalScroll(page);
}

/** Missouri's calendar date and clock time ("2026-12-07", "11:47") of an instant. */
function missouri(at: Date): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/Chicago',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

describe.each([
  { widths: 'trainer at desktop, reviewer and professional at 390 px', trainerView: DESKTOP, othersView: PHONE },
  { widths: 'trainer at 390 px, reviewer and professional at desktop', trainerView: PHONE, othersView: DESKTOP },
])('a trainer from a course to credited participants ($widths)', ({ trainerView, othersView }) => {
  it('course → approved by a reviewer → event → a registration → attendance → the participant credited', async () => {
    const { db } = app.database;
    // Each walk's course is its own, so the catalog search finds only it.
    const edition = trainerView === DESKTOP ? 'Morning' : 'Evening';
    const title = `Music and Movement for Preschoolers, ${edition}`;
    const trainer = await aUser(db, ['trainer']);
    await db('trainers').insert({ user_id: trainer.user.id, approved_until: '2099-12-31' });
    const reviewer = await aUser(db, ['reviewer']);
    const person = await aUser(db, ['professional']);
    const professional = await db('professionals').where({ id: person.professionalId }).first();
    const name = `${professional.first_name} ${professional.last_name}`;
    const thisYear = yearOf(localDateOf(new Date()));
    await anEmployment(db, professional, await anOrganization(db, { licensed: true }), `${thisYear}-01-01`);

    const trainerPage = await app.browser.newPage({ viewport: trainerView });
    const reviewerPage = await app.browser.newPage({ viewport: othersView });
    const page = await app.browser.newPage({ viewport: othersView });
    try {
      // The trainer submits the course from "My events", which has no course to schedule yet.
      await app.signInThroughPage(trainerPage, trainer);
      await goTo(trainerPage, 'My events');
      await trainerPage.getByRole('link', { name: 'Submit a course for approval.' }).click();
      await trainerPage.getByLabel('Title', { exact: true }).fill(title);
      await trainerPage.getByLabel('Sponsor').fill('Columbia Early Learning Network');
      await trainerPage
        .getByLabel('Description')
        .fill('Songs, rhythm and movement that build language and motor skills.');
      await trainerPage.getByLabel('Topic').selectOption({ index: 1 });
      await trainerPage.getByLabel('Clock hours').fill('2');
      await trainerPage.getByLabel('Fee in dollars').fill('0');
      await trainerPage.getByLabel('Delivery').selectOption('in_person');
      await checkPage(trainerPage);
      await trainerPage.getByRole('button', { name: 'Submit' }).click();
      await trainerPage.waitForURL(/\/cases\/\d+$/);
      const caseId = Number(trainerPage.url().split('/').pop());
      await checkPage(trainerPage);

      // The reviewer finds it in the queue once the automatic checks have run, claims and approves it.
      // goTo returns once the queue is the page shown: a reload before then would reload the home page
      // instead (what kept the case "out of the queue" in the full suite), and each reload waits for
      // the queue's own heading and its table or empty message.
      await app.signInThroughPage(reviewerPage, reviewer);
      await goTo(reviewerPage, 'Review queue');
      const queued = reviewerPage.getByTestId(`queue-case-${caseId}`);
      await until(
        async () => {
          await reviewerPage.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
          await reviewerPage.getByRole('table').or(reviewerPage.getByText('No case matches.')).first().waitFor();
          if ((await queued.count()) > 0) return true;
          await reviewerPage.reload();
          return false;
        },
        (shown) => shown,
        // The case is listed from the moment it is saved; its status changes as the checks run.
        60_000,
        1_000,
      );
      await checkPage(reviewerPage);
      await queued.getByRole('link', { name: title }).click();
      await reviewerPage.getByTestId('case-submission').waitFor();
      expect(await reviewerPage.getByTestId('case-submission').innerText()).toContain(
        'Songs, rhythm and movement that build language and motor skills.',
      );
      await checkPage(reviewerPage);
      await reviewerPage.getByRole('button', { name: 'Claim' }).click();
      await reviewerPage.getByText('You hold the case now.').waitFor();
      await reviewerPage.getByLabel(/Reasons/).fill('A clear outline with hours that fit the content.');
      await reviewerPage.getByRole('button', { name: 'Approve', exact: true }).click();
      const dialog = reviewerPage.getByRole('dialog', { name: 'Approve this case?' });
      await dialog.waitFor();
      await checkPage(reviewerPage);
      await dialog.getByRole('button', { name: 'Yes, approve' }).click();
      await reviewerPage.getByText('Approved.', { exact: true }).waitFor();

      // The trainer schedules an event of the approved course, starting a minute or two from now.
      const startsAt = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000);
      const start = missouri(startsAt);
      const end = missouri(new Date(startsAt.getTime() + 2 * 3_600_000));
      await goTo(trainerPage, 'My events');
      await trainerPage.getByLabel('Course').selectOption({ label: `${title} (In person, 2 h)` });
      await trainerPage.getByLabel('Seats').fill('12');
      await trainerPage.getByLabel('Street address').fill('701 E Broadway');
      await trainerPage.getByLabel('City').fill('Columbia');
      await trainerPage.getByLabel('County').fill('Boone');
      await trainerPage.getByLabel('ZIP code').fill('65201');
      await trainerPage.getByLabel('Date', { exact: true }).fill(start.date);
      await trainerPage.getByLabel(/^Starts at/).fill(start.time);
      await trainerPage.getByLabel(/^Ends at/).fill(end.time);
      await trainerPage.getByLabel(/^Clock hours/).fill('2');
      await checkPage(trainerPage);
      await trainerPage.getByRole('button', { name: 'Schedule', exact: true }).click();
      await trainerPage.getByText('Scheduled: it is in the catalog now.').waitFor();
      await checkPage(trainerPage);

      // A professional registers before it starts.
      await app.signInThroughPage(page, person);
      await goTo(page, 'Find training');
      await page.getByLabel('Words').fill(`music and movement ${edition}`);
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: title }).click();
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByRole('button', { name: 'Register' }).click();
      await page.getByText('Registered. A confirmation is on its way by email.').waitFor();
      await checkPage(page);
      const eventUrl = page.url();

      // Attendance opens when the session begins; the trainer marks the participant present and completes it.
      const takeAttendance = trainerPage.getByRole('link', { name: `Take attendance for ${title}` });
      await until(
        async () => {
          await trainerPage.reload();
          await trainerPage.getByRole('heading', { level: 1, name: 'My events' }).waitFor();
          return (await takeAttendance.count()) > 0;
        },
        (offered) => offered,
        Math.max(0, startsAt.getTime() - Date.now()) + 20_000,
        1_000,
      );
      await takeAttendance.click();
      await trainerPage.getByRole('heading', { level: 1, name: `Attendance: ${title}` }).waitFor();
      const attendee = trainerPage.getByRole('group', { name: new RegExp(`^${name}`) });
      await attendee.getByRole('radio', { name: `Present (${name},`, exact: false }).check();
      await trainerPage.getByRole('button', { name: 'Save marks' }).click();
      await trainerPage.getByText('Saved 1 mark.').waitFor();
      await checkPage(trainerPage);
      await trainerPage.getByRole('button', { name: 'Complete attendance' }).click();
      await trainerPage.getByRole('button', { name: 'Yes, complete attendance' }).click();
      await trainerPage.getByText('Attendance completed: 1 record issued.').waitFor();
      await checkPage(trainerPage);

      // The participant is credited.
      await page.goto(eventUrl);
      await page.getByTestId('my-record').waitFor();
      expect(await page.getByTestId('my-record').innerText()).toContain('2 clock hours credited.');
      await checkPage(page);
      await goTo(page, 'My training');
      await page.getByText(title).first().waitFor();
      await checkPage(page);
    } finally {
      await trainerPage.close();
      await reviewerPage.close();
      await page.close();
    }
  }, 300_000);
});
