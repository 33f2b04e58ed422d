/**
 * The four workforce analytics reports: the workforce by region, role and career level;
 * compliance rates by program type and region; credited training hours by topic over time; and
 * demand against supply. Each reads one grouped pass from db/analytics.ts and is published through
 * the small-group suppression of tables.ts / demand.ts, so JSON, the page and CSV show the same.
 */
import type { Db } from '../../db/connection.js';
import { getSetting, SETTINGS } from '../../db/settings.js';
import { programTypeLabels } from '../../db/organizations.js';
import {
  complianceGroups,
  demandGroups,
  NO_REGION,
  NOT_EMPLOYED,
  ONLINE,
  seatsLeftByRegion,
  shortOfHoursGroups,
  trainingByRegionGroups,
  trainingGroups,
  workforceGroups,
} from '../../db/analytics.js';
import { ruleSetInEffect } from '../../db/ruleSets.js';
import { addDays, dateOf, monthOf, yearOf, type LocalDate } from '../../rules/dates.js';
import { EMPLOYMENT_ROLES, REGIONS, TOPICS, type DegreeLevel } from '../../rules/domain.js';
import type { CareerFacts } from '../../rules/engine.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import { DomainError } from '../errors.js';
import { careerLevels } from '../profile.js';
import { demandCsvRows, demandRows, hoursOwedRows, type DemandRow, type HoursOwedRow } from './demand.js';
import { FORECAST_TABLES, forecastGroups } from './forecast.js';
import {
  publishTable,
  sliceTable,
  tableCsvRows,
  tableFromGroups,
  type GroupedRow,
  type Heading,
  type PublishedCell,
  type PublishedTable,
} from './tables.js';

export const ANALYTICS_REPORTS = ['workforce', 'compliance', 'training-hours', 'demand', 'forecast'] as const;
export type AnalyticsReportName = (typeof ANALYTICS_REPORTS)[number];

/** N: a cell describing between 1 and N−1 people is suppressed; this one when the setting holds none usable. */
export const DEFAULT_SMALL_GROUP = SETTINGS.analytics_small_group_threshold.default;

export interface AnalyticsQuery {
  from?: LocalDate;
  to?: LocalDate;
  region?: string;
  period?: 'month' | 'quarter';
}

interface ReportBase {
  report: AnalyticsReportName;
  /** The dates the report covers (for a snapshot report, both are its date). */
  from: LocalDate;
  to: LocalDate;
  region: string | null;
  /** N: cells describing between 1 and N−1 people are suppressed. */
  smallGroup: number;
  notes: string[];
}

export interface TablesReport extends ReportBase {
  report: 'workforce' | 'compliance' | 'training-hours' | 'forecast';
  tables: PublishedTable[];
}

export interface DemandReport extends ReportBase {
  report: 'demand';
  demand: DemandRow[];
  hoursOwed: HoursOwedRow[];
  topics: Heading[];
  regions: Heading[];
}

export type AnalyticsReport = TablesReport | DemandReport;

export const REGION_HEADINGS: Heading[] = [
  ...REGIONS.map((r) => ({ key: r, label: r })),
  { key: NO_REGION, label: 'Region not recorded' },
];
const ROLE_LABELS: Record<string, string> = {
  director: 'Director',
  teacher: 'Teacher',
  assistant_teacher: 'Assistant teacher',
  cook: 'Cook',
  support_staff: 'Support staff',
  volunteer: 'Volunteer',
  [NOT_EMPLOYED]: 'No current employment',
};
const ROLE_HEADINGS: Heading[] = [...EMPLOYMENT_ROLES, NOT_EMPLOYED].map((key) => ({
  key,
  label: ROLE_LABELS[key] ?? key,
}));
/** Program types are the registry's (program_types, English labels), then people with no workplace. */
const programTypeHeadingsOf = async (db: Db): Promise<Heading[]> => [
  ...(await programTypeLabels(db)),
  { key: NOT_EMPLOYED, label: 'No current employment' },
];
const TOPIC_HEADINGS: Heading[] = Object.entries(TOPICS).map(([key, label]) => ({ key, label }));
const regionLabel = (key: string) =>
  key === ONLINE ? 'Online' : (REGION_HEADINGS.find((h) => h.key === key)?.label ?? key);
const topicLabel = (key: string) => TOPICS[key as keyof typeof TOPICS] ?? key;

/** Longest range a report covers, so a mistyped year cannot ask for a thousand columns. */
const MAX_RANGE_DAYS = 5 * 366;

