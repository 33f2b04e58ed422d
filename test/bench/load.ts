/**
 * Load: the paths people use most, through the real app on loopback against a database of
 * realistic size, each for a bounded time at a few connection counts, with autocannon; beside a
 * floor measured in the same run: GET /api/ping, a constant answer through the same middleware.
 *
 * Read paths: catalog search (every search new, so no kept answer is reused), a professional's
 * dashboard (their compliance, explained), a reviewer's queue, a director's staff report (200
 * staff). Write paths: registering for events (200 people, each request a person and an upcoming
 * free event not tried before; spread over half the events, then all 200 at one event of the other
 * half before the next) and completing an event's attendance (each request a different past event,
 * issuing its attendees' training records).
 *
 * Run: npm run bench:load   (LOAD_SECONDS per measurement, LOAD_CONNECTIONS e.g. "10,50",
 * LOAD_PROFESSIONALS, LOAD_EVENTS to scale the data, LOAD_PATHS to pick paths by a word of their
 * label; BENCH_KEEP=1 keeps the database; BENCH_API_PROCESSES=1 or 2 runs the API as that many
 * processes sharing one port, test/bench/apiProcesses.ts, instead of inside this one)
 */
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { spawn, type ChildProcess } from 'node:child_process';
import { pino } from 'pino';
import { generate, generateSecret } from 'otplib';
import { createDb, dropDatabase, ensureDatabase, migrateLatest } from '../../db/connection.js';
import { installShippedRuleSets } from '../../db/ruleSets.js';
import { createUser, updateUser } from '../../db/users.js';
import { hashPassword } from '../../api/auth/crypto.js';
import { createSecretBox, mfaSecretContext, parseSecretKeys } from '../../api/auth/secretBox.js';
import { DEVELOPMENT_SECRETS_KEYS } from '../../bin/config.js';
import { requiresMfa } from '../../api/access/principal.js';
import { createApp } from '../../api/app.js';
import { createTemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { freePort, projectRoot, startTemporalDevServer, waitForPort } from '../../bin/tools.js';
import type { Role } from '../../rules/domain.js';
import { SEARCHES, day, seedCatalog, seedWorkforce } from './seeding.js';

const PROFESSIONALS = Number(process.env.LOAD_PROFESSIONALS ?? 5_000);
const EVENTS = Number(process.env.LOAD_EVENTS ?? 20_000);
const RECORDS_EACH = 20;
const ORGANIZATIONS = Math.max(2, Math.round(PROFESSIONALS / 20));
const REGISTRANTS = 200;
const OPEN_CASES = 600;
const CLOSED_CASES = 3_000;
const SECONDS = Number(process.env.LOAD_SECONDS ?? 15);
const CONNECTIONS = (process.env.LOAD_CONNECTIONS ?? '10,50').split(',').map(Number);
const PASSWORD = 'load test password that is long';
const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
url.pathname = '/mopd_bench_load';

const say = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// ---------------------------------------------------------------------------------------------
// Signing in over HTTP, as a browser does: the CSRF token, the password, the authenticator code.

interface Signed {
  cookie: string;
  csrf: string;
}

function cookiesOf(response: Response, jar: Map<string, string>) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
}

