/**
 * Catalog totals and facets counted over the in-memory copy of the upcoming events
 * (db/catalogFacets.ts) against the SQL that counted them before (test/support/catalogOracle.ts):
 * the same ids in the same order, the same totals and facet counts, on generated searches over a
 * generated calendar (the catalog benchmark's seeding at a small size), before and after events
 * and seats change.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import { searchCatalog, type CatalogQuery } from '../../db/catalog.js';
import { countFromUpcoming } from '../../db/catalogFacets.js';
import { COURSE_LEVELS, DELIVERY_MODES, REGIONS } from '../../rules/domain.js';
import { benchDatabase } from '../bench/deadlines.js';
import { seedCatalog } from '../bench/seeding.js';
import { searchCatalogBySql } from '../support/catalogOracle.js';
import { until } from '../support/polling.js';

let database: Awaited<ReturnType<typeof benchDatabase>>;
let db: Db;
let topics: string[];
let counties: string[];
let zips: string[];

beforeAll(async () => {
  // Ids from 1, as the benchmark's seeding expects.
  database = await benchDatabase(`mopd_test_catalog_facets_${randomBytes(5).toString('hex')}`);
  ({ db } = database);
  await seedCatalog(db, { events: 6_000, courses: 60, professionals: 2_000 });
  const distinct = async (column: string, limit = 1_000) =>
    (
      (await db.raw(`SELECT DISTINCT ?? AS value FROM events WHERE ?? IS NOT NULL ORDER BY 1 LIMIT ?`, [
        column,
        column,
        limit,
      ])) as { rows: Array<{ value: string }> }
    ).rows.map((r) => r.value);
  topics = await distinct('topic');
  counties = await distinct('county');
  zips = await distinct('zip', 40);
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

/** A small deterministic generator (mulberry32), so a failing search can be asked again. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const sometimes = (p: number) => next() < p;
  return { next, pick, sometimes };
}

const WORDS = ['safe sleep', 'cpr', 'DESE OOC', 'positive guidance', 'early literacy', 'health and safety', 'cpr?'];
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

function generatedSearches(seed: number, count: number): CatalogQuery[] {
  const { pick, sometimes, next } = generator(seed);
  return Array.from({ length: count }, () => {
    const query: CatalogQuery = {
      sort: pick(['relevance', 'date', 'distance'] as const),
      page: sometimes(0.8) ? 1 : 2 + Math.floor(next() * 3),
      pageSize: pick([5, 20, 50]),
      now: new Date(),
    };
    if (sometimes(0.3)) query.q = pick(WORDS);
    if (sometimes(0.3)) query.topic = sometimes(0.9) ? pick(topics) : 'no-such-topic';
    if (sometimes(0.25)) query.delivery = pick(DELIVERY_MODES);
    if (sometimes(0.25)) query.region = pick(REGIONS);
    if (sometimes(0.15)) query.level = pick(COURSE_LEVELS);
    if (sometimes(0.15)) query.language = pick(['en', 'es']);
    if (sometimes(0.1)) query.county = pick(counties);
    if (sometimes(0.25)) {
      query.zip = pick(zips);
      if (sometimes(0.8)) query.withinMiles = pick([5, 10, 25, 50, 150]);
    }
    if (sometimes(0.25)) {
      const from = Math.floor(next() * 200) - 20;
      query.from = day(from);
      if (sometimes(0.7)) query.to = day(from + Math.floor(next() * 90));
    } else if (sometimes(0.1)) query.to = day(Math.floor(next() * 400));
    if (sometimes(0.2)) query.fee = pick(['free', 'paid'] as const);
    if (sometimes(0.2)) query.seatsLeft = true;
    return query;
  });
}

const changeMark = async () =>
  ((await db.raw('SELECT last_value::text AS change FROM catalog_changes')) as { rows: Array<{ change: string }> })
    .rows[0]!.change;
const originOf = (zip: string | undefined) =>
  zip
    ? db('zip_codes').where({ zip }).first<{ latitude: number; longitude: number }>('latitude', 'longitude')
    : undefined;

/** The copy's counts for a search, once a copy naming the current change is read. */
async function countedOverCopy(query: CatalogQuery) {
  const change = await changeMark();
  const origin = await originOf(query.zip);
  return until(
    () => countFromUpcoming(db, query, origin, change, 30_000),
    (counted) => counted !== undefined,
    60_000,
  );
}

