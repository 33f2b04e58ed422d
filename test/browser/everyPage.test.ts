/**
 * Every page of the UI, for the person it is for, in Chromium at desktop width and at 390 px
 * (issue 19): axe finds no WCAG 2.1 A/AA violation and the phone layout does not scroll sideways.
 *
 * The pages are read from the router itself (ui/src/router.ts), and the test fails when a route
 * has no visit below, so a new page cannot be left out. Each role signs in once in its own
 * context and walks its pages in sequence; ids in the addresses are real rows made in set-up.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { generate } from 'otplib';
import { createEvent } from '../../db/events.js';
import { addToOutbox, recordOutboxFailure } from '../../db/outbox.js';
import { createOnlineCourses } from '../../services/onlineCourses.js';
import { offlinePaymentProvider } from '../../services/payments.js';
import { projectRoot } from '../../bin/tools.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn, TEST_PASSWORD, type TestUser } from '../support/app.js';
import { until } from '../support/polling.js';
import { startBrowserApp, type BrowserApp } from '../support/browser.js';
import { axeViolations } from '../support/axe.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

type Visitor =
  'visitor' | 'enrolling' | 'professional' | 'director' | 'trainer' | 'reviewer' | 'inspector' | 'policy' | 'admin';

/** The router's paths as written, with their parameter patterns left out: `/events/:id(\\d+)` is `/events/:id`. */
function routerPaths(): string[] {
  const source = readFileSync(path.join(projectRoot, 'ui/src/router.ts'), 'utf8');
  return [...source.matchAll(/^\s*path: '([^']+)'/gm)].map((m) => m[1]!.replace(/\([^)]*\)\*?/g, ''));
}

interface Ids {
  professionalId: number;
  staffProfessionalId: number;
  eventId: number;
  onlineCourseId: number;
  caseId: number;
  ruleSetVersion: number;
  simulationId: string;
  simulatedProfessionalId: number;
}

