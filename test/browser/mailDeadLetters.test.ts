/** An admin finds a dead letter on the outgoing mail page (phone width) and sends it again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, recordOutboxFailure } from '../../db/outbox.js';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

describe('the outgoing mail page', () => {
  it('lists dead letters with their last error and tries, and sends one again', async () => {
    const { db } = app.database;
    const admin = await aUser(db, ['admin']);
    for (const who of ['ana', 'ben']) {
      await addToOutbox(db, {
        dedupeKey: `dead-${who}`,
        template: 'test',
        to: `${who}@dead.example.org`,
        subject: `Hello ${who}`,
        text: 'Hi',
        html: '<p>Hi</p>',
      });
      const row = (await db('outbox')
        .where({ dedupe_key: `dead-${who}` })
        .first())!;
      await db('outbox').where({ id: row.id }).update({ status: 'queued', attempts: 7 });
      await recordOutboxFailure(db, row.id, 'Error: Invalid greeting. response=421 4.3.2 Service not available', {
        dead: true,
      });
    }
    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, admin);
      await page.getByRole('link', { name: 'Outgoing mail' }).click();
      await page.getByRole('heading', { name: 'Outgoing mail' }).waitFor();
      const table = page.getByRole('table', { name: /Dead letters: 2 shown/ });
      await table.waitFor();
      await expect.poll(() => table.getByText('421 4.3.2 Service not available').count()).toBe(2);
      expect(await table.getByRole('cell', { name: '8', exact: true }).count()).toBe(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

      await page.getByRole('button', { name: 'Send the email to ana@dead.example.org again' }).click();
      await page.getByRole('status').getByText('The email to ana@dead.example.org is queued again').waitFor();
      await page.getByRole('table', { name: /Dead letters: 1 shown/ }).waitFor();
      expect(await db('outbox').where({ dedupe_key: 'dead-ana' }).first()).toMatchObject({
        status: 'pending',
        generation: 1,
      });
      expect(
        await db('audit_log').where({ action: 'outbox.retried', actor_user_id: admin.user.id }).count('* as n'),
      ).toEqual([{ n: 1 }]);

      await page.getByLabel('Show').selectOption('pending');
      await page
        .getByRole('table', { name: /Waiting to be queued: 1 shown/ })
        .getByText('ana@dead.example.org')
        .waitFor();
    } finally {
      await page.close();
    }
  });

  it('opens on the sent list when no mail is dead or waiting', async () => {
    const { db } = app.database;
    await db('outbox').del();
    const admin = await aUser(db, ['admin']);
    await addToOutbox(db, {
      dedupeKey: 'sent-cleo',
      template: 'test',
      to: 'cleo@sent.example.org',
      subject: 'Hello cleo',
      text: 'Hi',
      html: '<p>Hi</p>',
    });
    await db('outbox').update({ status: 'sent', sent_at: new Date() });
    const page = await app.browser.newPage();
    try {
      await app.signInThroughPage(page, admin);
      await page.getByRole('link', { name: 'Outgoing mail' }).click();
      await page
        .getByRole('table', { name: /Sent: \d+ shown/ })
        .getByText('cleo@sent.example.org')
        .waitFor();
      expect(await page.getByLabel('Show').inputValue()).toBe('sent');
    } finally {
      await page.close();
    }
  });
});
