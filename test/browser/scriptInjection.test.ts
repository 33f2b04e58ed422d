/**
 * Hostile text typed by one person never runs in another person's browser. A professional signs
 * up with markup and a Vue template expression for a name and puts script into a training
 * request, a message on it, micro-credential evidence and a file name; a trainer with a hostile name writes
 * script to the participants of an event whose course and link came in hostile. Then the people
 * who read them open their pages in Chromium: a participant (catalog, event page, messages), a
 * director (staff report), a reviewer (review queue, case pages). Each page shows the text as
 * typed, holds none of it as markup, runs nothing (window.__pwned stays unset, no dialog opens),
 * and a javascript: link is not a link. The pages run with the CSP bypassed, so that this checks
 * the UI's own escaping and not only the Content-Security-Policy behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, TEST_PASSWORD, type Session, type TestUser } from '../support/app.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { signUpAndSignIn } from '../support/signUp.js';
import { createEvent } from '../../db/events.js';
import type { ProfessionalRow } from '../../db/rows.js';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const VUE = "{{ constructor.constructor('window.__pwned=1')() }}";
const SVG = '<svg onload="alert(\'pwned\')"></svg>';
const JAVASCRIPT_LINK = 'javascript:window.__pwned=1';

/** Markup the hostile text would have become had it been rendered as HTML. */
const INJECTED = 'img[src="x"], svg[onload], [onerror], [onload], script:not([src])';

let app: BrowserApp;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await app?.close();
});

/** A page of its own for `who`, signed in through the sign-in page, recording any dialog. */
async function pageOf(who: TestUser): Promise<{ page: Page; dialogs: string[] }> {
  // CSP bypassed: an escaping bug must show here even though the CSP would stop its script.
  const context = await app.browser.newContext({ bypassCSP: true });
  contexts.push(context);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await app.signInThroughPage(page, who);
  return { page, dialogs };
}

/** The page shows each text as typed, holds none of it as markup, and nothing ran. */
async function showsLiterally(page: Page, dialogs: string[], texts: string[]): Promise<void> {
  for (const text of texts) await page.getByText(text, { exact: false }).first().waitFor();
  expect(await page.locator(INJECTED).count(), 'elements made from typed text').toBe(0);
  // An image that fails to load fires onerror once its load has failed. A canary image of the
  // same broken source, added now, fails after any such image already on the page would have:
  // once the canary's error has fired, an onerror the typed text carried would have run.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const canary = new Image();
        canary.onerror = () => resolve();
        canary.src = 'x';
      }),
  );
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