/** Who opens which address for each route of the router; a route may be visited by more than one person. */
function visitsByRoute(ids: Ids): Record<string, Array<[Visitor, string]>> {
  const own = (page: string): Array<[Visitor, string]> => [
    ['professional', `/professionals/${ids.professionalId}/${page}`],
  ];
  return {
    '/': [
      ['professional', '/'],
      ['director', '/'],
      ['trainer', '/'],
      ['reviewer', '/'],
      ['inspector', '/'],
      ['policy', '/'],
      ['admin', '/'],
    ],
    '/sign-in': [['visitor', '/sign-in']],
    '/sign-up': [['visitor', '/sign-up']],
    '/forgot-password': [['visitor', '/forgot-password']],
    '/reset-password': [['visitor', '/reset-password?token=no-longer-good']],
    '/verify-email': [['visitor', '/verify-email?token=no-longer-good']],
    '/mfa-setup': [['enrolling', '/mfa-setup']],
    '/professionals': [
      ['director', '/professionals'],
      ['admin', '/professionals'],
    ],
    '/professionals/:id/compliance': [
      ...own('compliance'),
      ['director', `/professionals/${ids.staffProfessionalId}/compliance`],
    ],
    '/professionals/:id/transcript': [
      ...own('transcript'),
      ['admin', `/professionals/${ids.staffProfessionalId}/transcript`],
    ],
    '/professionals/:id/profile': [...own('profile'), ['admin', `/professionals/${ids.professionalId}/profile`]],
    '/professionals/:id/self-assessment': own('self-assessment'),
    '/micro-credentials': [['professional', '/micro-credentials']],
    '/verify/:code': [['visitor', '/verify/NOSUCHCODE']],
    '/unsubscribe/:token': [['visitor', '/unsubscribe/a-reminder-link-token']],
    '/catalog': [
      ['visitor', '/catalog'],
      ['professional', '/catalog'],
    ],
    '/catalog/cpr-trainers': [['visitor', '/catalog/cpr-trainers']],
    '/events/:id': [
      ['visitor', `/events/${ids.eventId}`],
      ['professional', `/events/${ids.eventId}`],
    ],
    '/trainer/events': [['trainer', '/trainer/events']],
    '/trainer/events/:id/attendance': [['trainer', `/trainer/events/${ids.eventId}/attendance`]],
    '/learn': [
      ['visitor', '/learn'],
      ['professional', '/learn'],
    ],
    '/learn/:id': [
      ['visitor', `/learn/${ids.onlineCourseId}`],
      ['professional', `/learn/${ids.onlineCourseId}`],
    ],
    '/trainer/courses': [['trainer', '/trainer/courses']],
    '/trainer/courses/:id/content': [['trainer', `/trainer/courses/${ids.onlineCourseId}/content`]],
    '/trainer/course-requests': [['trainer', '/trainer/course-requests']],
    '/cases': [
      ['professional', '/cases'],
      ['trainer', '/cases'],
    ],
    '/cases/new/:slug': [
      ['professional', '/cases/new/organization-claim'],
      ['professional', '/cases/new/training-request'],
      ['professional', '/cases/new/micro-credential'],
      ['professional', '/cases/new/trainer-application'],
      ['trainer', '/cases/new/course'],
    ],
    '/cases/:id': [
      ['professional', `/cases/${ids.caseId}`],
      ['reviewer', `/cases/${ids.caseId}`],
    ],
    '/review': [['reviewer', '/review']],
    '/review/cpr-cards': [['reviewer', '/review/cpr-cards']],
    '/notifications': [
      ['professional', '/notifications'],
      ['reviewer', '/notifications'],
    ],
    '/reports/staff': [
      ['director', '/reports/staff'],
      ['inspector', '/reports/staff'],
    ],
    '/staff': [['director', '/staff']],
    '/admin/courses': [['admin', '/admin/courses']],
    '/my/registrations': [['professional', '/my/registrations']],
    '/admin/import': [['admin', '/admin/import']],
    '/admin/users': [['admin', '/admin/users']],
    '/admin/organizations': [['admin', '/admin/organizations']],
    '/admin/program-types': [['admin', '/admin/program-types']],
    '/admin/mail': [['admin', '/admin/mail']],
    '/admin/settings': [['admin', '/admin/settings']],
    '/admin/single-sign-on': [['admin', '/admin/single-sign-on']],
    '/analytics': [
      ['policy', '/analytics'],
      ['reviewer', '/analytics'],
    ],
    '/policy/rules': [['policy', '/policy/rules']],
    '/policy/rules/:version': [['policy', `/policy/rules/${ids.ruleSetVersion}`]],
    '/policy/simulations/:id/people/:professionalId': [
      ['policy', `/policy/simulations/${ids.simulationId}/people/${ids.simulatedProfessionalId}`],
    ],
    '/:rest': [
      ['visitor', '/no-such-page'],
      ['professional', '/no-such-page'],
    ],
  };
}

let app: BrowserApp;
let ids: Ids;
let people: Record<Exclude<Visitor, 'visitor'>, TestUser>;

