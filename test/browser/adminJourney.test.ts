/**
 * An admin's journey through the UI alone (issue 19), at desktop width and at 390 px: they find a
 * person on "Users and roles" and make them a trainer, the person signs in and has a trainer's
 * menu, and on "Outgoing mail" the admin finds the email that could not be delivered to them and
 * sends it again. axe runs on each page; the phone never scrolls sideways.
 */
import { describe, expect, it } from 'vitest';
import { addToOutbox, recordOutboxFailure } from '../../db/outbox.js';
import { aUser } from '../support/app.js';
import { checkPage, useBrowserApp, VIEWPORTS } from '../support/browserSuite.js';
import { goTo } from '../support/menu.js';

const startedApp = useBrowserApp();

describe('an admin gives a role and resends mail', () => {
  for (const { name: label, viewport } of VIEWPORTS) {
    it(`users and roles → the person has the role → outgoing mail sent again (${label})`, async () => {
      const app = startedApp();
      const { db } = app.database;
      const admin = await aUser(db, ['admin']);
      const person = await aUser(db, ['professional']);
      const email = person.user.email;
      // An email to them that the mail server refused for good: a dead letter.
      await addToOutbox(db, {
        dedupeKey: `welcome-${label}`,
        template: 'test',
        to: email,
        subject: 'Welcome to MOPD',
        text: 'Hi',
        html: '<p>Hi</p>',
      });
      const row = (await db('outbox')
        .where({ dedupe_key: `welcome-${label}` })
        .first())!;
      await db('outbox').where({ id: row.id }).update({ status: 'queued', attempts: 7 });
      await recordOutboxFailure(db, row.id, 'Error: 421 4.3.2 Service not available', { dead: true });

      const page = await app.browser.newPage({ viewport });
      const personPage = await app.browser.newPage({ viewport });
      try {
        await app.signInThroughPage(page, admin);
        await checkPage(page);

        // Make the person a trainer.
        await goTo(page, 'Users and roles');
        await page.getByLabel('Find by email or name').fill(email);
        const personRow = page.getByRole('row').filter({ hasText: email });
        await personRow.waitFor();
        await checkPage(page);
        await personRow.getByRole('button', { name: 'Edit roles' }).click();
        const roles = personRow.getByRole('group', { name: `Roles of ${email}` });
        await roles.getByLabel('trainer').check();
        await checkPage(page);
        await personRow.getByRole('button', { name: 'Save' }).click();
        await page.getByText(`Roles of ${email} saved.`).waitFor();
        expect(await personRow.innerText()).toMatch(/professional, trainer|trainer, professional/);

        // The person signs in and has a trainer's pages.
        await app.signInThroughPage(personPage, person);
        await goTo(personPage, 'My events');
        await personPage.getByRole('heading', { level: 1, name: 'My events' }).waitFor();
        await checkPage(personPage);

        // The undelivered email to them, sent again.
        await goTo(page, 'Outgoing mail');
        await page.getByRole('heading', { level: 1, name: 'Outgoing mail' }).waitFor();
        const dead = page.getByRole('table', { name: /Dead letters/ });
        await dead.getByRole('cell', { name: new RegExp(`^${email}`) }).waitFor();
        await checkPage(page);
        await page.getByRole('button', { name: `Send the email to ${email} again` }).click();
        await page.getByRole('status').getByText(`The email to ${email} is queued again`).waitFor();
        expect((await db('outbox').where({ id: row.id }).first())?.status).toBe('pending');
        await checkPage(page);
      } finally {
        await page.close();
        await personPage.close();
      }
    });
  }
});
