/** Asking a CPR/First Aid trainer for a course, and the trainer answering, in Chromium at phone width. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  await app?.close();
});

describe('course requests', () => {
  it('lets a professional ask a directory trainer for a course, and the trainer decline it with a note', async () => {
    const { db } = app.database;
    const trainer = await aUser(db, ['trainer']);
    const [someCase] = await db('cases')
      .insert({
        type: 'trainer_application',
        workflow_id: `case-x-${randomUUID()}`,
        applicant_user_id: trainer.user.id,
        title: 'x',
        submission: '{}',
        rule_set: 'mopd-compliance',
        rule_set_version: 1,
      })
      .returning('id');
    await db('trainers').insert({
      user_id: trainer.user.id,
      approved_until: '2099-12-31',
      approved_by_case_id: someCase!.id,
      regions: ['Central', 'Southwest'],
    });
    const uploadId = randomUUID();
    await db('uploads').insert({
      id: uploadId,
      owner_user_id: trainer.user.id,
      purpose: 'instructor_certification',
      original_name: 'cert.pdf',
      media_type: 'application/pdf',
      size_bytes: 10,
      sha256: 'x',
    });
    await db('trainer_certifications').insert({
      trainer_user_id: trainer.user.id,
      model: 'American Heart Association',
      expires_on: '2099-01-01',
      upload_id: uploadId,
      case_id: someCase!.id,
    });
    const person = await aUser(db, ['professional']);

    const page = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(page, person);
      await page.getByRole('link', { name: 'Find training' }).click();
      await page.getByRole('link', { name: 'Find a CPR/First Aid trainer' }).click();
      const card = page.getByTestId(`cpr-trainer-${trainer.user.id}`);
      await card.getByText('Teaches in Central, Southwest').waitFor();
      await card.getByRole('button', { name: 'Ask for a course' }).click();
      await card.getByLabel('Region').selectOption('Southwest');
      await card.getByRole('button', { name: 'Send request' }).click();
      // The server's message shows beside the field it is about.
      await card.getByText('must not be empty').waitFor();
      expect(await card.getByLabel('Your message').getAttribute('aria-invalid')).toBe('true');
      await card.getByLabel('Your message').fill('Twelve of us in Joplin need CPR this spring.');
      await card.getByLabel('How many people (optional)').fill('12');
      await card.getByRole('button', { name: 'Send request' }).click();
      await card
        .getByRole('status')
        .getByText(/has your request by email/)
        .waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await db('course_requests').where({ trainer_user_id: trainer.user.id }).first()).toMatchObject({
        region: 'Southwest',
        seats: 12,
        status: 'open',
      });
    } finally {
      await page.close();
    }

    const trainerPage = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await app.signInThroughPage(trainerPage, trainer);
      await trainerPage.getByRole('link', { name: 'Course requests' }).click();
      await trainerPage.getByText('Twelve of us in Joplin need CPR this spring.').waitFor();
      await trainerPage.getByLabel('I cannot offer it').check();
      await trainerPage.getByLabel('Message to them').fill('I am booked until June; try again then.');
      await trainerPage.getByRole('button', { name: 'Send answer' }).click();
      await trainerPage.getByText('Declined; they have your note by email.').waitFor();
      await trainerPage.getByText('Your answer,', { exact: false }).waitFor();
      expect(await trainerPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await db('outbox').where({ to_address: person.user.email }).pluck('subject')).toContain(
        `${trainer.user.display_name} declined your course request`,
      );
    } finally {
      await trainerPage.close();
    }
  });
});
