/**
 * The aggregates behind workforce analytics: each a single grouped pass over its table, never a
 * row per person leaving the database (but for the workforce report, which groups people by the
 * facts their career level depends on, so the rule set judges each combination once).
 *
 * Where a person is counted: at their workplace on the report date — the organization of the
 * employment they were hired into last among those running that day — and, for people with no
 * such employment, the region of their own address ("no current employment").
 */
import type { Knex } from 'knex';
import type { Db } from './connection.js';
import { DEGREE_LEVELS, TOPICS } from '../rules/domain.js';
import type { LocalDate } from '../rules/dates.js';

/** Key for a person or event with no region recorded; online events are the region 'online'. */
export const NO_REGION = 'unknown';
export const ONLINE = 'online';
export const NOT_EMPLOYED = 'none';

/**
 * One row per professional: region, role and program type of their workplace on a date.
 * Program type: the registry's code of the organization (`organizations.program_type`, one of
 * `program_types`); licensing and subsidy are program settings, not a type.
 */
function placed(db: Db, on: LocalDate): Knex.QueryBuilder {
  return db
    .from('professionals as p')
    .leftJoin('employments as e', function joinRunning() {
      this.on('e.professional_id', 'p.id')
        .andOn('e.hire_date', '<=', db.raw('?::date', [on]))
        .andOn(db.raw('(e.end_date IS NULL OR e.end_date >= ?::date)', [on]));
    })
    .leftJoin('organizations as o', 'o.id', 'e.organization_id')
    .distinctOn('p.id')
    .select(
      'p.id as professional_id',
      db.raw('coalesce(o.region, p.region, ?) AS region', [NO_REGION]),
      db.raw('coalesce(e.role, ?) AS role', [NOT_EMPLOYED]),
      db.raw('CASE WHEN o.id IS NULL THEN ? ELSE o.program_type END AS program_type', [NOT_EMPLOYED]),
    )
    .orderBy([
      { column: 'p.id' },
      { column: 'e.hire_date', order: 'desc', nulls: 'last' },
      { column: 'e.id', order: 'desc' },
    ]);
}

export interface CareerFactGroup {
  region: string;
  role: string;
  highest_degree: string | null;
  credentials: string[];
  college_credit_hours: number;
  lifetime_hours: number;
  people: number;
}

/** People on a date by region, role and the facts of their career level (education, lifetime credited hours to that date). */
export async function workforceGroups(db: Db, on: LocalDate, region: string | null): Promise<CareerFactGroup[]> {
  const degrees = db.raw(`ARRAY[${DEGREE_LEVELS.map(() => '?').join(',')}]::text[]`, [...DEGREE_LEVELS]);
  const rows = await db
    .with('placed', placed(db, on))
    .with(
      'education_facts',
      db('education')
        .select('professional_id')
        .select(db.raw('(?)[max(array_position(?, degree_level))] AS highest_degree', [degrees, degrees]))
        .select(
          db.raw(
            "coalesce(array_agg(DISTINCT title ORDER BY title) FILTER (WHERE kind = 'credential'), '{}') AS credentials",
          ),
        )
        .select(db.raw("coalesce(sum(credit_hours) FILTER (WHERE kind = 'coursework'), 0) AS college_credit_hours"))
        .groupBy('professional_id'),
    )
    .with(
      'hours',
      db('training_records')
        .where('completed_on', '<=', on)
        .groupBy('professional_id')
        .select('professional_id', db.raw('sum(credited_hours) AS lifetime_hours')),
    )
    .from('placed')
    .leftJoin('education_facts as ef', 'ef.professional_id', 'placed.professional_id')
    .leftJoin('hours as h', 'h.professional_id', 'placed.professional_id')
    .modify((q) => {
      if (region) q.where('placed.region', region);
    })
    .groupBy(
      'placed.region',
      'placed.role',
      'ef.highest_degree',
      'ef.credentials',
      'ef.college_credit_hours',
      'h.lifetime_hours',
    )
    .select(
      'placed.region',
      'placed.role',
      'ef.highest_degree',
      db.raw("coalesce(ef.credentials, '{}') AS credentials"),
      db.raw('coalesce(ef.college_credit_hours, 0) AS college_credit_hours'),
      db.raw('coalesce(h.lifetime_hours, 0) AS lifetime_hours'),
      db.raw('count(*)::int AS people'),
    );
  return rows as CareerFactGroup[];
}

export interface Grouped {
  row: string | null;
  column: string | null;
  people: number;
  value: number;
}

