/**
 * The catalog search's SQL as it was before facets were counted over a copy of the upcoming
 * events (db/catalog.ts at cceee4b, unchanged): the oracle the new counting is compared with.
 * Every search here is worked out afresh (no kept answers).
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { FACETS, type CatalogAnswer, type CatalogQuery, type CatalogResult } from '../../db/catalog.js';

const METERS_PER_MILE = 1609.344;

export async function searchCatalogBySql(db: Db, query: CatalogQuery): Promise<CatalogAnswer> {
  const origin = query.zip
    ? await db('zip_codes')
        .where({ zip: query.zip })
        .first<{ latitude: number; longitude: number }>('latitude', 'longitude')
    : undefined;
  return search(db, query, origin, await earliestUpcomingStart(db, query.now));
}

async function earliestUpcomingStart(db: Db, now: Date): Promise<Date> {
  const { rows } = await db.raw(
    "SELECT min(lower(tstzrange(first_session_at, last_session_at, '[]'))) AS since FROM events WHERE NOT cancelled AND tstzrange(first_session_at, last_session_at, '[]') @> ?::timestamptz",
    [now.toISOString()],
  );
  const since = (rows as Array<{ since: Date | null }>)[0]?.since;
  return since && since < now ? since : now;
}

async function search(
  db: Db,
  query: CatalogQuery,
  origin: { latitude: number; longitude: number } | undefined,
  since: Date,
): Promise<CatalogAnswer> {
  const tsquery = query.q?.trim() ? db.raw("websearch_to_tsquery('english', ?)", [query.q.trim()]) : null;
  // Kept by the database on every change of registrations (migration 20261123_010).
  const seats = db.raw('e.capacity - e.seats_taken');
  const distance = origin
    ? db.raw('earth_distance(ll_to_earth(e.latitude, e.longitude), ll_to_earth(?, ?))', [
        origin.latitude,
        origin.longitude,
      ])
    : null;
  const now = query.now.toISOString();

  /** The upcoming events matching every filter but the facets' own (topic, delivery, region, level, language). */
  const base = () => {
    // Upcoming: the last session is not over (and so the first did not start before `since`).
    const q = db('events as e')
      .where('e.cancelled', false)
      .where('e.last_session_at', '>=', now)
      .where('e.first_session_at', '>=', since.toISOString());
    if (tsquery) void q.whereRaw('e.search @@ ?', [tsquery]);
    if (query.county !== undefined) void q.where('e.county', query.county);
    if (query.from) void q.where('e.first_session_at', '>=', query.from);
    if (query.to) void q.where('e.first_session_at', '<', db.raw('(?::date + 1)::timestamptz', [query.to]));
    if (query.fee === 'free') void q.where('e.fee_cents', 0);
    if (query.fee === 'paid') void q.where('e.fee_cents', '>', 0);
    if (query.seatsLeft) void q.whereRaw('? > 0', [seats]);
    if (distance && query.withinMiles !== undefined) {
      // The GiST index finds candidates inside a cube around the point; the exact distance decides.
      void q.whereRaw('earth_box(ll_to_earth(?, ?), ?) @> ll_to_earth(e.latitude, e.longitude)', [
        origin!.latitude,
        origin!.longitude,
        query.withinMiles * METERS_PER_MILE,
      ]);
      void q.whereRaw('? <= ?', [distance, query.withinMiles * METERS_PER_MILE]);
    }
    return q;
  };
  /** A facet's condition, when the query chooses a value of it. */
  const chosen = FACETS.map((facet) =>
    query[facet] !== undefined ? db.raw('?? = ?', [`e.${facet}`, query[facet]]) : null,
  );

  const rank = tsquery ? db.raw('ts_rank_cd(e.search, ?)', [tsquery]) : db.raw('NULL::real');
  const results = base()
    .select(
      'e.id',
      'e.course_id as courseId',
      'e.title',
      'e.sponsor',
      'e.trainer_name as trainerName',
      'e.topic',
      'e.level',
      'e.delivery',
      'e.clock_hours as clockHours',
      'e.language',
      'e.city',
      'e.county',
      'e.region',
      db.raw('e.online_url IS NOT NULL AS "hasOnlineLink"'),
      'e.fee_cents as feeCents',
      'e.first_session_at as firstSessionAt',
      'e.last_session_at as lastSessionAt',
      'e.capacity',
      'e.registration_deadline as registrationDeadline',
      db.raw('(?)::int AS "seatsLeft"', [seats]),
      distance
        ? db.raw('round((? / ?)::numeric, 1)::float AS miles', [distance, METERS_PER_MILE])
        : db.raw('NULL::float AS miles'),
      db.raw('? AS rank', [rank]),
    )
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  for (const condition of chosen) if (condition) void results.where(condition);
  const sort =
    query.sort === 'distance' && !distance ? 'date' : query.sort === 'relevance' && !tsquery ? 'date' : query.sort;
  if (sort === 'relevance') void results.orderByRaw('rank DESC, e.first_session_at ASC, e.id');
  else if (sort === 'distance') void results.orderByRaw('miles ASC NULLS LAST, e.first_session_at ASC, e.id');
  else void results.orderBy([{ column: 'e.first_session_at' }, { column: 'e.id' }]);

  // The total and every facet in one pass over the events matching all but the facet filters: a
  // facet counts the events matching the other filters (choosing a delivery still shows every
  // delivery's count); the total counts those matching all.
  // Conditions stay knex values with their bindings, never text: a `?` in a value would be taken
  // for a placeholder (issue 16: a search for "cpr?" failed for everyone).
  const countWhere = (conditions: Array<Knex.Raw | null>, as: string) => {
    const all = conditions.filter((c): c is Knex.Raw => c !== null);
    return all.length === 0
      ? db.raw('count(*)::int AS ??', [as])
      : db.raw(`(count(*) FILTER (WHERE ${all.map(() => '?').join(' AND ')}))::int AS ??`, [...all, as]);
  };
  // Counted first by combination of facet values (at most a few thousand), then summed per facet.
  const combinations = base()
    .select(
      ...FACETS.map((facet) => `e.${facet}`),
      countWhere(chosen, 'total'),
      ...FACETS.map((facet, i) =>
        countWhere(
          chosen.filter((_, j) => j !== i),
          `${facet}Count`,
        ),
      ),
    )
    .groupBy(FACETS.map((facet) => `e.${facet}`));
  const counting = db
    .from(combinations.as('c'))
    .select(
      ...FACETS.map((facet) => `c.${facet}`),
      db.raw(`GROUPING(${FACETS.map((facet) => `c.${facet}`).join(', ')})::int AS "groupingSet"`),
      db.raw('sum(c.total)::int AS total'),
      ...FACETS.map((facet) => db.raw('sum(??)::int AS ??', [`c.${facet}Count`, `${facet}Count`])),
    )
    .groupByRaw(`GROUPING SETS (${FACETS.map((facet) => `(c.${facet})`).join(', ')}, ())`);

  const [rows, groups] = await Promise.all([
    results as unknown as Promise<CatalogResult[]>,
    counting as unknown as Promise<Array<Record<string, string | number | null>>>,
  ]);
  // GROUPING(...) has a bit per facet, set when the row is not grouped by it: the row of facet i
  // has every bit but i's; the row of the grand total has all of them.
  const everyBit = (1 << FACETS.length) - 1;
  const facets = Object.fromEntries(
    FACETS.map((facet, i) => [
      facet,
      groups
        .filter(
          (g) =>
            g.groupingSet === everyBit - (1 << (FACETS.length - 1 - i)) &&
            g[facet] !== null &&
            Number(g[`${facet}Count`]) > 0,
        )
        .map((g) => ({ value: String(g[facet]), count: Number(g[`${facet}Count`]) }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    ]),
  ) as Record<(typeof FACETS)[number], Array<{ value: string; count: number }>>;
  return {
    results: rows.map((r) => ({ ...r, courseId: Number(r.courseId), clockHours: Number(r.clockHours) })),
    total: Number(groups.find((g) => g.groupingSet === everyBit)?.total ?? 0),
    facets,
  };
}