async function signInOverHttp(base: string, email: string, mfaSecret: string | null): Promise<Signed> {
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const first = await fetch(`${base}/api/auth/csrf`);
  cookiesOf(first, jar);
  let csrf = ((await first.json()) as { csrfToken: string }).csrfToken;
  const post = async (path: string, body: object) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookie(), 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
    cookiesOf(response, jar);
    const answer = (await response.json()) as { status?: string; csrfToken?: string };
    if (response.status !== 200) throw new Error(`${path} for ${email}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  let answer = await post('/api/auth/sign-in', { email, password: PASSWORD });
  csrf = answer.csrfToken ?? csrf;
  if (answer.status === 'mfa_required') {
    answer = await post('/api/auth/sign-in/second-factor', { code: await generate({ secret: mfaSecret! }) });
    csrf = answer.csrfToken ?? csrf;
  }
  return { cookie: cookie(), csrf };
}

// ---------------------------------------------------------------------------------------------
// The clients: autocannon in a worker thread, so that making requests and reading answers does
// not take the event loop of the server they measure. Each request is the next of a list.

interface Call {
  method: 'GET' | 'POST';
  path: string;
  cookie?: string;
  csrf?: string;
  body?: string;
}
interface Run {
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  elapsed: number;
}

const CLIENTS = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');
const { base, calls, connections, seconds } = workerData;
let next = 0;
const latencies = [];
const statuses = {};
const started = Date.now();
const instance = autocannon({
  url: base,
  connections,
  duration: seconds,
  requests: [{
    setupRequest: (request) => {
      const call = calls[next++ % calls.length];
      const headers = { ...request.headers };
      if (call.cookie) headers.cookie = call.cookie;
      if (call.csrf) headers['x-csrf-token'] = call.csrf;
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      return { ...request, method: call.method, path: call.path, headers, body: call.body };
    },
  }],
});
instance.on('response', (_client, status, _bytes, responseTime) => {
  latencies.push(responseTime);
  statuses[status] = (statuses[status] ?? 0) + 1;
});
instance.on('done', (result) => parentPort.postMessage({ latencies, statuses, errors: result.errors, timeouts: result.timeouts, elapsed: Date.now() - started }));
`;

function load(base: string, calls: Call[], connections: number, seconds: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENTS, { eval: true, workerData: { base, calls, connections, seconds } });
    worker.once('message', (run: Run) => {
      resolve(run);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------

await dropDatabase(url.toString());
await ensureDatabase(url.toString());
/** The API process's pool (bin/api.ts: createDb's default). */
const db = createDb(url.toString());
/**
 * The clients stop at the end of their time, but requests they sent keep running on the server:
 * waits until the database has been quiet for a second and a half, so that no measurement pays for
 * the one before and nothing is cut off at the end.
 */
async function quiet() {
  for (let calm = 0, waited = 0; calm < 3 && waited < 240; waited++) {
    const { busy } = (
      await db.raw(
        `SELECT count(*)::int AS busy FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()`,
      )
    ).rows[0];
    calm = busy === 0 ? calm + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const temporalServer = await startTemporalDevServer();
const taskQueue = `bench-load-${randomUUID()}`;
const temporal = createTemporalGateway({ address: temporalServer.address, namespace: 'default', taskQueue });
/** Unset: the API in this process. 1 or more: that many API processes on one port (node:cluster). */
const API_PROCESSES = process.env.BENCH_API_PROCESSES ? Number(process.env.BENCH_API_PROCESSES) : undefined;
try {
  await migrateLatest(db);
  await installShippedRuleSets(db);
  const seedStarted = performance.now();
  say(
    `seeding ${PROFESSIONALS} professionals in ${ORGANIZATIONS} organizations with ${RECORDS_EACH} training records each, ${EVENTS} events and their registrations, ${OPEN_CASES} open cases…`,
  );
  await seedCatalog(db, { events: EVENTS, professionals: PROFESSIONALS });
  await seedWorkforce(db, {
    professionals: PROFESSIONALS,
    recordsEach: RECORDS_EACH,
    organizations: ORGANIZATIONS,
    professionalsExist: true,
  });

  // The people: REGISTRANTS professionals who sign in (the first 200 are organization 1's staff),
  // a director with an approved claim on organization 1, a reviewer, an admin.
  const passwordHash = await hashPassword(PASSWORD);
  const secrets = createSecretBox(parseSecretKeys(DEVELOPMENT_SECRETS_KEYS));
  const account = async (roles: Role[], email: string, professionalId: number | null = null) => {
    const user = await createUser(db, {
      email,
      passwordHash,
      displayName: email.split('@')[0]!,
      professionalId,
      roles,
    });
    const mfaSecret = requiresMfa(roles) ? generateSecret() : null;
    if (mfaSecret)
      await updateUser(db, user.id, {
        mfa_secret: secrets.seal(mfaSecret, mfaSecretContext(user.id)),
        mfa_enabled_at: new Date(),
      });
    return { user, mfaSecret };
  };
  const registrants: Array<Awaited<ReturnType<typeof account>> & { professionalId: number }> = [];
  for (let p = 1; p <= REGISTRANTS; p++)
    registrants.push({ ...(await account(['professional'], `person${p}@load.example`, p)), professionalId: p });
  const director = await account(['director'], 'director@load.example');
  await db('organization_claims').insert({
    organization_id: 1,
    director_user_id: director.user.id,
    status: 'approved',
    decided_at: new Date(),
  });
  const reviewer = await account(['reviewer'], 'reviewer@load.example');
  const admin = await account(['admin'], 'admin@load.example');

  // The reviewer queue: open cases (two thirds assigned to the reviewer) among many decided ones.
  await db.raw(
    `INSERT INTO cases (type, status, workflow_id, applicant_user_id, professional_id, region, title, submission, rule_set, rule_set_version, assignee_user_id, due_at, submitted_at)
     SELECT (ARRAY['trainer_application', 'course_approval', 'training_request', 'organization_claim'])[1 + g % 4],
            CASE WHEN g <= ${OPEN_CASES} THEN (ARRAY['submitted', 'in_review', 'information_requested'])[1 + g % 3] ELSE (ARRAY['approved', 'denied', 'withdrawn'])[1 + g % 3] END,
            'load-case-' || g, u.id, u.professional_id, (ARRAY['Central', 'St. Louis', 'Kansas City', 'Southwest'])[1 + g % 4], 'Case ' || g, '{}'::jsonb, 'mopd-compliance', 1,
            CASE WHEN g % 3 <> 0 THEN ?::bigint END, now() + (g % 30) * interval '1 day', now() - (g % 90) * interval '1 day'
     FROM generate_series(1, ${OPEN_CASES + CLOSED_CASES}) g JOIN users u ON u.email = 'person' || (1 + g % ${REGISTRANTS}) || '@load.example'`,
    [reviewer.user.id],
  );

  // Attendance to complete: past events with registrants, every session marked present.
  const toComplete: number[] = (
    await db.raw(`
      SELECT e.id FROM events e
      WHERE e.last_session_at < now() - interval '1 day' AND NOT e.cancelled AND e.attendance_completed_at IS NULL
        AND EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered')
      ORDER BY e.id LIMIT 5000`)
  ).rows.map((r: { id: string }) => Number(r.id));
  await db.raw(
    `INSERT INTO attendance (event_session_id, registration_id, status, hours, recorded_by_user_id)
     SELECT s.id, r.id, 'present', s.hours, ? FROM event_sessions s JOIN registrations r ON r.event_id = s.event_id AND r.status = 'registered'
     WHERE s.event_id = ANY (?)`,
    [admin.user.id, toComplete],
  );
  // Upcoming free events open for registration, for the registration path.
  const upcoming: number[] = (
    await db.raw(
      `SELECT id FROM events WHERE first_session_at > now() + interval '3 days' AND NOT cancelled AND fee_cents = 0 AND (registration_deadline IS NULL OR registration_deadline > now()) ORDER BY id`,
    )
  ).rows.map((r: { id: string }) => Number(r.id));
  await db.raw('VACUUM ANALYZE');
  const counts = (
    await db.raw(`SELECT (SELECT count(*) FROM professionals) AS professionals, (SELECT count(*) FROM training_records) AS records, (SELECT count(*) FROM events) AS events,
    (SELECT count(*) FROM registrations) AS registrations, (SELECT count(*) FROM cases WHERE status IN ('submitted', 'in_review', 'information_requested')) AS open_cases`)
  ).rows[0];
  say(
    `seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: ${counts.professionals} professionals, ${counts.records} training records, ${counts.events} events, ${counts.registrations} registrations, ${counts.open_cases} open cases; ${toComplete.length} events to complete, ${upcoming.length} upcoming free events`,
  );

  const signInLimit = process.env.LOAD_SIGN_IN_LIMIT
    ? { windowMs: 15 * 60_000, max: Number(process.env.LOAD_SIGN_IN_LIMIT) }
    : { windowMs: 60_000, max: 100_000 };
  const { app } = createApp({
    db,
    redis,
    temporal,
    smtpCheck: async () => true,
    logger: pino({ level: process.env.LOAD_LOG_LEVEL ?? 'error' }),
    databaseUrl: url.toString(),
    sessionSecret: 'load-secret-that-is-long-enough-for-the-schema',
    secrets,
    publicUrl: 'http://mopd.load',
    uploadDir: path.join(os.tmpdir(), `mopd-load-uploads-${randomUUID()}`),
    signInLimit,
  });
  const port = await freePort();
  let server: { close(done: (error?: Error) => void): void };
  if (API_PROCESSES === undefined) {
    const inProcess = app.listen(port, '127.0.0.1');
    await new Promise((resolve) => inProcess.once('listening', resolve));
    server = inProcess;
  } else {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/bench/apiProcesses.ts'], {
      cwd: projectRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: {
        ...process.env,
        BENCH_API_PROCESSES: String(API_PROCESSES),
        LOAD_DATABASE_URL: url.toString(),
        LOAD_TEMPORAL_ADDRESS: temporalServer.address,
        LOAD_TASK_QUEUE: taskQueue,
        LOAD_PORT: String(port),
        LOAD_SIGN_IN_WINDOW_MS: String(signInLimit.windowMs),
        LOAD_SIGN_IN_MAX: String(signInLimit.max),
      },
    });
    await waitForPort(port, 120_000);
    say(`the API runs as ${API_PROCESSES} process(es) on port ${port}, each with its own pool of 10 connections`);
    server = {
      close: (done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      },
    };
  }
  const base = `http://127.0.0.1:${port}`;
  // The limiter counts per address in Redis: start from a clean count.
  for (const key of await redis.keys('mopd-sign-in:*')) await redis.del(key);
  try {
    const signedStarted = performance.now();
    const people: Signed[] = [];
    for (let i = 0; i < registrants.length; i += 10) {
      people.push(
        ...(await Promise.all(
          registrants.slice(i, i + 10).map((r) => signInOverHttp(base, r.user.email, r.mfaSecret)),
        )),
      );
    }
    const directorSession = await signInOverHttp(base, director.user.email, director.mfaSecret);
    const reviewerSession = await signInOverHttp(base, reviewer.user.email, reviewer.mfaSecret);
    const adminSession = await signInOverHttp(base, admin.user.email, admin.mfaSecret);
    say(`signed in ${people.length + 3} people in ${((performance.now() - signedStarted) / 1000).toFixed(1)} s`);

    // Each path as a list of calls taken in turn.
    const searches: Call[] = Array.from({ length: 20_000 }, (_, n) => {
      const search = SEARCHES[n % SEARCHES.length]!;
      const distinct = search.to
        ? { ...search, pageSize: 20 + (Math.floor(n / SEARCHES.length) % 81) }
        : { ...search, to: day(1100 + Math.floor(n / SEARCHES.length)) };
      return {
        method: 'GET',
        path: `/api/catalog?${new URLSearchParams(Object.entries(distinct).map(([k, v]) => [k, String(v)])).toString()}`,
      };
    });
    const dashboards: Call[] = people.map((p, i) => ({
      method: 'GET',
      path: `/api/professionals/${registrants[i]!.professionalId}/compliance`,
      cookie: p.cookie,
    }));
    const queue: Call[] = [
      '?sort=due',
      '?assignee=me&sort=due',
      '?assignee=unassigned',
      '?status=in_review',
      '?region=Central&sort=due',
    ].map((q) => ({ method: 'GET', path: `/api/cases${q}`, cookie: reviewerSession.cookie }));
    const report: Call[] = [
      { method: 'GET', path: '/api/organizations/1/staff-report', cookie: directorSession.cookie },
    ];
    // Registration two ways, each pair of person and event asked once: spread over the upcoming
    // events (a day of ordinary sign-ups), and everyone at one event before the next (the morning a
    // popular conference opens: each registration waits for the event's lock).
    const registerCall = (person: number, event: number): Call => ({
      method: 'POST',
      path: `/api/events/${upcoming[event]}/registrations`,
      cookie: people[person]!.cookie,
      csrf: people[person]!.csrf,
      body: '{}',
    });
    const half = Math.floor(upcoming.length / 2);
    let spreadTurn = 0;
    const spreadRegistrations = (count: number): Call[] =>
      Array.from({ length: count }, () => {
        const n = spreadTurn++;
        return registerCall(Math.floor(n / half) % people.length, n % half);
      });
    let crowdTurn = 0;
    const crowdRegistrations = (count: number): Call[] =>
      Array.from({ length: count }, () => {
        const n = crowdTurn++;
        return registerCall(n % people.length, half + (Math.floor(n / people.length) % (upcoming.length - half)));
      });
    let completionTurn = 0;
    const completions = (count: number): Call[] =>
      Array.from({ length: count }, () => ({
        method: 'POST',
        path: `/api/events/${toComplete[completionTurn++ % toComplete.length]}/attendance/complete`,
        cookie: adminSession.cookie,
        csrf: adminSession.csrf,
        body: '{}',
      }));

    const paths: Array<[string, () => Call[]]> = [
      ['floor: GET /api/ping', () => [{ method: 'GET', path: '/api/ping' }]],
      ['search: GET /api/catalog (every search new)', () => searches],
      ["professional's dashboard: GET /api/professionals/:id/compliance", () => dashboards],
      ["reviewer's queue: GET /api/cases", () => queue],
      ["director's report: GET /api/organizations/1/staff-report (200 staff)", () => report],
      ['registration, spread over events: POST /api/events/:id/registrations', () => spreadRegistrations(30_000)],
      [
        'registration, 200 people at one event after another: POST /api/events/:id/registrations',
        () => crowdRegistrations(30_000),
      ],
      ['attendance completion: POST /api/events/:id/attendance/complete', () => completions(toComplete.length)],
    ];
    // LOAD_PATHS=registration,floor measures only the paths whose label holds one of the words.
    const only = process.env.LOAD_PATHS?.split(',')
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean);
    if (only?.length)
      paths.splice(0, paths.length, ...paths.filter(([label]) => only.some((w) => label.toLowerCase().includes(w))));
    // A short warm-up of each read path.
    for (const [label, calls] of paths)
      if (label.startsWith('floor') || label.includes(': GET')) await load(base, calls(), 5, 2);

    const rows: string[] = [];
    for (const connections of CONNECTIONS) {
      for (const [label, calls] of paths) {
        await quiet();
        const run = await load(base, calls(), connections, SECONDS);
        const sorted = [...run.latencies].sort((a, b) => a - b);
        const done = run.latencies.length;
        const ok = Object.entries(run.statuses)
          .filter(([s]) => Number(s) < 300)
          .reduce((sum, [, n]) => sum + n, 0);
        const other =
          Object.entries(run.statuses)
            .filter(([s]) => Number(s) >= 300)
            .map(([s, n]) => `${n}×${s}`)
            .join(' ') || '0';
        rows.push(
          `| ${label} | ${connections} | ${(done / (run.elapsed / 1000)).toFixed(0)}/s | ${percentile(sorted, 50).toFixed(1)} ms | ${percentile(sorted, 95).toFixed(1)} ms | ${percentile(sorted, 99).toFixed(1)} ms | ${run.errors + run.timeouts} | ${other} |`,
        );
        say(rows.at(-1)!);
        if (ok === 0) say(`  (no 2xx answer on ${label})`);
      }
    }
    say('');
    say(
      `${SECONDS} s per row, loopback, ${API_PROCESSES === undefined ? 'the API in the load process' : `${API_PROCESSES} API process(es)`}, pool of 10 connections${API_PROCESSES && API_PROCESSES > 1 ? ' each' : ''}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}; ${counts.professionals} professionals, ${counts.records} training records, ${counts.events} events, ${counts.open_cases} open cases`,
    );
    say('| path | connections | requests/s | p50 | p95 | p99 | errors (socket, timeout) | non-2xx |');
    say('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows) say(row);
    const written = (
      await db.raw(
        `SELECT (SELECT count(*) FROM registrations WHERE registered_by_user_id IS NOT NULL) AS registrations, (SELECT count(*) FROM events WHERE attendance_completed_at IS NOT NULL) AS completed`,
      )
    ).rows[0];
    say(`written during the run: ${written.registrations} registrations, ${written.completed} events completed`);
  } finally {
    await quiet();
    await new Promise((resolve) => server.close(resolve));
  }
} finally {
  await Promise.allSettled([db.destroy(), redis.quit(), temporal.close()]);
  await temporalServer.stop();
  if (!process.env.BENCH_KEEP) await dropDatabase(url.toString());
}