/** Compliant people of everyone with a computed result, by program type and region (with totals). */
export async function complianceGroups(
  db: Db,
  on: LocalDate,
  region: string | null,
): Promise<{ groups: Grouped[]; versions: number[]; computedFrom: string | null; computedTo: string | null }> {
  const base = db
    .with('placed', placed(db, on))
    .from('compliance_results as cr')
    .join('placed', 'placed.professional_id', 'cr.professional_id')
    .modify((q) => {
      if (region) q.where('placed.region', region);
    });
  const [groups, meta] = await Promise.all([
    base
      .clone()
      .select(
        db.raw(
          'placed.program_type AS "row", placed.region AS "column", count(*)::int AS people, (count(*) FILTER (WHERE cr.compliant))::int AS value',
        ),
      )
      .groupByRaw('GROUPING SETS ((placed.program_type, placed.region), (placed.program_type), (placed.region), ())'),
    base
      .clone()
      .select(
        db.raw(
          'array_agg(DISTINCT cr.rule_set_version ORDER BY cr.rule_set_version) AS versions, min(cr.as_of)::text AS computed_from, max(cr.as_of)::text AS computed_to',
        ),
      )
      .first(),
  ]);
  return {
    groups: groups as Grouped[],
    versions: (meta?.versions ?? []).filter((v: number | null) => v !== null),
    computedFrom: meta?.computed_from ?? null,
    computedTo: meta?.computed_to ?? null,
  };
}

/** Credited hours by topic and month or quarter of completion, with the people who earned them (distinct, per cell and total). */
export async function trainingGroups(
  db: Db,
  from: LocalDate,
  to: LocalDate,
  period: 'month' | 'quarter',
  region: string | null,
): Promise<Grouped[]> {
  const bucket = period === 'month' ? "to_char(tr.completed_on, 'YYYY-MM')" : `to_char(tr.completed_on, 'YYYY-"Q"Q')`;
  const rows = await db
    .from('training_records as tr')
    .whereBetween('tr.completed_on', [from, to])
    .modify((q) => {
      if (region)
        q.with('placed', placed(db, to))
          .join('placed', 'placed.professional_id', 'tr.professional_id')
          .where('placed.region', region);
    })
    .select(
      db.raw(
        `tr.topic AS "row", ${bucket} AS "column", count(DISTINCT tr.professional_id)::int AS people, sum(tr.credited_hours) AS value`,
      ),
    )
    .groupByRaw(`GROUPING SETS ((tr.topic, ${bucket}), (tr.topic), (${bucket}), ())`);
  return rows as Grouped[];
}

/** Credited hours of training completed in the range by topic and the region people work in on its last day (every region, with totals). */
export async function trainingByRegionGroups(db: Db, from: LocalDate, to: LocalDate): Promise<Grouped[]> {
  const rows = await db
    .with('placed', placed(db, to))
    .from('training_records as tr')
    .join('placed', 'placed.professional_id', 'tr.professional_id')
    .whereBetween('tr.completed_on', [from, to])
    .select(
      db.raw(
        'tr.topic AS "row", placed.region AS "column", count(DISTINCT tr.professional_id)::int AS people, sum(tr.credited_hours) AS value',
      ),
    )
    .groupByRaw('GROUPING SETS ((tr.topic, placed.region), (tr.topic), (placed.region), ())');
  return rows as Grouped[];
}

export interface DemandCounts {
  topic: string;
  region: string;
  registered: number;
  waitlisted: number;
  open_deadlines: number;
  events: number;
  seats: number;
  seats_left: number;
}

/**
 * Demand and supply by topic and region: people registered and waitlisted for events starting in
 * the range (at the event's region), people with an open or overdue deadline on a topic (at their
 * workplace's region, today), and the events offered with their seats and seats left.
 */
