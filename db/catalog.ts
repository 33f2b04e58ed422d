/**
 * Searching the training catalog with PostgreSQL alone: full-text search (weighted title, then
 * sponsor and trainer, then description and place), filters, great-circle distance from a ZIP
 * code, paging, and facet counts over the same filtered set.
 */
import type { Db } from './connection.js';

export interface CatalogQuery {
  q?: string;
  topic?: string;
  level?: string;
  delivery?: string;
  region?: string;
  county?: string;
  /** Distance is measured from this ZIP code's centroid. */
  zip?: string;
  withinMiles?: number;
  from?: string;
  to?: string;
  fee?: 'free' | 'paid';
  seatsLeft?: boolean;
  language?: string;
  sort: 'relevance' | 'date' | 'distance';
  page: number;
  pageSize: number;
  /** The instant "upcoming" counts from (tests pass their own). */
  now: Date;
}

export interface CatalogResult {
  id: number;
  title: string;
  sponsor: string;
  trainerName: string;
  topic: string;
  level: string | null;
  delivery: string;
  clockHours: number;
  language: string;
  city: string | null;
  county: string | null;
  region: string | null;
  onlineUrl: string | null;
  feeCents: number;
  firstSessionAt: Date;
  lastSessionAt: Date;
  capacity: number;
  seatsLeft: number;
  registrationDeadline: Date | null;
  miles: number | null;
  rank: number | null;
}

const METERS_PER_MILE = 1609.344;
export const FACETS = ['topic', 'delivery', 'region', 'level', 'language'] as const;

/** Thrown when the ZIP code is not a Missouri ZIP the registry knows. */
export class UnknownZip extends Error {}

export async function searchCatalog(db: Db, query: CatalogQuery) {
  const origin = query.zip ? await db('zip_codes').where({ zip: query.zip }).first<{ latitude: number; longitude: number } | undefined>('latitude', 'longitude') : undefined;
  if (query.zip && !origin) throw new UnknownZip(query.zip);
  const tsquery = query.q?.trim() ? db.raw("websearch_to_tsquery('english', ?)", [query.q.trim()]) : null;
  const seats = db.raw("e.capacity - (SELECT count(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'registered')");
  const distance = origin ? db.raw('earth_distance(ll_to_earth(e.latitude, e.longitude), ll_to_earth(?, ?))', [origin.latitude, origin.longitude]) : null;

  /** The events matching every filter but `except` (a facet counts over the others). */
  const filtered = (except?: (typeof FACETS)[number]) => {
    const q = db('events as e').where('e.cancelled', false).where('e.last_session_at', '>=', query.now);
    if (tsquery) void q.whereRaw('e.search @@ ?', [tsquery]);
    const equal = (column: (typeof FACETS)[number] | 'county', value: string | undefined) => {
      if (value !== undefined && column !== except) void q.where(`e.${column}`, value);
    };
    equal('topic', query.topic);
    equal('level', query.level);
    equal('delivery', query.delivery);
    equal('region', query.region);
    equal('language', query.language);
    equal('county', query.county);
    if (query.from) void q.where('e.first_session_at', '>=', query.from);
    if (query.to) void q.where('e.first_session_at', '<', db.raw("(?::date + 1)::timestamptz", [query.to]));
    if (query.fee === 'free') void q.where('e.fee_cents', 0);
    if (query.fee === 'paid') void q.where('e.fee_cents', '>', 0);
    if (query.seatsLeft) void q.whereRaw(`(${seats.toString()}) > 0`);
    if (distance && query.withinMiles !== undefined) {
      // The GiST index finds candidates inside a cube around the point; the exact distance decides.
      void q.whereRaw('earth_box(ll_to_earth(?, ?), ?) @> ll_to_earth(e.latitude, e.longitude)', [origin!.latitude, origin!.longitude, query.withinMiles * METERS_PER_MILE]);
      void q.whereRaw(`${distance.toString()} <= ?`, [query.withinMiles * METERS_PER_MILE]);
    }
    return q;
  };

  const rank = tsquery ? db.raw('ts_rank_cd(e.search, ?)', [tsquery]) : db.raw('NULL::real');
  const results = filtered()
    .select(
      'e.id',
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
      'e.online_url as onlineUrl',
      'e.fee_cents as feeCents',
      'e.first_session_at as firstSessionAt',
      'e.last_session_at as lastSessionAt',
      'e.capacity',
      'e.registration_deadline as registrationDeadline',
      db.raw(`(${seats.toString()})::int AS "seatsLeft"`),
      db.raw(`${distance ? `round((${distance.toString()} / ${METERS_PER_MILE})::numeric, 1)::float` : 'NULL::float'} AS miles`),
      db.raw(`${rank.toString()} AS rank`),
    )
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const sort = query.sort === 'distance' && !distance ? 'date' : query.sort === 'relevance' && !tsquery ? 'date' : query.sort;
  if (sort === 'relevance') void results.orderByRaw('rank DESC, e.first_session_at ASC, e.id');
  else if (sort === 'distance') void results.orderByRaw('miles ASC NULLS LAST, e.first_session_at ASC, e.id');
  else void results.orderBy([{ column: 'e.first_session_at' }, { column: 'e.id' }]);

  const facetCounts = async (facet: (typeof FACETS)[number]) => {
    const rows: Array<{ value: string | null; count: number }> = await filtered(facet)
      .select(db.raw(`e.${facet} AS value`), db.raw('count(*)::int AS count'))
      .groupBy(`e.${facet}`)
      .orderBy('count', 'desc');
    return rows.filter((r) => r.value !== null) as Array<{ value: string; count: number }>;
  };
  const [rows, total, ...facets] = await Promise.all([
    results as unknown as Promise<CatalogResult[]>,
    filtered().count<{ count: number }[]>({ count: '*' }) as unknown as Promise<Array<{ count: number }>>,
    ...FACETS.map(facetCounts),
  ]);
  return {
    results: rows.map((r) => ({ ...r, clockHours: Number(r.clockHours) })),
    total: Number(total[0]?.count ?? 0),
    facets: Object.fromEntries(FACETS.map((f, i) => [f, facets[i]!])) as Record<(typeof FACETS)[number], Array<{ value: string; count: number }>>,
  };
}

export type CatalogPage = Awaited<ReturnType<typeof searchCatalog>>;
