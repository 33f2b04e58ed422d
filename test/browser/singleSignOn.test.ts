/**
 * Single sign-on in Chromium (issue 23), against a real OpenID Connect provider (`oidc-provider`)
 * running in this process with its own login page. An admin maps the provider's groups to roles;
 * a staff member clicks "Sign in with Show-Me ID", signs in on the provider's page and lands in
 * MOPD with the mapped role (the first sign-in creates the account); after a group change at the
 * provider and a sign-out that ends both sessions, the next sign-in brings the new role; a provider
 * sign-in without a second factor gets MOPD's own code step. At desktop width and at 390 px, with
 * axe on MOPD's pages (the provider's pages are the test's stand-in, not MOPD's to check).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { goTo } from '../support/menu.js';
import { until } from '../support/polling.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from '../support/axe.js';
import { startIdentityProvider, type ProviderPerson, type TestIdentityProvider } from '../support/identityProvider.js';
import type { SingleSignOnConfig } from '../../api/auth/singleSignOn.js';

let app: BrowserApp;
let idp: TestIdentityProvider;
// MOPD reads its single sign-on configuration at each sign-in: filled once the provider runs.
const singleSignOn = { label: 'Show-Me ID', localPasswords: 'all' } as SingleSignOnConfig;

beforeAll(async () => {
  app = await startBrowserApp({ singleSignOn });
  idp = await startIdentityProvider(app.baseUrl);
  Object.assign(singleSignOn, idp.configFor());
});
afterAll(async () => {
  await app?.close();
  await idp?.close();
});

const aPerson = (over: Partial<ProviderPerson> = {}): ProviderPerson => {
  const id = randomUUID().slice(0, 8);
  return idp.add({
    username: `staff-${id}`,
    password: `provider-password-${id}`,
    email: `staff-${id}@state.example`,
    name: `Riley Staff ${id}`,
    groups: ['mopd-reviewers'],
    secondFactor: true,
    ...over,
  });
};

/** From MOPD's sign-in page through the provider's own login page, back to MOPD. */
async function signInThroughProvider(page: Page, person: ProviderPerson, checkAxe = true) {
  await page.goto(`${app.baseUrl}/`);
  await page.waitForURL(/\/sign-in/);
  const button = page.getByRole('link', { name: 'Sign in with Show-Me ID' });
  await button.waitFor();
  if (checkAxe) {
    await expectNoAxeViolations(page);
    await expectNoHorizontalScroll(page);
  }
  await button.click();
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.getByRole('heading', { level: 1, name: 'State identity provider' }).waitFor();
  await page.getByLabel('Username').fill(person.username);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in at the provider' }).click();
  await page.waitForURL((url) => url.origin === app.baseUrl);
}

const rolesIn = async (page: Page) =>
  ((await (await page.request.get(`${app.baseUrl}/api/auth/me`)).json()) as { user: { roles: string[] } }).user.roles;

async function signOutOfBoth(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  // The provider asks to confirm ending its own session, then sends the browser back to MOPD.
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.getByRole('button', { name: /Yes, sign me out/ }).click();
  await page.waitForURL(`${app.baseUrl}/sign-in`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
}

describe('single sign-on through the state’s identity provider', () => {
  it('an admin maps groups to roles on the Single sign-on page', async () => {
    const admin = await aUser(app.database.db, ['admin']);
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await app.signInThroughPage(page, admin);
      await goTo(page, 'Single sign-on');
      await page.getByRole('heading', { level: 1, name: 'Single sign-on' }).waitFor();
      await page.getByText('No group gives a role yet.').waitFor();
      await expectNoAxeViolations(page);
      for (const [group, role] of [
        ['mopd-reviewers', 'reviewer'],
        ['mopd-inspectors', 'inspector'],
      ] as const) {
        await page.getByRole('button', { name: 'Add a group' }).click();
        await page.getByLabel('Group at the identity provider').last().fill(group);
        await page.getByLabel('MOPD role').last().selectOption({ label: role });
      }
      await page.getByRole('button', { name: 'Save the mapping' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await expectNoAxeViolations(page);
      const rows = await app.database.db('sign_on_group_roles').orderBy('group_name').select('group_name', 'role');
      expect(rows).toEqual([
        { group_name: 'mopd-inspectors', role: 'inspector' },
        { group_name: 'mopd-reviewers', role: 'reviewer' },
      ]);
      const audited = await app.database
        .db('audit_log')
        .where({ action: 'setting.changed', entity_id: 'sign_on_group_roles' })
        .first();
      expect(Number(audited?.actor_user_id)).toBe(admin.user.id);
    } finally {
      await page.close();
    }
  });

  it('signs a staff member in at the provider’s page, creates the account with the mapped role, and follows a group change at the next sign-in', async () => {
    const person = aPerson();
    const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await signInThroughProvider(page, person);
      await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
      expect(await rolesIn(page)).toEqual(['reviewer']);
      await expectNoAxeViolations(page);
      const user = await app.database.db('users').where({ email: person.email }).first();
      expect(user?.display_name).toBe(person.name);

      person.groups = ['mopd-inspectors'];
      await signOutOfBoth(page);
    } finally {
      await page.close();
    }

    // On a phone, the next sign-in: the provider asks for the password again (its session ended too).
    const phone = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await signInThroughProvider(phone, person);
      await phone.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
      expect(await rolesIn(phone)).toEqual(['inspector']);
      await expectNoAxeViolations(phone);
      await expectNoHorizontalScroll(phone);
    } finally {
      await phone.close();
    }
  });

  it('links an existing account by its email and asks for MOPD’s code when the provider used no second factor', async () => {
    const existing = await aUser(app.database.db, ['reviewer']);
    const person = aPerson({ email: existing.user.email, secondFactor: false });
    let usedCode = '';
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const page = await app.browser.newPage({ viewport });
      try {
        await signInThroughProvider(page, person, false);
        await page.waitForURL(/\/sign-in\?step=second-factor/);
        const code = page.getByLabel('Code');
        await code.waitFor();
        await expectNoAxeViolations(page);
        await expectNoHorizontalScroll(page);
        // Each code is taken once: the second round waits for the next time step's code.
        const value = await until(
          () => generate({ secret: existing.mfaSecret! }),
          (next) => next !== usedCode,
          35_000,
          500,
        );
        usedCode = value;
        await code.fill(value);
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
        expect(await rolesIn(page)).toEqual(['reviewer']);
      } finally {
        await page.close();
      }
    }
    const identities = await app.database.db('sign_on_identities').where({ user_id: existing.user.id });
    expect(identities).toHaveLength(1);
  });
});
