/**
 * A professional's journey by keyboard alone, in Chromium at desktop width and at 390 px (issue
 * 19): the skip link, signing in, the grouped menu (on a phone behind its Menu button), searching
 * the catalog, registering on the event's page, and their registrations, where asking to cancel
 * puts focus on the safe answer and keeping the seat puts it back. Only Tab, Shift+Tab, Enter,
 * Space, Escape and typed text move things on; every element that takes focus on the way must
 * show it (an outline that is not "none").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createEvent } from '../../db/events.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, TEST_PASSWORD } from '../support/app.js';
import { until } from '../support/polling.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

interface Focus {
  name: string;
  tag: string;
  inMain: boolean;
  inNav: boolean;
  inDialog: boolean;
  outlineStyle: string;
  outlineWidth: number;
  expanded: string | null;
}

/** The element that has focus now: its accessible-enough name, where it is, and how its focus is drawn. */
function focusNow(page: Page): Promise<Focus> {
  return page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body)
      return {
        name: '',
        tag: 'body',
        inMain: false,
        inNav: false,
        inDialog: false,
        outlineStyle: '',
        outlineWidth: 0,
        expanded: null,
      };
    const labels = (el as HTMLInputElement).labels;
    const name = (
      el.getAttribute('aria-label') ??
      (labels && labels.length > 0 ? labels[0]!.innerText : '') ??
      ''
    ).trim();
    const style = getComputedStyle(el);
    return {
      name: name || el.innerText.trim(),
      tag: el.tagName.toLowerCase(),
      inMain: el.closest('main') !== null,
      inNav: el.closest('#main-nav') !== null,
      inDialog: el.closest('dialog[open]') !== null,
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      expanded: el.getAttribute('aria-expanded'),
    };
  });
}

/** Fails unless the focused element draws its focus. */
function expectVisibleFocus(focus: Focus) {
  expect(
    focus.outlineStyle !== 'none' && focus.outlineWidth > 0,
    `focus on <${focus.tag}> "${focus.name}" is not visible (outline ${focus.outlineStyle} ${focus.outlineWidth}px)`,
  ).toBe(true);
}

/**
 * Presses Tab (or Shift+Tab) until focus is on the element named `name`, checking on the way that
 * every focused element shows its focus; fails with the path taken when it is not found.
 */
async function tabTo(page: Page, name: string | RegExp, key: 'Tab' | 'Shift+Tab' = 'Tab', most = 60) {
  const path: string[] = [];
  for (let i = 0; i < most; i++) {
    await page.keyboard.press(key);
    const focus = await focusNow(page);
    path.push(`<${focus.tag}> ${focus.name.slice(0, 40)}`);
    if (focus.tag === 'body') continue;
    expectVisibleFocus(focus);
    if (typeof name === 'string' ? focus.name === name : name.test(focus.name)) return focus;
  }
  throw new Error(`${key} never reached "${String(name)}"; focus went: ${path.join(' → ')}`);
}

/** After a change of page, focus lands on the new page's heading (so the next Tab starts in its content). */
async function expectFocusOnHeading(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await expect
    .poll(async () => {
      const focus = await focusNow(page);
      return focus.tag === 'h1' && (typeof name === 'string' ? focus.name === name : name.test(focus.name));
    })
    .toBe(true);
}

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900, phone: false },
  { name: 'phone', width: 390, height: 844, phone: true },
];

/** On a phone the menu is folded behind its Menu button: Enter on it opens the panel, whose links follow it. */
async function openPhoneMenu(page: Page, key: 'Tab' | 'Shift+Tab') {
  const menu = await tabTo(page, /^Menu$/i, key);
  expect(menu.expanded).toBe('false');
  await page.keyboard.press('Enter');
  expect((await focusNow(page)).expanded).toBe('true');
  await page.locator('#main-nav').waitFor({ state: 'visible' });
}