beforeAll(async () => {
  app = await startBrowserApp();
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

  const trainer = await aUser(db, ['trainer']);
  const course = await aCourse(db, { title: 'Calm Transitions for Toddlers', clock_hours: 3, fee_cents: 1500 });
  const event = await createEvent(db, {
    course,
    capacity: 12,
    trainerUserId: trainer.user.id,
    place: { addressLine: '100 W Broadway', city: 'Columbia', county: 'Boone', region: null, zip: '65203' },
    sessions: [{ startsAt: inDays(14), endsAt: new Date(inDays(14).getTime() + 3 * 3_600_000), hours: 3 }],
  });
  const online = await aCourse(db, {
    title: 'Nutrition for Toddlers',
    description: 'Healthy meals and snacks in child care.',
    delivery: 'online',
    clock_hours: 2,
    trainer_user_id: trainer.user.id,
  });
  await createOnlineCourses({ db, payments: offlinePaymentProvider({ secret: 'unused-here' }) }).saveContent({
    courseId: online.id,
    byUserId: trainer.user.id,
    content: {
      passMarkPercent: 100,
      modules: [{ title: 'Building a plate', body: 'Half the plate is fruit and vegetables.' }],
      questions: [
        { prompt: 'What fills half the plate?', choices: ['Bread', 'Fruit and vegetables'], correctChoice: 1 },
      ],
    },
  });

  // The professional registers for the event and claims another center: a case for them and the reviewer to read.
  const asProfessional = await signIn(app.baseUrl, professional);
  await asProfessional.post(`/api/events/${event.id}/registrations`, {}).expect(201);
  const other = await anOrganization(db, { name: 'Oak Hollow Child Care' });
  const claim = await asProfessional
    .post('/api/cases/organization-claims', { organizationId: other.id, position: 'Director' })
    .expect(201);

  // A draft and a finished simulation of it, for the before-and-after page (signed in through the API
  // by another policy person: an authenticator code is good once).
  const policySetUp = await signIn(app.baseUrl, await aUser(db, ['policy_staff']));
  const versions = (await policySetUp.get('/api/rule-sets/mopd-compliance/versions').expect(200)).body as {
    versions: Array<{ version: number; status: string }>;
  };
  const published = Math.max(...versions.versions.filter((v) => v.status === 'published').map((v) => v.version));
  const draft = (
    await policySetUp
      .post('/api/rule-sets/mopd-compliance/drafts', { fromVersion: published, changeNote: 'Every page test' })
      .expect(201)
  ).body as { version: number };
  const simulation = (
    await policySetUp
      .post(`/api/rule-sets/mopd-compliance/versions/${draft.version}/simulations`, {
        asOf: new Date().toISOString().slice(0, 10),
      })
      .expect(202)
  ).body as { simulationId: number };
  const simulated = await until(
    async () =>
      (await policySetUp.get(`/api/rule-set-simulations/${simulation.simulationId}`)).body as { status: string },
    (s) => s.status !== 'running',
    60_000,
    250,
  );
  expect(simulated.status).toBe('completed');

  // A dead letter, so that the outgoing-mail page shows its table with the button to send it again.
  await addToOutbox(db, {
    dedupeKey: 'every-page-dead-letter',
    template: 'test',
    to: 'ana@dead.example.org',
    subject: 'Hello Ana',
    text: 'Hi',
    html: '<p>Hi</p>',
  });
  const letter = (await db('outbox').where({ dedupe_key: 'every-page-dead-letter' }).first())!;
  await db('outbox').where({ id: letter.id }).update({ status: 'queued', attempts: 7 });
  await recordOutboxFailure(db, letter.id, 'Error: 421 4.3.2 Service not available', { dead: true });

  people = {
    // A reviewer who has not set up two-step sign-in yet is sent to set it up.
    enrolling: await aUser(db, ['reviewer'], { mfa: false }),
    professional,
    director,
    trainer,
    reviewer: await aUser(db, ['reviewer']),
    inspector: await aUser(db, ['inspector']),
    policy: await aUser(db, ['policy_staff']),
    admin: await aUser(db, ['admin']),
  };
  await db('inspector_assignments').insert({ user_id: people.inspector.user.id, organization_id: center.id });
  ids = {
    professionalId: professional.professionalId!,
    staffProfessionalId: professional.professionalId!,
    eventId: event.id,
    onlineCourseId: online.id,
    caseId: (claim.body as { case: { id: number } }).case.id,
    ruleSetVersion: published,
    simulationId: String(simulation.simulationId),
    simulatedProfessionalId: professional.professionalId!,
  };
});

afterAll(async () => {
  await app?.close();
});

