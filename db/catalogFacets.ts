/**
 * The total and facet counts of a catalog search, counted in memory over a narrow copy of the
 * upcoming events (the columns filters and facets read: dates, the five facets, county, fee, seats
 * left, place), instead of re-reading tens of thousands of wide rows in PostgreSQL for every new
 * search. The copy is read from a covering index (migration 20261207_044) and labelled with the
 * position of `catalog_changes` read just before it; a search uses it only while that position
 * has not moved (no event changed, no seat taken or freed) and it is younger than the age limit
 * of kept answers. Otherwise the search counts in SQL as before while a new copy is read.
 *
 * What PostgreSQL alone can decide stays in PostgreSQL: the words of a search (the ids of the
 * upcoming events they match, from the full-text index) and the dates a search names (turned into
 * instants by the database, in its time zone). Distance is computed as the `earthdistance`
 * extension does; an event within a millimetre of the limit is decided by the database.
 */
import type { CatalogQuery } from './catalog.js';
import type { Db } from './connection.js';

/** The facets a search counts by (`FACETS` of db/catalog.ts re-exports them). */
export const FACET_NAMES = ['topic', 'delivery', 'region', 'level', 'language'] as const;
type Facet = (typeof FACET_NAMES)[number];

/** The search as far as counting is concerned: a CatalogQuery without its ordering and page. */
export type CountedQuery = Omit<CatalogQuery, 'zip' | 'sort' | 'page' | 'pageSize'>;

export interface Counts {
  total: number;
  facets: Record<Facet, Array<{ value: string; count: number }>>;
}

/** The earthdistance extension's earth radius (`earth()`), in metres. */
const EARTH_RADIUS = 6378168;
/** PostgreSQL's `radians()`: degrees times RADIANS_PER_DEGREE (0.0174532925199432957692, this double). */
const RADIANS_PER_DEGREE = Math.PI / 180;
const METERS_PER_MILE = 1609.344;
/** Distances this close to the limit are left to the database (libm and V8 may differ in the last bit). */
const BORDERLINE_METERS = 0.001;
/** The copy holds events whose last session ended up to this long before it was read. */
const READ_BACK_MS = 10 * 60_000;
const INSTANTS_KEPT = 2_000;

/** A value per event in columns; strings as codes into the column's list of values (-1: none). */
interface Upcoming {
  change: string;
  readAt: number;
  /** Searches whose `now` is at or after this instant may use the copy (µs since the epoch). */
  fromMicros: number;
  size: number;
  index: Map<number, number>;
  first: Float64Array;
  last: Float64Array;
  facets: Record<Facet, Int32Array>;
  county: Int32Array;
  values: Record<Facet | 'county', string[]>;
  codes: Record<Facet | 'county', Map<string, number>>;
  fee: Int32Array;
  seatsLeft: Int32Array;
  /** Earth-centred coordinates (`ll_to_earth`), NaN without a place. */
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
}

interface Held {
  copy?: Upcoming;
  reading?: Promise<void>;
  /** No new copy is read before this instant (ms): while events change all the time, reading
   * copies back to back would cost more than the searches they serve. */
  nextReadAt: number;
  /** Dates as the database reads them (`from` and `to` of searches). */
  instants: Map<string, number>;
}
const heldByDb = new WeakMap<Db, Held>();

/** `ll_to_earth(latitude, longitude)`. */
export function earthPoint(latitude: number, longitude: number): [number, number, number] {
  const lat = latitude * RADIANS_PER_DEGREE;
  const lon = longitude * RADIANS_PER_DEGREE;
  return [
    EARTH_RADIUS * Math.cos(lat) * Math.cos(lon),
    EARTH_RADIUS * Math.cos(lat) * Math.sin(lon),
    EARTH_RADIUS * Math.sin(lat),
  ];
}

/** `sec_to_gc(cube_distance(a, b))`: the great-circle distance of a chord, in metres. */
function greatCircle(chord: number): number {
  if (chord < 0) return 0;
  if (chord / (2 * EARTH_RADIUS) > 1) return Math.PI * EARTH_RADIUS;
  return 2 * EARTH_RADIUS * Math.asin(chord / (2 * EARTH_RADIUS));
}

interface UpcomingRow {
  id: number;
  first: number;
  last: number;
  topic: string;
  delivery: string;
  region: string | null;
  level: string | null;
  language: string;
  county: string | null;
  fee_cents: number;
  seats_left: number;
  latitude: number | null;
  longitude: number | null;
}