export async function smallGroupThreshold(db: Db): Promise<number> {
  const value = await getSetting(db, 'analytics_small_group_threshold');
  return Number.isInteger(value) && value >= 2 ? value : DEFAULT_SMALL_GROUP;
}

function range(
  query: AnalyticsQuery,
  defaults: { from: LocalDate; to: LocalDate },
): { from: LocalDate; to: LocalDate } {
  const from = query.from ?? defaults.from;
  const to = query.to ?? defaults.to;
  if (from > to) throw new DomainError('Invalid', `must not be before from (${from})`, 'to');
  if (addDays(from, MAX_RANGE_DAYS) < to)
    throw new DomainError('Invalid', 'the range may be at most five years', 'from');
  return { from, to };
}

export async function analyticsReport(
  db: Db,
  name: AnalyticsReportName,
  query: AnalyticsQuery,
  today: LocalDate,
): Promise<AnalyticsReport> {
  const smallGroup = await smallGroupThreshold(db);
  const region = query.region ?? null;
  if (name === 'workforce') return workforceReport(db, query, today, smallGroup, region);
  if (name === 'compliance') return complianceReport(db, today, smallGroup, region);
  if (name === 'training-hours') return trainingReport(db, query, today, smallGroup, region);
  if (name === 'forecast') return forecastReport(db, today, smallGroup, region);
  return demandReport(db, query, today, smallGroup, region);
}

async function workforceReport(
  db: Db,
  query: AnalyticsQuery,
  today: LocalDate,
  smallGroup: number,
  region: string | null,
): Promise<TablesReport> {
  const on = query.to ?? today;
  // Counted and suppressed statewide; a region's view is its line of those tables (sliceTable).
  const [groups, rules] = await Promise.all([
    workforceGroups(db, on, null),
    ruleSetInEffect(db, COMPLIANCE_RULE_SET, on),
  ]);
  const levels = careerLevels(rules);
  const levelHeadings: Heading[] = [
    { key: 'none', label: 'No level yet' },
    ...levels.map((l) => ({ key: `level-${l.level}`, label: l.label })),
  ];
  // The rule set judges each distinct combination of career facts once.
  const levelOf = new Map<string, string>();
  const byRole: GroupedRow[] = [];
  const byLevel: GroupedRow[] = [];
  for (const g of groups) {
    const facts: CareerFacts = {
      education: {
        highestDegree: g.highest_degree as DegreeLevel | null,
        credentials: g.credentials,
        collegeCreditHours: Number(g.college_credit_hours),
      },
      training: { lifetimeCreditedHours: Math.round(Number(g.lifetime_hours) * 100) / 100 },
    };
    const key = JSON.stringify(facts);
    let level = levelOf.get(key);
    if (level === undefined) {
      const found = await rules.careerLevel(facts);
      level = found ? `level-${found.level}` : 'none';
      levelOf.set(key, level);
    }
    byRole.push({ row: g.region, column: g.role, people: g.people, value: g.people });
    byLevel.push({ row: g.region, column: level, people: g.people, value: g.people });
  }
  const tables = [
    publishTable(
      tableFromGroups(
        {
          id: 'by_region_and_role',
          title: 'Professionals by region and role',
          rowDimension: 'region',
          columnDimension: 'role',
          measure: 'people',
        },
        withMargins(byRole),
        REGION_HEADINGS,
        ROLE_HEADINGS,
      ),
      smallGroup,
    ),
    publishTable(
      tableFromGroups(
        {
          id: 'by_region_and_career_level',
          title: 'Professionals by region and career level',
          rowDimension: 'region',
          columnDimension: 'career_level',
          measure: 'people',
        },
        withMargins(byLevel),
        REGION_HEADINGS,
        levelHeadings,
      ),
      smallGroup,
    ),
  ].map((t) => dropEmpty(region ? sliceTable(t, 'row', region) : t));
  return {
    report: 'workforce',
    from: on,
    to: on,
    region,
    smallGroup,
    notes: [
      `Everyone in the registry on ${on}, counted once, at the workplace they were hired into last among those running that day (else the region of their address). Career levels by rule-set version ${rules.version}.`,
    ],
    tables,
  };
}

/** Sums additive cells (each person in one cell) into row, column and grand totals. */
export function withMargins(cells: GroupedRow[]): GroupedRow[] {
  const sum = new Map<string, GroupedRow>();
  const add = (row: string | null, column: string | null, g: GroupedRow) => {
    const key = JSON.stringify([row, column]);
    const current = sum.get(key) ?? { row, column, people: 0, value: 0 };
    current.people += g.people;
    current.value += g.value;
    sum.set(key, current);
  };
  for (const g of cells) {
    add(g.row, g.column, g);
    add(g.row, null, g);
    add(null, g.column, g);
    add(null, null, g);
  }
  return [...sum.values()];
}