describe('catalog facets counted over the copy of upcoming events', () => {
  it('are the SQL counts on 300 generated searches over a generated calendar', async () => {
    const upcoming = Number(
      (await db.raw('SELECT count(*) AS n FROM events WHERE NOT cancelled AND last_session_at >= now()')).rows[0].n,
    );
    expect(upcoming).toBeGreaterThan(2_000);
    let found = 0;
    for (const query of generatedSearches(2026, 300)) {
      query.now = new Date();
      const [counted, expected] = await Promise.all([countedOverCopy(query), searchCatalogBySql(db, query)]);
      expect({ query, ...counted }).toEqual({ query, total: expected.total, facets: expected.facets });
      if (expected.total > 0) found++;
    }
    // The generated searches mostly find something, so the counts compared are not all zero.
    expect(found).toBeGreaterThan(150);
  }, 240_000);

  it('give searchCatalog the same answers as before: ids, order, totals and facets', async () => {
    await countedOverCopy({ sort: 'date', page: 1, pageSize: 20, now: new Date() });
    for (const query of generatedSearches(7, 150)) {
      query.now = new Date();
      const [answer, expected] = await Promise.all([searchCatalog(db, query), searchCatalogBySql(db, query)]);
      expect({ query, answer }).toEqual({ query, answer: expected });
    }
  }, 240_000);

  it('show every change to events and seats committed before the search', async () => {
    const query = (over: Partial<CatalogQuery> = {}): CatalogQuery => ({
      sort: 'date',
      page: 1,
      pageSize: 20,
      seatsLeft: true,
      from: day(0),
      to: day(30),
      now: new Date(),
      ...over,
    });
    const compare = async (q: CatalogQuery) => {
      const [answer, expected] = await Promise.all([searchCatalog(db, q), searchCatalogBySql(db, q)]);
      expect(answer).toEqual(expected);
      return answer;
    };
    await countedOverCopy(query());
    const before = await compare(query());
    const first = before.results[0]!;

    // Every seat of the first event taken: it leaves the "seats left" search at once.
    await db.raw(
      `INSERT INTO registrations (event_id, professional_id, status)
       SELECT ?, p.id, 'registered' FROM professionals p
        WHERE NOT EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = ? AND r.professional_id = p.id)
        ORDER BY p.id LIMIT (SELECT capacity - seats_taken FROM events WHERE id = ?)`,
      [first.id, first.id, first.id],
    );
    const full = await compare(query());
    expect(full.total).toBe(before.total - 1);
    expect(full.results.map((r) => r.id)).not.toContain(first.id);

    // A new copy, read after the change, counts the same.
    const recounted = (await countedOverCopy(query()))!;
    expect(recounted.total).toBe(full.total);
    expect(recounted.facets).toEqual(full.facets);

    // A cancellation and a topic changed show in the very next search.
    const second = full.results[0]!;
    await db('events').where({ id: second.id }).update({ cancelled: true });
    const third = full.results[1]!;
    await db('events')
      .where({ id: third.id })
      .update({ topic: topics.find((t) => t !== third.topic)! });
    const after = await compare(query());
    expect(after.total).toBe(full.total - 1);
    expect(after.results.map((r) => r.id)).not.toContain(second.id);
    const recountedAfter = await countedOverCopy(query({ topic: third.topic }));
    expect(recountedAfter).toEqual({
      total: (await searchCatalogBySql(db, query({ topic: third.topic }))).total,
      facets: (await searchCatalogBySql(db, query({ topic: third.topic }))).facets,
    });
  }, 240_000);
});
