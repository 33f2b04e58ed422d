/**
 * /metrics (Prometheus) and the access log, on the real app against PostgreSQL and Redis: who may
 * read the metrics, that the named series are there and move with what happens, and that each
 * request leaves one log line with its fields and none of its secrets.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToOutbox, markOutboxDead, markOutboxSent } from '../../db/outbox.js';
import { aUser, signIn, TEST_PASSWORD } from '../support/app.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';

const METRICS_TOKEN = randomBytes(24).toString('hex');
const lines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  }),
);
let http: HttpApp;

beforeAll(async () => {
  http = await startHttpApp('metrics', { metricsToken: METRICS_TOKEN, logger });
});
afterAll(async () => {
  await http?.close();
});

const scrape = async () => {
  const response = await request(http.app).get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`);
  expect(response.status).toBe(200);
  return response.text;
};

/** The value of one series in the exposition text (labels in the order prom-client writes them); 0 when absent. */
function valueOf(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

let emailNumber = 0;
const anEmail = (template = 'test') => ({
  dedupeKey: `metrics-${randomBytes(6).toString('hex')}`,
  template,
  to: `person-${++emailNumber}@example.org`,
  subject: 'Hello',
  text: 'Hello',
  html: '<p>Hello</p>',
});

describe('/metrics', () => {
  it('refuses anonymous callers, a wrong token and a signed-in non-admin; lets an admin in', async () => {
    const anonymous = await request(http.app).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(anonymous.text).not.toContain('mopd_');
    expect((await request(http.app).get('/metrics').set('authorization', 'Bearer not-the-token')).status).toBe(401);
    const professional = await signIn(http.app, await aUser(http.database.db, ['professional']));
    expect((await professional.get('/metrics')).status).toBe(401);
    const admin = await signIn(http.app, await aUser(http.database.db, ['admin']));
    const adminScrape = await admin.get('/metrics');
    expect(adminScrape.status).toBe(200);
    expect(adminScrape.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('exposes the named series, with request durations by route pattern that count each request', async () => {
    const before = await scrape();
    for (const series of [
      'mopd_http_request_duration_seconds',
      'mopd_outbox_waiting_emails',
      'mopd_outbox_oldest_waiting_seconds',
      'mopd_outbox_dead_letters',
      'mopd_open_cases',
      'mopd_open_cases_past_due',
      'mopd_rule_set_last_recompute_seconds',
      'mopd_deadline_reminder_emails_sent',
      'mopd_process_cpu_seconds_total',
    ])
      expect(before, series).toContain(`# TYPE ${series} `);

    const ping = 'mopd_http_request_duration_seconds_count{method="GET",route="/api/ping",status_code="200"}';
    const pings = valueOf(before, ping);
    await request(http.app).get('/api/ping').expect(200);
    await request(http.app).get('/api/ping').expect(200);
    expect(valueOf(await scrape(), ping)).toBe(pings + 2);

    // The route's pattern, never the id asked for: one series however many cases there are.
    const id = 987_654_321;
    const asked = await request(http.app).get(`/api/cases/${id}`);
    const after = await scrape();
    expect(
      valueOf(
        after,
        `mopd_http_request_duration_seconds_count{method="GET",route="/api/cases/:id",status_code="${asked.status}"}`,
      ),
    ).toBe(1);
    expect(after).not.toContain(String(id));
    await request(http.app).get(`/no/such/page/${id}?token=abc`);
    expect(await scrape()).toMatch(/route="unmatched"/);
  });

  it('reports the outbox, dead letters, reminders sent, open cases by age and the last recompute as they change', async () => {
    const { db } = http.database;
    const before = await scrape();
    await addToOutbox(db, anEmail());
    await addToOutbox(db, anEmail());
    await db('outbox')
      .where({ to_address: `person-${emailNumber - 1}@example.org` })
      .update({
        created_at: db.raw("now() - interval '10 minutes'"),
      });
    await addToOutbox(db, anEmail('deadline-reminder'));
    const reminder = await db('outbox').where({ template: 'deadline-reminder' }).orderBy('id', 'desc').first();
    await markOutboxSent(db, reminder!.id);
    await addToOutbox(db, anEmail());
    const dying = await db('outbox').orderBy('id', 'desc').first();
    await db('outbox').where({ id: dying!.id }).update({ status: 'queued' });
    await markOutboxDead(db, dying!.id, 'mailbox unavailable');

    const ruleSet = await db('rule_set_versions').orderBy('version').first();
    const applicant = await aUser(db, ['professional']);
    const caseRow = {
      type: 'course_approval',
      workflow_id: `metrics-case-${randomBytes(4).toString('hex')}`,
      applicant_user_id: applicant.user.id,
      title: 'Metrics case',
      submission: JSON.stringify({}),
      rule_set: ruleSet!.rule_set,
      rule_set_version: ruleSet!.version,
    };
    await db('cases').insert([
      {
        ...caseRow,
        status: 'submitted',
        submitted_at: db.raw("now() - interval '3 days'"),
        due_at: db.raw("now() - interval '1 hour'"),
      },
      { ...caseRow, workflow_id: `${caseRow.workflow_id}-2`, status: 'in_review' },
    ] as never);
    await db('rule_set_publications').insert({
      rule_set: ruleSet!.rule_set,
      version: ruleSet!.version,
      effective_from: '2020-01-01',
      status: 'completed',
      workflow_id: `metrics-publication-${randomBytes(4).toString('hex')}`,
      created_at: db.raw("now() - interval '90 seconds'"),
      finished_at: db.raw('now()'),
    } as never);

    const after = await scrape();
    expect(valueOf(after, 'mopd_outbox_waiting_emails')).toBe(valueOf(before, 'mopd_outbox_waiting_emails') + 2);
    expect(valueOf(after, 'mopd_outbox_oldest_waiting_seconds')).toBeGreaterThanOrEqual(600);
    expect(valueOf(after, 'mopd_outbox_dead_letters')).toBe(valueOf(before, 'mopd_outbox_dead_letters') + 1);
    expect(valueOf(after, 'mopd_deadline_reminder_emails_sent')).toBe(
      valueOf(before, 'mopd_deadline_reminder_emails_sent') + 1,
    );
    expect(valueOf(after, 'mopd_open_cases{status="submitted",age="1d_to_7d"}')).toBe(1);
    expect(valueOf(after, 'mopd_open_cases{status="in_review",age="under_1d"}')).toBe(1);
    expect(valueOf(after, 'mopd_open_cases_past_due{status="submitted"}')).toBe(1);
    const recompute = valueOf(after, `mopd_rule_set_last_recompute_seconds{rule_set="${ruleSet!.rule_set}"}`);
    expect(recompute).toBeGreaterThanOrEqual(89);
    expect(recompute).toBeLessThan(120);
  });
});

describe('the access log', () => {
  it('writes one line per request with method, route, status, duration, user and request id, and no secret', async () => {
    const who = await aUser(http.database.db, ['professional']);
    lines.length = 0;
    const session = await signIn(http.app, who);
    const secretHeader = `Bearer ${randomBytes(16).toString('hex')}`;
    const me = await session.get('/api/auth/me').set('authorization', secretHeader).set('x-request-id', 'trace-me-42');
    await request(http.app).get(`/reset-password?token=${'s3cr3t'.repeat(4)}`);

    const entries = lines.map((line) => JSON.parse(line) as { msg: string; access?: Record<string, unknown> });
    const access = entries.filter((entry) => entry.msg === 'request').map((entry) => entry.access!);
    const signInLine = access.find((a) => a.route === '/api/auth/sign-in');
    expect(signInLine).toMatchObject({ method: 'POST', status: 200, userId: null });
    const meLine = access.find((a) => a.requestId === 'trace-me-42');
    expect(meLine).toMatchObject({ method: 'GET', route: '/api/auth/me', status: me.status, userId: who.user.id });
    expect(typeof meLine?.durationMs).toBe('number');
    expect(meLine?.durationMs).toBeGreaterThanOrEqual(0);
    for (const line of access)
      expect(Object.keys(line).sort()).toEqual(
        expect.arrayContaining(['method', 'route', 'status', 'durationMs', 'userId', 'requestId']),
      );

    const everything = lines.join('\n');
    expect(everything).not.toContain(TEST_PASSWORD);
    expect(everything).not.toContain(secretHeader.slice(7));
    expect(everything).not.toContain('s3cr3t');
    expect(everything.toLowerCase()).not.toContain('authorization');
    expect(everything).not.toContain(session.csrf);
  });
});