/**
 * Leaves out rows and columns where nobody is (the unknown region, roles nobody holds) — only
 * those whose every cell and total is shown as zero, so no hidden cell disappears with them.
 */
function dropEmpty(table: PublishedTable): PublishedTable {
  const zero = (c: PublishedCell) => !c.suppressed && c.value === 0 && (c.of ?? 0) === 0;
  const rowsKept = table.rows
    .map((_, i) => i)
    .filter((i) => !(zero(table.rowTotals[i]!) && table.cells[i]!.every(zero)));
  const columnsKept = table.columns
    .map((_, j) => j)
    .filter((j) => !(zero(table.columnTotals[j]!) && table.cells.every((row) => zero(row[j]!))));
  return {
    ...table,
    rows: rowsKept.map((i) => table.rows[i]!),
    columns: columnsKept.map((j) => table.columns[j]!),
    cells: rowsKept.map((i) => columnsKept.map((j) => table.cells[i]![j]!)),
    rowTotals: rowsKept.map((i) => table.rowTotals[i]!),
    columnTotals: columnsKept.map((j) => table.columnTotals[j]!),
  };
}

async function complianceReport(
  db: Db,
  today: LocalDate,
  smallGroup: number,
  region: string | null,
): Promise<TablesReport> {
  // Counted and suppressed statewide; a region's view is its column of that table (sliceTable).
  const { groups, versions, computedFrom, computedTo } = await complianceGroups(db, today, null);
  const table = tableFromGroups(
    {
      id: 'rate_by_program_type_and_region',
      title: 'Compliance rate by program type and region',
      rowDimension: 'program_type',
      columnDimension: 'region',
      measure: 'rate',
    },
    groups,
    await programTypeHeadingsOf(db),
    REGION_HEADINGS,
  );
  return {
    report: 'compliance',
    from: computedFrom ?? today,
    to: computedTo ?? today,
    region,
    smallGroup,
    notes: [
      `Each person's last computed compliance (computed ${computedFrom === computedTo ? `as of ${computedTo ?? today}` : `between ${computedFrom} and ${computedTo}`}; rule-set version${versions.length === 1 ? '' : 's'} ${versions.join(', ') || 'none'}), at today's workplace. A cell is the share compliant of the people it counts.`,
    ],
    tables: [
      dropEmpty(
        region ? sliceTable(publishTable(table, smallGroup), 'column', region) : publishTable(table, smallGroup),
      ),
    ],
  };
}

/**
 * The statewide forecast (services/analytics/forecast.ts): counted and suppressed statewide; a
 * region's view is its column of those tables (sliceTable).
 */
async function forecastReport(
  db: Db,
  today: LocalDate,
  smallGroup: number,
  region: string | null,
): Promise<TablesReport> {
  const { atRisk, hours, programTypes, computedFrom } = await forecastGroups(db, today);
  const tables = [atRisk, hours].map((cells, i) => {
    const published = publishTable(
      tableFromGroups(FORECAST_TABLES[i]!, withMargins(cells), programTypes, REGION_HEADINGS),
      smallGroup,
    );
    return dropEmpty(region ? sliceTable(published, 'column', region) : published);
  });
  return {
    report: 'forecast',
    from: today,
    to: today,
    region,
    smallGroup,
    notes: [
      `Everyone employed on ${today} with an hours requirement's period running, from their last computed compliance${computedFrom && computedFrom < today ? ` (the oldest computed ${computedFrom})` : ''}, at today's workplace. At risk: at their pace — credited hours per day over the last 365 days, or since their first day employed when that is shorter — the hours applied plus the pace over the days left fall short of the requirement by the period's end (no hours in that time and still short counts too).`,
      `Hours needed before December 31: the sum of those projected shortfalls in periods ending by ${today.slice(0, 4)}-12-31. A cell is hidden when fewer than ${smallGroup} people make it up.`,
    ],
    tables,
  };
}

