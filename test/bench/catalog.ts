/**
 * Catalog search at statewide size: 200,000 events over five years (centred on today) across
 * Missouri's counties, with registrations, searched with a mix of realistic queries through the
 * real HTTP API (GET /api/catalog on the real Express app) by 1 and by 50 concurrent clients,
 * each figure beside a floor measured in the same run: the same searches (`searchCatalog`, the
 * SQL the route runs) on a pool of the app's size, with no HTTP in between.
 * Run: npm run bench:catalog  (BENCH_EVENTS to scale it down, BENCH_SECONDS per measurement,
 * BENCH_SHAPES=centred or state for one calendar shape)
 */
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { pino } from 'pino';
import { createDb, dropDatabase, ensureDatabase, migrateLatest } from '../../db/connection.js';
import { searchCatalog, type CatalogQuery } from '../../db/catalog.js';
import { createApp } from '../../api/app.js';
import { createSecretBox, parseSecretKeys } from '../../api/auth/secretBox.js';
import { DEVELOPMENT_SECRETS_KEYS } from '../../bin/config.js';
import { createTemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { freePort } from '../../bin/tools.js';
import { SEARCHES, day, seedCatalog, type CalendarShape, type Search } from './seeding.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const COURSES = 300;
const PROFESSIONALS = 50_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** The API process's pool (bin/api.ts: createDb's default). */
const POOL = 10;
const CLIENTS = [1, 50];
/**
 * The calendars measured, in turn: `centred` (five years centred on today, half upcoming) and
 * `state` (a real state calendar: the last five years and the next 60 days, a few thousand
 * upcoming). BENCH_SHAPES=state runs one.
 */
const SHAPES = (process.env.BENCH_SHAPES ?? 'centred,state').split(',') as CalendarShape[];
const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
url.pathname = '/mopd_bench_catalog';

const say = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * The searches in turn, as asked. `distinct` makes every request ask something not asked before
 * in the run, so no kept answer is reused (db/catalog.ts keeps answers while no event changes):
 * a `to` date three to eleven years ahead, after every event, so the same events match; a
 * search that has its own dates gets a page size of 20 to 100 instead.
 */
const DISTINCT = 8_000;
function searchesInTurn(distinct: boolean): Search[] {
  if (!distinct) return SEARCHES;
  return Array.from({ length: DISTINCT }, (_, n) => {
    const search = SEARCHES[n % SEARCHES.length]!;
    const turn = Math.floor(n / SEARCHES.length);
    return search.to ? { ...search, pageSize: 20 + (turn % 81) } : { ...search, to: day(1100 + turn) };
  });
}
const queryString = (search: Search) =>
  new URLSearchParams(Object.entries(search).map(([key, value]) => [key, String(value)])).toString();
const catalogQuery = (search: Search): CatalogQuery => ({
  sort: 'relevance',
  page: 1,
  pageSize: 20,
  ...search,
  now: new Date(),
});

// ---------------------------------------------------------------------------------------------
// The clients. HTTP clients run in a worker thread, so that making requests and reading answers
// does not take the event loop of the server they measure. Each run goes on through the list
// from where the run before it on the same path stopped.