async function readUpcoming(db: Db, change: string): Promise<Upcoming> {
  const readAt = Date.now();
  const from = new Date(readAt - READ_BACK_MS);
  const { rows } = (await db.raw(
    `SELECT id, (extract(epoch FROM first_session_at) * 1000000)::float8 AS first,
            (extract(epoch FROM last_session_at) * 1000000)::float8 AS last,
            topic, delivery, region, level, language, county, fee_cents, capacity - seats_taken AS seats_left,
            latitude, longitude
       FROM events WHERE NOT cancelled AND last_session_at >= ?`,
    [from.toISOString()],
  )) as { rows: UpcomingRow[] };
  const size = rows.length;
  const names = [...FACET_NAMES, 'county'] as const;
  const values = Object.fromEntries(names.map((n) => [n, [] as string[]])) as Upcoming['values'];
  const codes = Object.fromEntries(names.map((n) => [n, new Map<string, number>()])) as Upcoming['codes'];
  const columns = Object.fromEntries(names.map((n) => [n, new Int32Array(size)])) as Record<
    Facet | 'county',
    Int32Array
  >;
  const copy: Upcoming = {
    change,
    readAt,
    fromMicros: from.getTime() * 1000,
    size,
    index: new Map(),
    first: new Float64Array(size),
    last: new Float64Array(size),
    facets: columns,
    county: columns.county,
    values,
    codes,
    fee: new Int32Array(size),
    seatsLeft: new Int32Array(size),
    x: new Float64Array(size),
    y: new Float64Array(size),
    z: new Float64Array(size),
  };
  rows.forEach((row, i) => {
    copy.index.set(Number(row.id), i);
    copy.first[i] = row.first;
    copy.last[i] = row.last;
    for (const name of names) {
      const value = row[name];
      if (value === null) {
        columns[name][i] = -1;
        continue;
      }
      let code = codes[name].get(value);
      if (code === undefined) {
        code = values[name].length;
        values[name].push(value);
        codes[name].set(value, code);
      }
      columns[name][i] = code;
    }
    copy.fee[i] = row.fee_cents;
    copy.seatsLeft[i] = row.seats_left;
    if (row.latitude === null || row.longitude === null) {
      copy.x[i] = copy.y[i] = copy.z[i] = NaN;
    } else {
      [copy.x[i], copy.y[i], copy.z[i]] = earthPoint(row.latitude, row.longitude);
    }
  });
  return copy;
}

/**
 * The copy of upcoming events for a search that read `change` of `catalog_changes` at `now`,
 * or undefined when there is none fit to use (a new one is then read in the background).
 */
function usableCopy(db: Db, held: Held, change: string, now: Date, maxAgeMs: number): Upcoming | undefined {
  const copy = held.copy;
  const age = copy ? Date.now() - copy.readAt : Infinity;
  const fits = copy !== undefined && copy.change === change && copy.fromMicros <= now.getTime() * 1000;
  if (!held.reading && (!fits || age >= maxAgeMs) && Date.now() >= held.nextReadAt) {
    const started = Date.now();
    held.reading = (async () => {
      // The position is read before the events: the copy holds at least every change it names.
      const { rows } = (await db.raw('SELECT last_value::text AS change FROM catalog_changes')) as {
        rows: Array<{ change: string }>;
      };
      held.copy = await readUpcoming(db, rows[0]!.change);
    })()
      .catch(() => undefined)
      .finally(() => {
        held.reading = undefined;
        // At most a fifth of the time spent reading copies, and not more than once a second.
        held.nextReadAt = Date.now() + Math.max(1_000, 4 * (Date.now() - started));
      });
  }
  // Old only by the clock: still used while the next one is read, as kept answers are.
  return fits && age < 2 * maxAgeMs ? copy : undefined;
}

async function instantsOf(db: Db, held: Held, query: CountedQuery): Promise<{ from?: number; to?: number }> {
  const key = (kind: string, text: string) => `${kind}:${text}`;
  const missing: Array<{ kind: 'from' | 'to'; text: string }> = [];
  if (query.from && !held.instants.has(key('from', query.from))) missing.push({ kind: 'from', text: query.from });
  if (query.to && !held.instants.has(key('to', query.to))) missing.push({ kind: 'to', text: query.to });
  if (missing.length > 0) {
    // Exactly as the search's SQL reads them: `first_session_at >= from`, `< (to::date + 1)::timestamptz`.
    const { rows } = (await db.raw(
      `SELECT ${missing
        .map((m, i) =>
          m.kind === 'from'
            ? `(extract(epoch FROM ?::timestamptz) * 1000000)::float8 AS i${i}`
            : `(extract(epoch FROM (?::date + 1)::timestamptz) * 1000000)::float8 AS i${i}`,
        )
        .join(', ')}`,
      missing.map((m) => m.text),
    )) as { rows: Array<Record<string, number>> };
    missing.forEach((m, i) => {
      if (held.instants.size >= INSTANTS_KEPT) held.instants.delete(held.instants.keys().next().value!);
      held.instants.set(key(m.kind, m.text), rows[0]![`i${i}`]!);
    });
  }
  return {
    from: query.from ? held.instants.get(key('from', query.from)) : undefined,
    to: query.to ? held.instants.get(key('to', query.to)) : undefined,
  };
}

/** The ids of upcoming events matching the words of a search, by the full-text index. */
async function matchingWords(db: Db, words: string, now: Date): Promise<Set<number>> {
  const { rows } = (await db.raw(
    `SELECT string_agg(id::text, ',') AS ids FROM events
      WHERE NOT cancelled AND last_session_at >= ? AND search @@ websearch_to_tsquery('english', ?)`,
    [now.toISOString(), words],
  )) as { rows: Array<{ ids: string | null }> };
  return new Set(rows[0]?.ids ? rows[0].ids.split(',').map(Number) : []);
}