/** Month or quarter keys from one date to another, so periods nobody trained in still show. */
export function periodsBetween(from: LocalDate, to: LocalDate, period: 'month' | 'quarter'): Heading[] {
  const out: Heading[] = [];
  let year = yearOf(from);
  let month = period === 'month' ? monthOf(from) : Math.floor((monthOf(from) - 1) / 3) * 3 + 1;
  const end = dateOf(yearOf(to), monthOf(to), 1);
  while (dateOf(year, month, 1) <= end) {
    const key = period === 'month' ? `${year}-${String(month).padStart(2, '0')}` : `${year}-Q${(month - 1) / 3 + 1}`;
    out.push({ key, label: key });
    month += period === 'month' ? 1 : 3;
    if (month > 12) {
      month -= 12;
      year++;
    }
  }
  return out;
}

async function trainingReport(
  db: Db,
  query: AnalyticsQuery,
  today: LocalDate,
  smallGroup: number,
  region: string | null,
): Promise<TablesReport> {
  const to = query.to ?? today;
  const { from } = range(query, {
    from: dateOf(monthOf(to) === 12 ? yearOf(to) : yearOf(to) - 1, (monthOf(to) % 12) + 1, 1),
    to,
  });
  const period = query.period ?? 'quarter';
  const [groups, byRegion] = await Promise.all([
    trainingGroups(db, from, to, period, region),
    trainingByRegionGroups(db, from, to),
  ]);
  const table = tableFromGroups(
    {
      id: 'hours_by_topic_and_period',
      title: 'Credited training hours by topic and ' + period,
      rowDimension: 'topic',
      columnDimension: period,
      measure: 'hours',
    },
    groups,
    TOPIC_HEADINGS,
    periodsBetween(from, to, period),
  );
  // Topic by region over the whole range: counted and suppressed statewide; a region's view is its column.
  const regions = publishTable(
    tableFromGroups(
      {
        id: 'hours_by_topic_and_region',
        title: 'Credited training hours by topic and region',
        rowDimension: 'topic',
        columnDimension: 'region',
        measure: 'hours',
      },
      byRegion,
      TOPIC_HEADINGS,
      REGION_HEADINGS,
    ),
    smallGroup,
  );
  return {
    report: 'training-hours',
    from,
    to,
    region,
    smallGroup,
    notes: [
      `Credited clock hours of training completed from ${from} to ${to}${region ? `, by people working in ${regionLabel(region)}` : ''}. A cell is hidden when fewer than ${smallGroup} people earned its hours.`,
    ],
    tables: [publishTable(table, smallGroup), region ? sliceTable(regions, 'column', region) : dropEmpty(regions)],
  };
}

async function demandReport(
  db: Db,
  query: AnalyticsQuery,
  today: LocalDate,
  smallGroup: number,
  region: string | null,
): Promise<DemandReport> {
  const { from, to } = range(query, { from: today, to: addDays(today, 90) });
  const [counts, short, seats] = await Promise.all([
    demandGroups(db, from, to, today, region),
    shortOfHoursGroups(db, today, region),
    seatsLeftByRegion(db, from, to),
  ]);
  const demand = demandRows(
    counts.map((c) => ({
      topic: c.topic,
      region: c.region,
      registered: c.registered,
      waitlisted: c.waitlisted,
      openDeadlines: c.open_deadlines,
      events: c.events,
      seats: c.seats,
      seatsLeft: c.seats_left,
    })),
    smallGroup,
  );
  const owed = hoursOwedRows(
    short.map((s) => {
      const supply = seats.find((x) => x.region === s.region);
      return {
        region: s.region,
        people: s.people,
        short: s.short,
        seatsLeft: supply?.seats_left ?? 0,
        events: supply?.events ?? 0,
      };
    }),
    smallGroup,
  );
  return {
    report: 'demand',
    from,
    to,
    region,
    smallGroup,
    notes: [
      `Events starting from ${from} to ${to}: people registered and waitlisted (at the event's region), against the events offered and their seats. Open deadlines are today's, at the person's workplace. Unmet demand is waitlisted plus open deadlines; the gap is unmet demand less seats left — above zero, training is missing.`,
      'People owing hours: whose last computed compliance still needs hours in a current period or carries a deficit, against seats left in every topic in their region (online events are listed apart).',
    ],
    demand,
    hoursOwed: owed,
    topics: TOPIC_HEADINGS,
    regions: [...REGION_HEADINGS, { key: ONLINE, label: 'Online' }],
  };
}

/** The report as CSV rows: the same cells as the JSON, suppressed cells written as "suppressed". */
export function analyticsCsvRows(report: AnalyticsReport): string[][] {
  if (report.report === 'demand')
    return demandCsvRows(report.demand, report.hoursOwed, { topic: topicLabel, region: regionLabel });
  return tableCsvRows(report.tables);
}
