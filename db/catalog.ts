/**
 * Searching the training catalog with PostgreSQL alone: full-text search (weighted title, then
 * sponsor and trainer, then description and place), filters, great-circle distance from a ZIP
 * code, paging, and facet counts over the same filtered set.
 */
import type { Knex } from 'knex';
import type { Db } from './connection.js';
import type { Region } from '../rules/domain.js';
import { countFromUpcoming, FACET_NAMES } from './catalogFacets.js';

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
  courseId: number;
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
  /** Whether it has a link to join; the link itself is on the event page, for those who may join. */
  hasOnlineLink: boolean;
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
export const FACETS = FACET_NAMES;

/** Thrown when the ZIP code is not a Missouri ZIP the registry knows. */
export class UnknownZip extends Error {}

/**
 * How long an answer is kept while no event changes. Every change to events (a new event, a seat
 * taken or freed, a cancellation) moves the `catalog_changes` sequence on and retires every kept
 * answer at once; the age limit covers what time alone changes (an event whose last session ends
 * stops being upcoming) and the moment between a change being made and being committed. An
 * answer past that age, with no event changed, is still given while a fresh one is worked out,
 * up to twice that age.
 */
export const ANSWER_MAX_AGE_MS = 30_000;
const ANSWERS_KEPT = 2_000;

interface KeptAnswer {
  change: string;
  at: number;
  answer: Promise<CatalogAnswer>;
  renewing?: boolean;
}
interface Kept {
  answers: Map<string, KeptAnswer>;
  /** ZIP code centroids asked for so far (the table is reference data, filled by a migration). */
  origins: Map<string, { latitude: number; longitude: number }>;
  reading?: Promise<string>;
  nextReading?: Promise<string>;
}
const keptByDb = new WeakMap<Db, Kept>();

/**
 * The position of `catalog_changes`, read after the caller asked, so a search sees every change
 * committed before it arrived. One read serves every search that arrived while the read before
 * it was under way: a busy catalog reads it about once per round trip, not once per search.
 */
function changeMark(db: Db, kept: Kept): Promise<string> {
  if (!kept.reading) {
    kept.reading = db
      .raw('SELECT last_value::text AS change FROM catalog_changes')
      .then((r: { rows: Array<{ change: string }> }) => r.rows[0]!.change)
      .finally(() => {
        kept.reading = undefined;
      });
    return kept.reading;
  }
  kept.nextReading ??= kept.reading
    .catch(() => undefined)
    .then(() => {
      kept.nextReading = undefined;
      return changeMark(db, kept);
    });
  return kept.nextReading;
}

async function originOf(db: Db, kept: Kept, zip: string) {
  const known = kept.origins.get(zip);
  if (known) return known;
  const found = await db('zip_codes')
    .where({ zip })
    .first<{ latitude: number; longitude: number } | undefined>('latitude', 'longitude');
  if (!found) throw new UnknownZip(zip);
  kept.origins.set(zip, found);
  return found;
}

/**
 * Searches the catalog. Answers are kept per database (one map per knex instance, so tests on
 * separate databases never share one) and reused while no event has changed, as long as
 * ANSWER_MAX_AGE_MS allows; searches asking the same thing at once share one computation.
 */
export async function searchCatalog(db: Db, query: CatalogQuery): Promise<CatalogAnswer> {
  let kept = keptByDb.get(db);
  if (!kept) keptByDb.set(db, (kept = { answers: new Map(), origins: new Map() }));
  const [change, origin] = await Promise.all([
    changeMark(db, kept),
    query.zip ? originOf(db, kept, query.zip) : undefined,
  ]);
  const { now, ...asked } = query;
  const key = JSON.stringify(asked);
  const { answers } = kept;
  const found = answers.get(key);
  const at = now.getTime();
  const age = found && found.change === change && found.at <= at ? at - found.at : Infinity;
  if (age < ANSWER_MAX_AGE_MS) return found!.answer;
  if (age < 2 * ANSWER_MAX_AGE_MS) {
    if (!found!.renewing) {
      // Old only by the clock: answer with it while the next one is worked out.
      found!.renewing = true;
      const answer = work(db, query, origin, change);
      void answer.then(
        () => {
          if (answers.get(key) === found) keepAnswer(answers, key, { change, at, answer });
        },
        () => {
          found!.renewing = false;
        },
      );
    }
    return found!.answer;
  }
  const answer = work(db, query, origin, change);
  // Kept at once, so searches asking the same meanwhile share this one.
  const keeping = { change, at, answer };
  keepAnswer(answers, key, keeping);
  answer.catch(() => {
    if (answers.get(key) === keeping) answers.delete(key);
  });
  return answer;
}

const work = (
  db: Db,
  query: CatalogQuery,
  origin: { latitude: number; longitude: number } | undefined,
  change: string,
) => earliestUpcomingStart(db, query.now).then((since) => search(db, query, origin, since, change));

/** Keeps an answer under its key; the oldest kept answer makes room. */
function keepAnswer(answers: Map<string, KeptAnswer>, key: string, kept: KeptAnswer) {
  answers.delete(key);
  if (answers.size >= ANSWERS_KEPT) answers.delete(answers.keys().next().value!);
  answers.set(key, kept);
}

