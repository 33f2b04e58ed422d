/**
 * Emailed links followed a second time (issue 19): the page says the link cannot be used any more
 * and offers the way to a new one, instead of an empty page or an error under a password field.
 * Walked at phone width through the pages only; the links are read from the outgoing mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { linkToken, outboxTo, signUpToken } from '../support/signUp.js';
import { aUser } from '../support/app.js';
import { until } from '../support/polling.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

const PHONE = { width: 390, height: 844 };

describe('an emailed link followed twice', () => {
  it('confirms a sign-up once, then says the link is used and offers sign-in or signing up again', async () => {
    const page = await app.browser.newPage({ viewport: PHONE });
    try {
      await page.goto(`${app.baseUrl}/sign-up`);
      await page.getByLabel('First name').fill('Rosa');
      await page.getByLabel('Last name').fill('Delgado');
      await page.getByLabel('Email').fill('rosa.delgado@example.org');
      await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
      await page.getByRole('button', { name: 'Create account' }).click();
      const token = await signUpToken(app.database.db, 'rosa.delgado@example.org');

      await page.goto(`${app.baseUrl}/verify-email?token=${token}`);
      await page.getByRole('status').getByText('Thank you, your email is confirmed.').waitFor();

      await page.goto(`${app.baseUrl}/verify-email?token=${token}`);
      const notice = page.getByRole('alert');
      await notice.getByRole('heading', { name: 'This link cannot be used any more' }).waitFor();
      expect(await notice.getByRole('link', { name: 'Sign up again' }).getAttribute('href')).toBe('/sign-up');
      await notice.getByRole('link', { name: 'Sign in' }).click();
      await page.waitForURL(/\/sign-in/);
    } finally {
      await page.close();
    }
  });

  it('changes a password once, then hides the form and offers a new reset link', async () => {
    const person = await aUser(app.database.db, ['professional']);
    const page = await app.browser.newPage({ viewport: PHONE });
    try {
      await page.goto(`${app.baseUrl}/forgot-password`);
      await page.getByLabel('Email').fill(person.user.email);
      await page.getByRole('button', { name: 'Email me a link' }).click();
      const mails = await until(
        () => outboxTo(app.database.db, person.user.email, 'password_reset'),
        (rows) => rows.length > 0,
      );
      const token = linkToken(mails[0]!.body_text);
      expect(token).not.toBe('');

      await page.goto(`${app.baseUrl}/reset-password?token=${token}`);
      await page.getByLabel('New password').fill('another long passphrase');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByText('Your password is changed.').waitFor();

      await page.goto(`${app.baseUrl}/reset-password?token=${token}`);
      await page.getByLabel('New password').fill('yet another passphrase');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      const notice = page.getByRole('alert');
      await notice.getByRole('heading', { name: 'This link cannot be used any more' }).waitFor();
      expect(await page.getByLabel('New password').count()).toBe(0);
      await notice.getByRole('link', { name: 'Ask for a new reset link' }).click();
      await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
    } finally {
      await page.close();
    }
  });
});