export async function demandGroups(
  db: Db,
  from: LocalDate,
  to: LocalDate,
  today: LocalDate,
  region: string | null,
): Promise<DemandCounts[]> {
  const inRange = (q: Knex.QueryBuilder) =>
    q
      .where('e.cancelled', false)
      .where('e.first_session_at', '>=', db.raw("(?::date)::timestamp AT TIME ZONE 'America/Chicago'", [from]))
      .where('e.first_session_at', '<', db.raw("(?::date + 1)::timestamp AT TIME ZONE 'America/Chicago'", [to]));
  const topics = Object.keys(TOPICS);
  const rows = await db
    .with('placed', placed(db, today))
    .with(
      'supply',
      inRange(db.from('events as e'))
        .groupByRaw('1, 2')
        .select(
          db.raw('e.topic, coalesce(e.region, CASE WHEN e.address_line IS NULL THEN ? ELSE ? END) AS region', [
            ONLINE,
            NO_REGION,
          ]),
        )
        .select(
          db.raw(
            'count(*)::int AS events, sum(e.capacity)::int AS seats, sum(greatest(e.capacity - e.seats_taken, 0))::int AS seats_left',
          ),
        ),
    )
    .with(
      'asked',
      inRange(db.from('events as e').join('registrations as r', 'r.event_id', 'e.id'))
        .groupByRaw('1, 2')
        .select(
          db.raw('e.topic, coalesce(e.region, CASE WHEN e.address_line IS NULL THEN ? ELSE ? END) AS region', [
            ONLINE,
            NO_REGION,
          ]),
        )
        .select(db.raw("(count(DISTINCT r.professional_id) FILTER (WHERE r.status = 'registered'))::int AS registered"))
        .select(
          db.raw("(count(DISTINCT r.professional_id) FILTER (WHERE r.status = 'waitlisted'))::int AS waitlisted"),
        ),
    )
    .with(
      'owed',
      db
        .from('deadlines as d')
        .join('placed', 'placed.professional_id', 'd.professional_id')
        .whereIn('d.status', ['open', 'overdue'])
        .whereIn('d.satisfied_by_topic', topics)
        .groupBy('d.satisfied_by_topic', 'placed.region')
        .select(
          'd.satisfied_by_topic as topic',
          'placed.region',
          db.raw('count(DISTINCT d.professional_id)::int AS open_deadlines'),
        ),
    )
    .from('supply')
    .fullOuterJoin('asked', function joinAsked() {
      this.on('asked.topic', 'supply.topic').andOn('asked.region', 'supply.region');
    })
    .fullOuterJoin('owed', function joinOwed() {
      this.on('owed.topic', db.raw('coalesce(supply.topic, asked.topic)')).andOn(
        'owed.region',
        db.raw('coalesce(supply.region, asked.region)'),
      );
    })
    .select(
      db.raw('coalesce(supply.topic, asked.topic, owed.topic) AS topic'),
      db.raw('coalesce(supply.region, asked.region, owed.region) AS region'),
      db.raw('coalesce(asked.registered, 0) AS registered'),
      db.raw('coalesce(asked.waitlisted, 0) AS waitlisted'),
      db.raw('coalesce(owed.open_deadlines, 0) AS open_deadlines'),
      db.raw('coalesce(supply.events, 0) AS events'),
      db.raw('coalesce(supply.seats, 0) AS seats'),
      db.raw('coalesce(supply.seats_left, 0) AS seats_left'),
    );
  const all = rows as DemandCounts[];
  return region ? all.filter((r) => r.region === region || r.region === ONLINE) : all;
}

export interface ShortOfHours {
  region: string;
  people: number;
  short: number;
}

/** People whose last computed compliance is short of hours (a current period behind or a deficit carried), by region. */
export async function shortOfHoursGroups(db: Db, today: LocalDate, region: string | null): Promise<ShortOfHours[]> {
  const rows = await db
    .with('placed', placed(db, today))
    .from('compliance_results as cr')
    .join('placed', 'placed.professional_id', 'cr.professional_id')
    .modify((q) => {
      if (region) q.where('placed.region', region);
    })
    .groupBy('placed.region')
    .select(
      'placed.region',
      db.raw('count(*)::int AS people'),
      db.raw(`(count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM jsonb_array_elements(cr.result -> 'requirements') AS req
        WHERE (req ->> 'applied')::numeric < (req ->> 'required')::numeric OR (req ->> 'deficitsCarried')::numeric > 0)))::int AS short`),
    );
  return rows as ShortOfHours[];
}

/** Seats left in events starting in the range, by region (online separately), every topic. */
export async function seatsLeftByRegion(
  db: Db,
  from: LocalDate,
  to: LocalDate,
): Promise<Array<{ region: string; seats_left: number; events: number }>> {
  const rows = await db
    .from('events as e')
    .where('e.cancelled', false)
    .where('e.first_session_at', '>=', db.raw("(?::date)::timestamp AT TIME ZONE 'America/Chicago'", [from]))
    .where('e.first_session_at', '<', db.raw("(?::date + 1)::timestamp AT TIME ZONE 'America/Chicago'", [to]))
    .groupByRaw('1')
    .select(
      db.raw('coalesce(e.region, CASE WHEN e.address_line IS NULL THEN ? ELSE ? END) AS region', [ONLINE, NO_REGION]),
    )
    .select(db.raw('sum(greatest(e.capacity - e.seats_taken, 0))::int AS seats_left, count(*)::int AS events'));
  return rows as Array<{ region: string; seats_left: number; events: number }>;
}