export interface CatalogAnswer {
  results: CatalogResult[];
  total: number;
  facets: Record<(typeof FACETS)[number], Array<{ value: string; count: number }>>;
}

/**
 * Upcoming events are those whose last session is not over. Every one of them starts after now
 * or is running now, so none starts before the earliest start of the events running now (found
 * by the index of their spans). Searches say so, with this as a constant the planner can weigh:
 * date order then reads the date index from here instead of from the first event ever held.
 */
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
  change: string,
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

  /** The total and facets counted in SQL over the events themselves (no copy of upcoming events fit to use). */
  const countInSql = async (): Promise<Pick<CatalogAnswer, 'total' | 'facets'>> => {
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

    const groups = (await counting) as unknown as Array<Record<string, string | number | null>>;
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
    return { total: Number(groups.find((g) => g.groupingSet === everyBit)?.total ?? 0), facets };
  };

  // Counted over the copy of upcoming events when it is fit to use (db/catalogFacets.ts), else in SQL.
  const [rows, counts] = await Promise.all([
    results as unknown as Promise<CatalogResult[]>,
    countFromUpcoming(db, query, origin, change, ANSWER_MAX_AGE_MS).then((counted) => counted ?? countInSql()),
  ]);
  return {
    results: rows.map((r) => ({ ...r, courseId: Number(r.courseId), clockHours: Number(r.clockHours) })),
    ...counts,
  };
}

export type CatalogPage = CatalogAnswer;

export interface CprTrainer {
  id: number;
  name: string;
  regions: Region[];
  models: string[];
}

/**
 * Approved trainers (on `today`) with a current CPR/First Aid instructor certification, by name;
 * of one national model, and serving one region (or every region), when asked.
 */
export function cprTrainers(db: Db, filter: { today: string; model?: string; region?: string }): Promise<CprTrainer[]> {
  const q = db('trainers as t')
    .join('users as u', 'u.id', 't.user_id')
    .join('trainer_certifications as c', 'c.trainer_user_id', 't.user_id')
    .where('t.approved_until', '>=', filter.today)
    .where('c.expires_on', '>=', filter.today)
    .groupBy('u.id', 'u.display_name', 't.regions')
    .orderBy('u.display_name')
    .select(
      'u.id',
      'u.display_name as name',
      't.regions',
      db.raw('array_agg(DISTINCT c.model ORDER BY c.model) AS models'),
    );
  if (filter.model) void q.where('c.model', filter.model);
  const region = filter.region;
  if (region) void q.where((w) => w.whereRaw('? = ANY (t.regions)', [region]).orWhereRaw("t.regions = '{}'"));
  return q;
}

export interface CourseListQuery {
  /** Words of the title, or the course's number (its id, with or without a leading #). */
  q?: string;
  status?: 'approved' | 'not_approved';
  /** Part of the owning trainer's name or email, or of the sponsor. */
  owner?: string;
  page: number;
  pageSize: number;
}

export interface CourseListing {
  id: number;
  title: string;
  sponsor: string;
  topic: string;
  delivery: string;
  clockHours: number;
  feeCents: number | null;
  approved: boolean;
  approvedByCaseId: number | null;
  ownerName: string | null;
  ownerEmail: string | null;
  upcomingEvents: number;
}

const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Every course, whoever owns it, for admins: by title or number, status and owner, a page at a time. */
export async function listCourses(
  db: Db,
  query: CourseListQuery,
  now: Date,
): Promise<{ courses: CourseListing[]; total: number; page: number; pageSize: number }> {
  const filtered = db('courses as c').leftJoin('users as u', 'u.id', 'c.trainer_user_id');
  const q = query.q?.trim();
  if (q) {
    const number = /^#?(\d{1,15})$/.exec(q);
    void filtered.where((w) => {
      void w.whereILike('c.title', likeText(q));
      if (number) void w.orWhere('c.id', Number(number[1]));
    });
  }
  if (query.status) void filtered.where('c.approved', query.status === 'approved');
  const owner = query.owner?.trim();
  if (owner)
    void filtered.where((w) =>
      w
        .whereILike('u.display_name', likeText(owner))
        .orWhereILike('u.email', likeText(owner))
        .orWhereILike('c.sponsor', likeText(owner)),
    );
  const [{ total }] = (await filtered.clone().count({ total: '*' })) as [{ total: string | number }];
  const rows: CourseListing[] = await filtered
    .orderBy([{ column: 'c.title' }, { column: 'c.id' }])
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .select(
      'c.id',
      'c.title',
      'c.sponsor',
      'c.topic',
      'c.delivery',
      db.raw('c.clock_hours::float AS "clockHours"'),
      'c.fee_cents as feeCents',
      'c.approved',
      'c.approved_by_case_id as approvedByCaseId',
      'u.display_name as ownerName',
      'u.email as ownerEmail',
      db.raw(
        '(SELECT count(*)::int FROM events e WHERE e.course_id = c.id AND NOT e.cancelled AND e.first_session_at > ?) AS "upcomingEvents"',
        [now],
      ),
    );
  return {
    courses: rows.map((r) => ({ ...r, id: Number(r.id) })),
    total: Number(total),
    page: query.page,
    pageSize: query.pageSize,
  };
}