const HTTP_CLIENTS = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { base, paths, start, clients, seconds } = workerData;
let next = start;
const latencies = [];
let errors = 0;
const until = performance.now() + seconds * 1000;
async function client() {
  while (performance.now() < until) {
    const path = paths[next++ % paths.length];
    const started = performance.now();
    try {
      const response = await fetch(base + path);
      const body = await response.json();
      if (response.status !== 200 || !Array.isArray(body.results)) errors++;
    } catch { errors++; }
    latencies.push(performance.now() - started);
  }
}
const started = performance.now();
Promise.all(Array.from({ length: clients }, client)).then(() => parentPort.postMessage({ latencies, errors, elapsed: performance.now() - started, next }));
`;

interface Run {
  latencies: number[];
  errors: number;
  elapsed: number;
  next: number;
}

function overHttp(base: string, searches: Search[], start: number, clients: number, seconds: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const paths = searches.map((s) => `/api/catalog?${queryString(s)}`);
    const worker = new Worker(HTTP_CLIENTS, { eval: true, workerData: { base, paths, start, clients, seconds } });
    worker.once('message', (run: Run) => {
      resolve(run);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function direct(
  db: ReturnType<typeof createDb>,
  searches: Search[],
  start: number,
  clients: number,
  seconds: number,
): Promise<Run> {
  let next = start;
  let errors = 0;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const search = searches[next++ % searches.length]!;
        const began = performance.now();
        try {
          // Encoding the answer is part of any use of it.
          JSON.stringify(await searchCatalog(db, catalogQuery(search)));
        } catch {
          errors++;
        }
        latencies.push(performance.now() - began);
      }
    }),
  );
  return { latencies, errors, elapsed: performance.now() - started, next };
}

// ---------------------------------------------------------------------------------------------

/** One calendar shape: its own database, seeded, every measurement, dropped. */
async function measure(shape: CalendarShape) {
  await dropDatabase(url.toString());
  await ensureDatabase(url.toString());
  const db = createDb(url.toString(), { max: POOL });
  const floorDb = createDb(url.toString(), { max: POOL });
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  // The catalog never starts a workflow: the gateway connects on first use, which never comes.
  const temporal = createTemporalGateway({
    address: '127.0.0.1:7233',
    namespace: 'default',
    taskQueue: `bench-catalog-${randomUUID()}`,
  });
  try {
    await migrateLatest(db);
    say(`seeding ${COURSES} courses, ${EVENTS} events over five years (${shape} calendar) and their registrations…`);
    const seedStarted = performance.now();
    await seedCatalog(db, { events: EVENTS, courses: COURSES, professionals: PROFESSIONALS, shape });
    const counts = (
      await db.raw(`SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM events WHERE last_session_at >= now() AND NOT cancelled) AS upcoming,
      (SELECT count(*) FROM registrations) AS registrations, (SELECT count(DISTINCT county) FROM events) AS counties`)
    ).rows[0];
    say(
      `seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: ${counts.events} events (${counts.upcoming} upcoming) in ${counts.counties} counties, ${counts.registrations} registrations`,
    );

    const { app } = createApp({
      db,
      redis,
      temporal,
      smtpCheck: async () => true,
      logger: pino({ level: 'silent' }),
      databaseUrl: url.toString(),
      sessionSecret: 'bench-secret-that-is-long-enough-for-the-schema',
      secrets: createSecretBox(parseSecretKeys(DEVELOPMENT_SECRETS_KEYS)),
      publicUrl: 'http://mopd.bench',
      uploadDir: path.join(os.tmpdir(), `mopd-bench-uploads-${randomUUID()}`),
    });
    const port = await freePort();
    const server = app.listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${port}`;
    try {
      // Every search once, checked, then a few seconds of warm-up on both paths.
      for (const search of SEARCHES) {
        const response = await fetch(`${base}/api/catalog?${queryString(search)}`);
        const body = (await response.json()) as { total: number };
        if (response.status !== 200)
          throw new Error(`${queryString(search)}: ${response.status} ${JSON.stringify(body)}`);
        say(`  ${(queryString(search) || '(no filters)').padEnd(70)} ${String(body.total).padStart(7)} found`);
      }
      await overHttp(base, SEARCHES, 0, 10, 3);
      await direct(floorDb, SEARCHES, 0, 10, 3);

      const rows: string[] = [];
      for (const distinct of [false, true]) {
        const searches = searchesInTurn(distinct);
        let httpNext = 0;
        let floorNext = 0;
        for (const clients of CLIENTS) {
          const http = await overHttp(base, searches, httpNext, clients, SECONDS);
          const floor = await direct(floorDb, searches, floorNext, clients, SECONDS);
          httpNext = http.next;
          floorNext = floor.next;
          if (distinct && Math.max(httpNext, floorNext) > searches.length)
            say(
              `(the distinct searches ran out: ${Math.max(httpNext, floorNext)} asked of ${searches.length}; some answers were reused)`,
            );
          const asked = distinct ? 'every search new' : `${SEARCHES.length} searches repeated`;
          for (const [label, run] of [
            ['HTTP GET /api/catalog', http],
            ['floor: searchCatalog on a pool of 10', floor],
          ] as const) {
            const sorted = [...run.latencies].sort((a, b) => a - b);
            rows.push(
              `| ${asked} | ${label} | ${clients} | ${run.latencies.length} | ${percentile(sorted, 50).toFixed(1)} ms | ${percentile(sorted, 95).toFixed(1)} ms | ${percentile(sorted, 99).toFixed(1)} ms | ${(run.latencies.length / (run.elapsed / 1000)).toFixed(0)}/s | ${run.errors} |`,
            );
          }
        }
      }
      say('');
      say(`calendar: ${shape} (${counts.upcoming} of ${counts.events} events upcoming)`);
      say(
        `${SECONDS} s each, pool of ${POOL} connections, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`,
      );
      say('| searches | path | clients | searches done | p50 | p95 | p99 | throughput | errors |');
      say('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const row of rows) say(row);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  } finally {
    await Promise.allSettled([db.destroy(), floorDb.destroy(), redis.quit(), temporal.close()]);
    if (!process.env.BENCH_KEEP) await dropDatabase(url.toString());
  }
}

for (const shape of SHAPES) await measure(shape);