describe('hostile text from one person', () => {
  let mallory: { session: Session; email: string; professional: ProfessionalRow };
  let trainingRequestTitle: string;
  let caseMessage: string;
  let reflection: string;
  let message: string;
  let course: { title: string; description: string };
  let eventId: number;
  let microCredentialCaseId: number;

  beforeAll(async () => {
    const { db } = app.database;
    // Mallory signs up with markup and a template expression for a name, through the API.
    const email = `mallory-${Date.now()}@example.org`;
    // She follows the emailed link, then signs in.
    const session = await signUpAndSignIn(app.baseUrl, db, {
      firstName: IMG,
      lastName: VUE,
      email,
      password: TEST_PASSWORD,
    });
    const professional = (await db('professionals').where({ email }).first()) as ProfessionalRow;
    expect([professional.first_name, professional.last_name]).toEqual([IMG, VUE]);
    mallory = { session, email, professional };

    // A PDF with a hostile name, proof for a training request whose title is script.
    const upload = async (name: string, purpose: string) => {
      const response = await session.agent
        .post('/api/uploads')
        .set('x-csrf-token', session.csrf)
        .field('purpose', purpose)
        .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), name);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body.upload.id as string;
    };
    trainingRequestTitle = `${SCRIPT} ${SVG}`;
    const request = await session.post('/api/cases/training-requests', {
      title: trainingRequestTitle,
      provider: VUE,
      category: 'out-of-state-registry',
      inRatio: false,
      topic: 'health-safety',
      completedOn: '2026-01-15',
      hours: 2,
      delivery: 'in_person',
      proof: [await upload(`${IMG}.pdf`, 'training_proof')],
    });
    expect(request.status, JSON.stringify(request.body)).toBe(201);
    caseMessage = `${SVG}\n${SCRIPT}`;
    expect((await session.post(`/api/cases/${request.body.case.id}/messages`, { body: caseMessage })).status).toBe(201);

    // Micro-credential evidence: a reflection long enough to be taken, with script in it.
    reflection = `${'Every infant in my room sleeps on their back in a bare crib, and I check each one every fifteen minutes. '.repeat(4)}${IMG} ${SCRIPT} ${VUE}`;
    const evidence = await session.post('/api/cases/micro-credentials', {
      credentialId: 'safe-sleep-practice',
      reflection,
      documents: [{ uploadId: await upload(`${SVG.replace(/\//g, '')}.pdf`, 'document'), label: SVG }],
    });
    expect(evidence.status, JSON.stringify(evidence.body)).toBe(201);
    microCredentialCaseId = evidence.body.case.id;

    // A trainer named with markup runs an online event of a course that came in hostile, with a
    // javascript: link stored before the API refused such links.
    const trainer = await aUser(db, ['trainer']);
    await db('users').where({ id: trainer.user.id }).update({ display_name: SVG });
    course = { title: `Safe Sleep ${IMG}`, description: `${SCRIPT} ${VUE}` };
    const row = await aCourse(db, { ...course, trainer_user_id: trainer.user.id, delivery: 'online' });
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    eventId = (
      await createEvent(db, {
        course: row,
        trainerUserId: trainer.user.id,
        trainerName: SVG,
        capacity: 10,
        onlineUrl: JAVASCRIPT_LINK,
        sessions: [{ startsAt, endsAt: new Date(startsAt.getTime() + 3_600_000), hours: 1 }],
      })
    ).id;
    // Mallory takes part; the trainer writes to everyone taking part.
    expect((await session.post(`/api/events/${eventId}/registrations`)).status).toBe(201);
    message = `${IMG}\n\n${VUE}\n\n${SCRIPT}`;
    const sent = await (await signIn(app.baseUrl, trainer)).post(`/api/events/${eventId}/messages`, { body: message });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  });

  it('is plain text on a participant’s catalog and event pages, and its javascript: link is not a link', async () => {
    const participant = await aUser(app.database.db, ['professional']);
    const mine = await signIn(app.baseUrl, participant);
    expect((await mine.post(`/api/events/${eventId}/registrations`)).status).toBe(201);
    const { page, dialogs } = await pageOf(participant);

    await page.getByRole('link', { name: 'Find training' }).click();
    await showsLiterally(page, dialogs, [course.title, SVG]);

    await page.getByRole('link', { name: course.title }).click();
    await page.getByRole('heading', { level: 1, name: course.title }).waitFor();
    await showsLiterally(page, dialogs, [course.description, JAVASCRIPT_LINK]);
    const messages = page.getByTestId(`event-messages-${eventId}`);
    await messages.waitFor();
    expect(await messages.locator('p.body').innerText()).toBe(message);
    expect(await messages.locator('strong').first().innerText()).toBe(SVG);
    await showsLiterally(page, dialogs, []);

    // The link is text: nothing on the page points at script, and clicking the text runs nothing.
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    await page.getByText(JAVASCRIPT_LINK, { exact: true }).click();
    await showsLiterally(page, dialogs, []);
    expect(page.url()).toBe(`${app.baseUrl}/events/${eventId}`);
  });

  it('is plain text in a director’s staff report', async () => {
    const { db } = app.database;
    const director = await aUser(db, ['director']);
    const organization = await anOrganization(db, { name: 'Little Acorns' });
    await db('organization_claims').insert({
      organization_id: organization.id,
      director_user_id: director.user.id,
      status: 'approved',
      decided_at: new Date(),
    });
    await anEmployment(db, mallory.professional, organization, '2026-01-05');
    const { page, dialogs } = await pageOf(director);

    await page.goto(`${app.baseUrl}/reports/staff`);
    await page.getByLabel('Organization').selectOption({ label: `Little Acorns (${organization.county})` });
    const row = page.getByTestId(`staff-${mallory.professional.mopd_id}`);
    await row.waitFor();
    expect(await row.getByRole('link').innerText()).toBe(`${IMG} ${VUE}`);
    await showsLiterally(page, dialogs, [`${IMG} ${VUE}`]);
  });

  it('is plain text in a reviewer’s queue and on the case pages: title, provider, messages, evidence, file names, the applicant’s name', async () => {
    const reviewer = await aUser(app.database.db, ['reviewer']);
    const { page, dialogs } = await pageOf(reviewer);

    await page.getByRole('link', { name: 'Review queue' }).click();
    await showsLiterally(page, dialogs, [trainingRequestTitle]);

    await page.getByRole('link', { name: trainingRequestTitle }).click();
    await page.getByRole('heading', { level: 1, name: trainingRequestTitle }).waitFor();
    await showsLiterally(page, dialogs, [`${IMG}.pdf`, VUE]);
    expect(await page.getByTestId('messages').locator('li div').textContent()).toBe(caseMessage);

    await page.goto(`${app.baseUrl}/cases/${microCredentialCaseId}`);
    const shown = page.getByTestId('evidence-reflection');
    await shown.waitFor();
    expect(await shown.innerText()).toBe(reflection);
    await showsLiterally(page, dialogs, [`${SVG.replace(/\//g, '')}.pdf`, SVG, `${IMG} ${VUE}`]);
  });

  it('is escaped in the HTML of the emails it reaches', async () => {
    const { db } = app.database;
    // The trainer's message to Mallory, and Mallory's own case and registration notices.
    const html: string[] = await db('outbox').where({ to_address: mallory.email }).pluck('body_html');
    expect(html.length).toBeGreaterThanOrEqual(2);
    const all = html.join('\n');
    for (const raw of [IMG, SCRIPT, SVG]) expect(all).not.toContain(raw);
    expect(all).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
    expect(all).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });
});

describe('the pages themselves', () => {
  it('are served with a Content-Security-Policy that allows no inline script', async () => {
    const response = await fetch(`${app.baseUrl}/catalog`);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).not.toMatch(/unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe-inline/);
  });
});