/**
 * The total and facet counts of the search, as the SQL of `db/catalog.ts` counts them (every
 * facet counts the events matching all the other filters; values with no event left out; by
 * count, then value), or undefined when no copy of the upcoming events is fit to use.
 */
export async function countFromUpcoming(
  db: Db,
  query: CountedQuery,
  origin: { latitude: number; longitude: number } | undefined,
  change: string,
  maxAgeMs: number,
): Promise<Counts | undefined> {
  let held = heldByDb.get(db);
  if (!held) heldByDb.set(db, (held = { instants: new Map(), nextReadAt: 0 }));
  const copy = usableCopy(db, held, change, query.now, maxAgeMs);
  if (!copy) return undefined;
  const words = query.q?.trim();
  const [instants, matching] = await Promise.all([
    instantsOf(db, held, query),
    words ? matchingWords(db, words, query.now) : undefined,
  ]);

  const nowMicros = query.now.getTime() * 1000;
  const chosen = FACET_NAMES.map((facet) =>
    query[facet] !== undefined ? (copy.codes[facet].get(query[facet]!) ?? -2) : undefined,
  );
  const county = query.county !== undefined ? (copy.codes.county.get(query.county) ?? -2) : undefined;
  const within = origin && query.withinMiles !== undefined ? query.withinMiles * METERS_PER_MILE : undefined;
  const [ox, oy, oz] = origin ? earthPoint(origin.latitude, origin.longitude) : [0, 0, 0];
  const facetColumns = FACET_NAMES.map((facet) => copy.facets[facet]);
  const counts = FACET_NAMES.map((facet) => new Int32Array(copy.values[facet].length));
  const borderline: number[] = [];
  let total = 0;

  const count = (i: number) => {
    // Which chosen facet values the event lacks: with none it counts everywhere; with one, only
    // in that facet (whose count leaves its own filter out).
    let missed = -1;
    for (let f = 0; f < FACET_NAMES.length; f++) {
      const want = chosen[f];
      if (want !== undefined && facetColumns[f]![i] !== want) {
        if (missed !== -1) return;
        missed = f;
      }
    }
    if (missed === -1) {
      total++;
      for (let f = 0; f < FACET_NAMES.length; f++) {
        const code = facetColumns[f]![i]!;
        if (code >= 0) counts[f]![code]!++;
      }
    } else {
      const code = facetColumns[missed]![i]!;
      if (code >= 0) counts[missed]![code]!++;
    }
  };

  const passes = (i: number) => {
    if (copy.last[i]! < nowMicros) return false;
    if (county !== undefined && copy.county[i] !== county) return false;
    if (instants.from !== undefined && copy.first[i]! < instants.from) return false;
    if (instants.to !== undefined && copy.first[i]! >= instants.to) return false;
    if (query.fee === 'free' && copy.fee[i] !== 0) return false;
    if (query.fee === 'paid' && !(copy.fee[i]! > 0)) return false;
    if (query.seatsLeft && !(copy.seatsLeft[i]! > 0)) return false;
    return true;
  };

  const ids = matching ? [...matching].map((id) => copy.index.get(id)).filter((i) => i !== undefined) : undefined;
  const visit = (i: number) => {
    if (!passes(i)) return;
    if (within !== undefined) {
      const dx = ox - copy.x[i]!;
      const dy = oy - copy.y[i]!;
      const dz = oz - copy.z[i]!;
      const meters = greatCircle(Math.sqrt(dx * dx + dy * dy + dz * dz));
      if (Number.isNaN(meters)) return;
      if (Math.abs(meters - within) <= BORDERLINE_METERS) {
        borderline.push(i);
        return;
      }
      if (meters > within) return;
    }
    count(i);
  };
  if (ids) for (const i of ids) visit(i);
  else for (let i = 0; i < copy.size; i++) visit(i);

  if (borderline.length > 0 && origin && within !== undefined) {
    const idOf = new Map([...copy.index].map(([id, i]) => [i, id]));
    const { rows } = (await db.raw(
      `SELECT id FROM events e WHERE id = ANY(?::bigint[])
          AND earth_box(ll_to_earth(?, ?), ?) @> ll_to_earth(e.latitude, e.longitude)
          AND earth_distance(ll_to_earth(e.latitude, e.longitude), ll_to_earth(?, ?)) <= ?`,
      [
        borderline.map((i) => idOf.get(i)!),
        origin.latitude,
        origin.longitude,
        within,
        origin.latitude,
        origin.longitude,
        within,
      ],
    )) as { rows: Array<{ id: number }> };
    for (const row of rows) count(copy.index.get(Number(row.id))!);
  }

  const facets = Object.fromEntries(
    FACET_NAMES.map((facet, f) => [
      facet,
      copy.values[facet]
        .map((value, code) => ({ value, count: counts[f]![code]! }))
        .filter((c) => c.count > 0)
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
    ]),
  ) as Counts['facets'];
  return { total, facets };
}