/** Signs in through the page; the person lands on their home, or on the two-step set-up when they must enrol. */
async function signInThroughPage(page: Page, who: TestUser) {
  await page.goto(`${app.baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(who.user.email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (who.mfaSecret) {
    await page.getByLabel('Code').fill(await generate({ secret: who.mfaSecret }));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** Opens the address and waits until the page has its heading and has stopped loading. */
async function open(page: Page, address: string) {
  failedCalls = [];
  await page.goto(`${app.baseUrl}${address}`);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await expect
    .poll(() =>
      page
        .locator('main')
        .getByText(/^Loading/)
        .count(),
    )
    .toBe(0);
}

/** Addresses whose page shows what happens when the server refuses (a used link, an unknown code). */
const REFUSED_ON_PURPOSE = new Set(['/verify-email?token=no-longer-good', '/verify/NOSUCHCODE']);

/** The API calls that failed since the page was last opened ("403 GET /api/…"). */
let failedCalls: string[] = [];

interface Finding {
  who: Visitor;
  address: string;
  width: number;
  problem: string;
}

/** What is wrong with the page as it is at its current width: axe's violations, sideways scrolling, an error shown. */
async function findingsOn(page: Page, who: Visitor, address: string, width: number): Promise<Finding[]> {
  const found: Finding[] = [];
  for (const v of await axeViolations(page))
    found.push({
      who,
      address,
      width,
      problem: `${v.id}: ${v.help} at ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
    });
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  if (width === PHONE.width && scrollWidth > innerWidth)
    found.push({ who, address, width, problem: `scrolls sideways: ${scrollWidth} > ${innerWidth}` });
  // A page the person may not open, or whose data failed, is not the page this test means to check.
  if (new URL(page.url()).pathname !== new URL(address, app.baseUrl).pathname)
    found.push({ who, address, width, problem: `was sent to ${page.url()}` });
  if (!REFUSED_ON_PURPOSE.has(address))
    for (const failure of failedCalls) found.push({ who, address, width, problem: `the API answered ${failure}` });
  return found;
}

describe('every page', () => {
  it('has a visit for every route of the router', () => {
    const planned = Object.keys(visitsByRoute({} as Ids));
    const missing = routerPaths().filter((p) => !planned.includes(p));
    expect(missing, 'routes this test does not visit yet: add them to visitsByRoute').toEqual([]);
    expect(routerPaths().length).toBeGreaterThan(40);
  });

  it('passes axe at desktop width and at 390 px without sideways scrolling, for each person who uses it', async () => {
    const started = Date.now();
    const visits = Object.values(visitsByRoute(ids)).flat();
    const findings: Finding[] = [];
    const order: Visitor[] = [
      'visitor',
      'enrolling',
      'professional',
      'director',
      'trainer',
      'reviewer',
      'inspector',
      'policy',
      'admin',
    ];
    let pages = 0;
    for (const who of order) {
      const context: BrowserContext = await app.browser.newContext({ viewport: DESKTOP });
      try {
        const page = await context.newPage();
        page.on('response', (response) => {
          const url = new URL(response.url());
          // (A visitor's "who am I" answers 401: that is how the app learns nobody is signed in.)
          const visitorsWhoAmI = url.pathname === '/api/auth/me' && response.status() === 401;
          if (url.pathname.startsWith('/api/') && response.status() >= 400 && !visitorsWhoAmI)
            failedCalls.push(`${response.status()} ${response.request().method()} ${url.pathname}`);
        });
        if (who !== 'visitor') await signInThroughPage(page, people[who]);
        for (const [, address] of visits.filter(([w]) => w === who)) {
          await page.setViewportSize(DESKTOP);
          await open(page, address);
          findings.push(...(await findingsOn(page, who, address, DESKTOP.width)));
          await page.setViewportSize(PHONE);
          await open(page, address);
          findings.push(...(await findingsOn(page, who, address, PHONE.width)));
          pages += 1;
          if (pages === 1) {
            // The check itself works here: an image without a text alternative is found.
            await page.evaluate(() => document.querySelector('main')!.append(document.createElement('img')));
            expect((await axeViolations(page)).map((v) => v.id)).toContain('image-alt');
          }
        }
      } finally {
        await context.close();
      }
    }
    console.log(`every page: ${pages} pages at two widths in ${Math.round((Date.now() - started) / 1000)} s`);
    expect(
      findings.map((f) => `${f.who} ${f.address} @${f.width}: ${f.problem}`),
      'pages with accessibility or layout problems',
    ).toEqual([]);
  }, 900_000);
});