describe.each(VIEWPORTS)('a professional by keyboard alone at $name width', ({ name, width, height, phone }) => {
  it('skips to content, signs in, finds an event, registers, and keeps or cancels the seat from their registrations', async () => {
    const { db } = app.database;
    const person = await aUser(db, ['professional']);
    const professional = await db('professionals').where({ id: person.professionalId }).first();
    await anEmployment(db, professional, await anOrganization(db, { licensed: true }), '2024-01-01');
    const title = `Calm Transitions for Toddlers (${name})`;
    const course = await aCourse(db, { title, topic: 'health-safety', clock_hours: 3 });
    const startsAt = new Date(Date.now() + 14 * 86_400_000);
    await createEvent(db, {
      course,
      capacity: 12,
      trainerName: 'Rosa Trainer',
      place: { addressLine: '701 E Broadway', city: 'Columbia', county: 'Boone', region: 'Central', zip: '65201' },
      sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 3 * 3_600_000), hours: 3 }],
    });

    const page = await app.browser.newPage({ viewport: { width, height } });
    try {
      await page.goto(`${app.baseUrl}/sign-in`);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

      // A page opens with focus on its heading; back up by Shift+Tab to the skip link, shown when
      // focused; following it, the next Tab lands inside the page's content.
      await expect.poll(async () => (await focusNow(page)).tag).toBe('h1');
      const skip = await tabTo(page, 'Skip to content', 'Shift+Tab', 20);
      expect(await page.getByRole('link', { name: 'Skip to content' }).isVisible()).toBe(true);
      expect(skip.inMain).toBe(false);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      const first = await focusNow(page);
      expect(first.inMain, `after the skip link focus went to <${first.tag}> "${first.name}"`).toBe(true);
      expectVisibleFocus(first);

      // Signing in: fields by Tab, the form sent with Enter.
      await page.keyboard.press('Shift+Tab');
      await tabTo(page, 'Email');
      await page.keyboard.type(person.user.email);
      await tabTo(page, 'Password');
      await page.keyboard.type(TEST_PASSWORD);
      await page.keyboard.press('Enter');
      await expectFocusOnHeading(page, /Welcome/);

      // The grouped menu: Enter opens "Training", Tab reaches its links, Escape closes it onto its button.
      if (phone) await openPhoneMenu(page, 'Tab');
      const training = await tabTo(page, 'Training');
      expect(training.inNav).toBe(true);
      await page.keyboard.press('Enter');
      expect((await focusNow(page)).expanded).toBe('true');
      await page.keyboard.press('Escape');
      const closed = await focusNow(page);
      expect([closed.name, closed.expanded]).toEqual(['Training', 'false']);
      await page.keyboard.press('Space');
      await tabTo(page, 'Find training');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/catalog/);

      // The catalog: words typed, Enter searches, Tab reaches the event, Enter opens it.
      await expectFocusOnHeading(page, 'Find training');
      await tabTo(page, 'Words');
      await page.keyboard.type(`calm transitions ${name}`);
      await page.keyboard.press('Enter');
      await page.getByRole('link', { name: title }).waitFor();
      await tabTo(page, title);
      await page.keyboard.press('Enter');
      await expectFocusOnHeading(page, title);

      // Registering with Space on the button.
      await tabTo(page, 'Register');
      await page.keyboard.press('Space');
      await page.getByText('Registered. A confirmation is on its way by email.').waitFor();

      // Back up to the menu with Shift+Tab (on a phone to its Menu button first), to "My learning" → "My registrations".
      if (phone) {
        await openPhoneMenu(page, 'Shift+Tab');
        await tabTo(page, 'My learning');
      } else await tabTo(page, 'My learning', 'Shift+Tab', 120);
      await page.keyboard.press('Enter');
      await tabTo(page, 'My registrations');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/my\/registrations/);
      await expectFocusOnHeading(page, 'My registrations');
      await page.getByTestId('registrations-upcoming').waitFor();

      // Asking to cancel moves focus to the safe answer; keeping the seat puts focus back where it was.
      const cancelName = `Cancel registration for ${title}`;
      await tabTo(page, cancelName);
      await page.keyboard.press('Enter');
      const safe = await focusNow(page);
      expect(safe.name).toBe('No, keep it');
      expectVisibleFocus(safe);
      await page.keyboard.press('Enter');
      const back = await focusNow(page);
      expect(back.name).toBe(cancelName);
      expectVisibleFocus(back);

      // And cancelling for real: Shift+Tab from the safe answer reaches "Yes, cancel".
      await page.keyboard.press('Enter');
      await tabTo(page, 'Yes, cancel', 'Shift+Tab', 3);
      await page.keyboard.press('Enter');
      await page.getByText(`Your registration for ${title} is cancelled.`).waitFor();
      expect(await page.getByTestId('registrations-upcoming').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('keeps focus inside the confirmation dialog and gives it back to the button that opened it', async () => {
    const { db } = app.database;
    await db('settings')
      .where({ key: 'automatic_case_assignment' })
      .update({ value: JSON.stringify(false) });
    const applicant = await aUser(db, ['professional']);
    const center = await anOrganization(db, { name: `Maple Leaf Preschool (${name})` });
    // The case is set up through the API: what is walked here is the reviewer's page.
    const asApplicant = await signIn(app.baseUrl, applicant);
    const submitted = await asApplicant
      .post('/api/cases/organization-claims', { organizationId: center.id, position: 'Director' })
      .expect(201);
    const caseId = (submitted.body as { case: { id: number } }).case.id;
    const reviewer = await aUser(db, ['reviewer']);

    const page = await app.browser.newPage({ viewport: { width, height } });
    try {
      await app.signInThroughPage(page, reviewer);
      await page.goto(`${app.baseUrl}/cases/${caseId}`);
      await until(
        async () => {
          await page.getByTestId('case-status').waitFor();
          if ((await page.getByTestId('case-status').innerText()) === 'In review') return true;
          await page.reload();
          return false;
        },
        (ready) => ready,
        30_000,
        500,
      );
      await expectFocusOnHeading(page, /Maple Leaf Preschool/);
      await tabTo(page, 'Claim');
      await page.keyboard.press('Enter');
      await page.getByText('You hold the case now.').waitFor();
      await tabTo(page, /^Reasons/);
      await page.keyboard.type('The applicant runs the center.');
      await tabTo(page, 'Approve');
      await page.keyboard.press('Enter');

      // Focus starts on the safe answer, inside the dialog, and Tab and Shift+Tab never leave it.
      await page.getByRole('dialog', { name: 'Approve this case?' }).waitFor();
      const start = await focusNow(page);
      expect([start.name, start.inDialog]).toEqual(['Go back', true]);
      for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab'] as const) {
        await page.keyboard.press(key);
        const focus = await focusNow(page);
        expect(focus.inDialog, `${key} took focus out of the dialog, to <${focus.tag}> "${focus.name}"`).toBe(true);
        expectVisibleFocus(focus);
      }

      // Escape closes it without approving, and focus is back on "Approve".
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      const back = await focusNow(page);
      expect(back.name).toBe('Approve');
      expectVisibleFocus(back);
      expect(await page.getByTestId('case-status').innerText()).toBe('In review');
    } finally {
      await page.close();
    }
  });
});
