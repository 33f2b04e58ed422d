/**
 * The compliance calculator: given the hour requirements a person carries and their credited
 * training, it splits time into periods, allocates hours to periods and explains every step.
 * Pure: no I/O, no clock (the as-of date is an input).
 */
import { addDays, addYears, compareDates, dateOf, minDate, monthOf, yearOf, type LocalDate } from './dates.js';
import type { PeriodStatus } from './domain.js';
import type { HoursRequirementParams, PrerequisiteParams } from './schema.js';
import {
  evaluateRefreshers,
  refresherStanding,
  summarizeRefresher,
  type CarriedRefresher,
  type RefresherResult,
  type RefresherSummary,
} from './refreshers.js';

export type { CarriedRefresher, RefresherResult, RefresherSummary } from './refreshers.js';

/** A stretch of time during which a requirement applied (an employment, or part of one). */
export interface Span {
  from: LocalDate;
  /** Last day, inclusive; null while it goes on. */
  to: LocalDate | null;
  organizationId: number;
  /**
   * Required hours per period and the rule-set version that says so, when the requirement comes
   * from a version in effect for only part of the time; otherwise the requirement's own hours.
   */
  hours?: number;
  ruleSetVersion?: number;
  /** Whether that version pro-rates the first period (the requirement's `prorateFirstPeriod`). */
  prorateFirstPeriod?: HoursRequirementParams['prorateFirstPeriod'];
}

/** One requirement a person carries, with the employments that make them carry it. */
export interface CarriedRequirement {
  ruleId: string;
  params: HoursRequirementParams;
  /** First month of the contract year, for contract-year periods. */
  contractYearStartMonth: number | null;
  spans: Span[];
}

export interface CreditedTraining {
  id: number;
  title: string;
  topic?: string;
  completedOn: LocalDate;
  creditedHours: number;
}

/** A training that must come before something (e.g. sole supervision at a subsidized program). */
export interface CarriedPrerequisite {
  ruleId: string;
  params: PrerequisiteParams;
  organizationIds: number[];
}

export interface PrerequisiteResult {
  requirement: string;
  ruleId: string;
  label: string;
  before: PrerequisiteParams['before'];
  organizationIds: number[];
  met: boolean;
  metBy: { trainingId: number; title: string; completedOn: LocalDate } | null;
  explanation: string;
}

export interface Allocation {
  trainingId: number;
  title: string;
  completedOn: LocalDate;
  hours: number;
  /** True when the hours were completed in a later period and moved back to fill this one. */
  backfilled: boolean;
}

/** How a first period's hours were pro-rated: `fullHours` × `months` ÷ `of`, to the quarter hour. */
export interface Proration {
  fullHours: number;
  /** Months of the period from the one the person began to carry the requirement in. */
  months: number;
  /** Months in the period. */
  of: number;
}

export interface PeriodResult {
  label: string;
  start: LocalDate;
  end: LocalDate;
  required: number;
  /** Present only when the period is a first period its version pro-rates. */
  prorated?: Proration;
  /** The rule-set version whose requirement this period is judged by, when several applied over time. */
  ruleSetVersion: number | null;
  /** Credited hours completed within this period. */
  earned: number;
  /** Hours counted toward this period, from its own training and from later back-fill. */
  applied: number;
  /** Hours of this period's training that went to earlier periods instead. */
  movedToEarlier: number;
  status: PeriodStatus;
  allocations: Allocation[];
  explanation: string;
}

export interface RequirementResult {
  requirement: string;
  ruleId: string;
  label: string;
  period: HoursRequirementParams['period'];
  contractYearStartMonth: number | null;
  periods: PeriodResult[];
  /** How far back-fill reaches under the rule, and the periods (labels) later training filled. */
  backfill: {
    reach: 'none' | 'since-first-employment' | { yearsBack: number };
    filled: string[];
    explanation: string;
  };
}

export interface ComplianceResult {
  asOf: LocalDate;
  compliant: boolean;
  requirements: RequirementResult[];
  prerequisites: PrerequisiteResult[];
  /** Training due again every few years, as it stands on the as-of date. */
  refreshers: RefresherResult[];
}

interface Period {
  label: string;
  start: LocalDate;
  end: LocalDate;
  /** Hours this period requires, and the rule-set version that requires them (when known). */
  required: number;
  ruleSetVersion: number | null;
  prorated?: Proration;
}

const round = (hours: number) => Math.round(hours * 100) / 100;

interface PeriodBounds {
  label: string;
  start: LocalDate;
  end: LocalDate;
  /** The period after this one, worked out on first use. */
  next?: PeriodBounds;
}

/** Periods depend only on the month a date falls in: each is worked out once per process. */
const periodByMonth = new Map<string, PeriodBounds>();

function periodContaining(
  date: LocalDate,
  kind: HoursRequirementParams['period'],
  startMonth: number | null,
): PeriodBounds {
  const key = `${kind}|${startMonth ?? ''}|${date.slice(0, 7)}`;
  let period = periodByMonth.get(key);
  if (!period) {
    period = periodOf(date, kind, startMonth);
    periodByMonth.set(key, period);
  }
  return period;
}

function periodOf(date: LocalDate, kind: HoursRequirementParams['period'], startMonth: number | null): PeriodBounds {
  const year = yearOf(date);
  if (kind === 'calendar-year') {
    return { label: String(year), start: dateOf(year, 1, 1), end: dateOf(year, 12, 31) };
  }
  const month = startMonth ?? 1;
  const startYear = monthOf(date) >= month ? year : year - 1;
  const start = dateOf(startYear, month, 1);
  const end = addDays(dateOf(startYear + 1, month, 1), -1);
  const label = month === 1 ? String(startYear) : `${startYear}–${String(startYear + 1).slice(2)}`;
  return { label, start, end };
}

const monthsFrom = (from: LocalDate, to: LocalDate) =>
  (yearOf(to) - yearOf(from)) * 12 + monthOf(to) - monthOf(from) + 1;

/**
 * A new hire's first period, when its version says so: the hours × the period's months from the
 * month the person began to carry the requirement ÷ the period's months, to the nearest quarter
 * hour. The first period is the one in which the earliest span starts: moving between programs
 * that carry the same requirement, or coming back after a gap, starts no new first period.
 */
function prorateFirstPeriod(
  periods: Map<string, Period & { prorate?: Span['prorateFirstPeriod'] }>,
  requirement: CarriedRequirement,
  asOf: LocalDate,
): void {
  let began: LocalDate | null = null;
  for (const span of requirement.spans)
    if (compareDates(span.from, asOf) <= 0 && (began === null || compareDates(span.from, began) < 0)) began = span.from;
  if (began === null) return;
  const first = periods.get(
    periodContaining(began, requirement.params.period, requirement.contractYearStartMonth).start,
  );
  if (first?.prorate !== 'months-employed') return;
  const months = monthsFrom(began, first.end);
  const of = monthsFrom(first.start, first.end);
  if (months >= of) return;
  first.prorated = { fullHours: first.required, months, of };
  first.required = Math.round((first.required * months * 4) / of) / 4;
}

/**
 * The periods, up to the as-of date, that overlap at least one span. A period requires what the
 * span reaching latest into it says: the rules in effect when the period closed (or on the as-of
 * date, or when the person left) decide it, including whether a first period is pro-rated.
 */
function periodsOf(requirement: CarriedRequirement, asOf: LocalDate): Period[] {
  const periods = new Map<string, Period & { governedUntil: LocalDate; prorate?: Span['prorateFirstPeriod'] }>();
  for (const span of requirement.spans) {
    if (compareDates(span.from, asOf) > 0) continue;
    const last = span.to ? minDate(span.to, asOf) : asOf;
    let cursor = periodContaining(span.from, requirement.params.period, requirement.contractYearStartMonth);
    while (compareDates(cursor.start, last) <= 0) {
      const reach = minDate(cursor.end, last);
      const existing = periods.get(cursor.start);
      if (!existing || compareDates(reach, existing.governedUntil) > 0) {
        const { label, start, end } = cursor;
        periods.set(cursor.start, {
          label,
          start,
          end,
          required: span.hours ?? requirement.params.hours,
          ruleSetVersion: span.ruleSetVersion ?? null,
          governedUntil: reach,
          prorate: span.prorateFirstPeriod,
        });
      }
      cursor.next ??= periodContaining(
        addDays(cursor.end, 1),
        requirement.params.period,
        requirement.contractYearStartMonth,
      );
      cursor = cursor.next;
    }
  }
  prorateFirstPeriod(periods, requirement, asOf);
  return [...periods.values()]
    .sort((a, b) => compareDates(a.start, b.start))
    .map(({ label, start, end, required, ruleSetVersion, prorated }) => ({
      label,
      start,
      end,
      required,
      ruleSetVersion,
      ...(prorated && { prorated }),
    }));
}

function explain(period: PeriodResult, filledFrom: string[] = []): string {
  const p = period.prorated;
  const prorated = p
    ? ` (the ${p.fullHours} h pro-rated to the ${p.months} of ${p.of} months from the month employment began)`
    : '';
  const parts = [`${period.applied} of ${period.required} required hours applied${prorated}`];
  const backfilled = round(period.allocations.filter((a) => a.backfilled).reduce((sum, a) => sum + a.hours, 0));
  if (backfilled > 0) parts.push(`${backfilled} h back-filled from later training`);
  if (period.movedToEarlier > 0)
    parts.push(
      `${period.movedToEarlier} h of this period's training went to earlier years that fell short${
        filledFrom.length ? ` (${filledFrom.join(', ')})` : ''
      }`,
    );
  const status =
    period.status === 'met'
      ? 'requirement met'
      : period.status === 'deficit'
        ? `short by ${round(period.required - period.applied)} h`
        : 'in progress';
  return `${parts.join('; ')}: ${status}.`;
}

/** What back-fill did for a requirement, in one sentence. */
function explainBackfill(reach: RequirementResult['backfill']['reach'], filled: string[]): string {
  if (reach === 'none') return 'Hours count only in the period they were completed in (no back-fill).';
  const how =
    reach === 'since-first-employment'
      ? 'Later hours fill earlier periods that fell short, back to the first employment'
      : `Later hours fill earlier periods that fell short, up to ${reach.yearsBack} ${reach.yearsBack === 1 ? 'year' : 'years'} back`;
  return filled.length ? `${how}; filled: ${filled.join(', ')}.` : `${how}; none needed filling.`;
}

/** Allocates training hours to one requirement's periods. */
export function allocateHours(
  requirement: CarriedRequirement,
  trainings: CreditedTraining[],
  asOf: LocalDate,
  options: { explain?: boolean } = {},
): RequirementResult {
  const periods = periodsOf(requirement, asOf);
  const results: PeriodResult[] = periods.map((p) => ({
    label: p.label,
    start: p.start,
    end: p.end,
    required: p.required,
    ...(p.prorated && { prorated: p.prorated }),
    ruleSetVersion: p.ruleSetVersion,
    earned: 0,
    applied: 0,
    movedToEarlier: 0,
    status: 'in_progress',
    allocations: [],
    explanation: '',
  }));
  const byStart = new Map(results.map((r) => [r.start, r]));
  const reach = requirement.params.backfillReach ?? 'since-first-employment';
  /** For each period, the earlier periods its training filled. */
  const filledFrom = new Map<PeriodResult, string[]>();
  const ordered = trainings
    .filter((t) => t.creditedHours > 0 && compareDates(t.completedOn, asOf) <= 0)
    .sort((a, b) => compareDates(a.completedOn, b.completedOn) || a.id - b.id);

  for (const training of ordered) {
    let remaining = training.creditedHours;
    const own = byStart.get(
      periodContaining(training.completedOn, requirement.params.period, requirement.contractYearStartMonth).start,
    );
    if (own) own.earned = round(own.earned + training.creditedHours);
    if (requirement.params.backfill === 'earlier-deficits-first') {
      // Seed 001: completed hours go first to earlier years that fell short, oldest first,
      // then to the current year; as far back as the rule's reach allows.
      const reachFrom =
        reach === 'since-first-employment'
          ? null
          : addYears(
              periodContaining(training.completedOn, requirement.params.period, requirement.contractYearStartMonth)
                .start,
              -reach.yearsBack,
            );
      for (const earlier of results) {
        if (remaining <= 0 || compareDates(earlier.end, training.completedOn) >= 0) break;
        if (reachFrom !== null && compareDates(earlier.start, reachFrom) < 0) continue;
        const deficit = round(earlier.required - earlier.applied);
        if (deficit <= 0) continue;
        const hours = Math.min(deficit, remaining);
        earlier.applied = round(earlier.applied + hours);
        earlier.allocations.push({
          trainingId: training.id,
          title: training.title,
          completedOn: training.completedOn,
          hours,
          backfilled: true,
        });
        if (own) {
          own.movedToEarlier = round(own.movedToEarlier + hours);
          const list = filledFrom.get(own) ?? filledFrom.set(own, []).get(own)!;
          if (!list.includes(earlier.label)) list.push(earlier.label);
        }
        remaining = round(remaining - hours);
      }
    }
    if (own && remaining > 0) {
      own.applied = round(own.applied + remaining);
      own.allocations.push({
        trainingId: training.id,
        title: training.title,
        completedOn: training.completedOn,
        hours: remaining,
        backfilled: false,
      });
    }
  }

  for (const period of results) {
    period.status =
      period.applied >= period.required ? 'met' : compareDates(period.end, asOf) < 0 ? 'deficit' : 'in_progress';
    if (options.explain !== false) period.explanation = explain(period, filledFrom.get(period));
  }
  const filled = results.filter((p) => p.allocations.some((a) => a.backfilled)).map((p) => p.label);
  const backfillReach = requirement.params.backfill === 'none' ? 'none' : reach;
  return {
    requirement: requirement.params.requirement,
    ruleId: requirement.ruleId,
    label: requirement.params.label,
    period: requirement.params.period,
    contractYearStartMonth: requirement.contractYearStartMonth,
    periods: results,
    backfill: {
      reach: backfillReach,
      filled,
      explanation: explainBackfill(backfillReach, filled),
    },
  };
}

/** Whether each prerequisite is met by credited training on its topic completed by the as-of date. */
export function evaluatePrerequisites(
  prerequisites: CarriedPrerequisite[],
  trainings: CreditedTraining[],
  asOf: LocalDate,
): PrerequisiteResult[] {
  return prerequisites.map((p) => {
    const found = trainings
      .filter(
        (t) => t.topic === p.params.satisfiedByTopic && t.creditedHours > 0 && compareDates(t.completedOn, asOf) <= 0,
      )
      .sort((a, b) => compareDates(a.completedOn, b.completedOn))[0];
    return {
      requirement: p.params.requirement,
      ruleId: p.ruleId,
      label: p.params.label,
      before: p.params.before,
      organizationIds: p.organizationIds,
      met: found !== undefined,
      metBy: found ? { trainingId: found.id, title: found.title, completedOn: found.completedOn } : null,
      explanation: found
        ? `Met by “${found.title}”, completed ${found.completedOn}.`
        : 'Not met yet: until it is, this person may not be given sole responsibility for supervising children.',
    };
  });
}

/**
 * Hour requirements and refreshers decide whether a person is compliant: a period short of hours
 * or an overdue refresher makes them not. Prerequisites are reported beside them (an unmet one
 * limits what the person may be given to do, it is not a deficit).
 */
export function computeCompliance(
  requirements: CarriedRequirement[],
  trainings: CreditedTraining[],
  asOf: LocalDate,
  prerequisites: CarriedPrerequisite[] = [],
  refreshers: CarriedRefresher[] = [],
): ComplianceResult {
  const results = requirements.map((r) => allocateHours(r, trainings, asOf));
  const refresherResults = evaluateRefreshers(refreshers, trainings, asOf);
  const compliant =
    results.every((r) => r.periods.every((p) => p.status !== 'deficit')) &&
    refresherResults.every((r) => r.status !== 'overdue');
  return {
    asOf,
    compliant,
    requirements: results,
    prerequisites: evaluatePrerequisites(prerequisites, trainings, asOf),
    refreshers: refresherResults,
  };
}

/**
 * Merges the requirements each employment brings into the set a person carries: the same
 * requirement from two programs is carried once over the union of their spans, except that
 * contract-year requirements of programs with different contract years are carried separately.
 */
export function carriedRequirements(
  outcomes: Array<{
    ruleId: string;
    params: HoursRequirementParams;
    contractYearStartMonth: number | null;
    span: Span;
  }>,
): CarriedRequirement[] {
  // Each span remembers the hours its own version requires, so versions can differ over time.
  const carried = new Map<string, CarriedRequirement>();
  for (const outcome of outcomes) {
    const anchor = outcome.params.period === 'contract-year' ? outcome.contractYearStartMonth : null;
    const key = `${outcome.params.requirement}@${anchor ?? ''}`;
    const existing = carried.get(key);
    const prorate = outcome.span.prorateFirstPeriod ?? outcome.params.prorateFirstPeriod;
    const span = {
      ...outcome.span,
      hours: outcome.span.hours ?? outcome.params.hours,
      ...(prorate && { prorateFirstPeriod: prorate }),
    };
    if (existing) {
      existing.spans.push(span);
      // The latest version's wording (label, back-fill) describes the requirement as a whole.
      if ((span.ruleSetVersion ?? 0) >= Math.max(...existing.spans.map((s) => s.ruleSetVersion ?? 0))) {
        existing.ruleId = outcome.ruleId;
        existing.params = outcome.params;
      }
    } else
      carried.set(key, {
        ruleId: outcome.ruleId,
        params: outcome.params,
        contractYearStartMonth: anchor,
        spans: [span],
      });
  }
  return [...carried.values()];
}

/** What lists and reports need of a result, small enough to store for everyone after a recompute. */
export interface ComplianceSummary {
  asOf: LocalDate;
  compliant: boolean;
  requirements: Array<{
    requirement: string;
    label: string;
    /** The period containing the as-of date (or the last one the person was employed in). */
    period: string;
    required: number;
    applied: number;
    status: PeriodStatus;
    /** Hours short in earlier periods, still unfilled. */
    deficitsCarried: number;
  }>;
  prerequisites: Array<{ requirement: string; label: string; met: boolean; organizationIds: number[] }>;
  refreshers: RefresherSummary[];
}

function summarizeRequirement(r: RequirementResult): ComplianceSummary['requirements'][number] {
  const current = r.periods.at(-1);
  const deficitsCarried = r.periods
    .slice(0, -1)
    .reduce((sum, p) => sum + (p.status === 'deficit' ? p.required - p.applied : 0), 0);
  return {
    requirement: r.requirement,
    label: r.label,
    period: current?.label ?? '',
    required: current?.required ?? 0,
    applied: current?.applied ?? 0,
    status: current?.status ?? 'met',
    deficitsCarried: round(deficitsCarried),
  };
}

export function summarize(result: ComplianceResult): ComplianceSummary {
  return {
    asOf: result.asOf,
    compliant: result.compliant,
    requirements: result.requirements.map(summarizeRequirement),
    prerequisites: result.prerequisites.map((p) => ({
      requirement: p.requirement,
      label: p.label,
      met: p.met,
      organizationIds: p.organizationIds,
    })),
    refreshers: result.refreshers.map(summarizeRefresher),
  };
}

/** Credited hours a person completed in one period, summed by the database for a statewide recompute. */
export interface PeriodSum {
  /** The month periods of this kind start in: 1 for calendar years, the program's month for contract years. */
  anchorMonth: number;
  periodStart: LocalDate;
  hours: number;
}

/**
 * The same standing as `summarize(computeCompliance(...))`, from hours summed per period instead of
 * one row per training. It is equal because back-fill is greedy and oldest-first: a period's
 * trainings, taken one by one in date order, fill the same earlier deficits as their sum taken at
 * once. `firstCreditedOnTopic` holds, per topic, the first credited training by the as-of date;
 * `lastCreditedOnTopic` the last (refreshers count from it).
 */
export function summaryFromSums(
  requirements: CarriedRequirement[],
  sums: PeriodSum[],
  asOf: LocalDate,
  prerequisites: CarriedPrerequisite[],
  firstCreditedOnTopic: ReadonlyMap<string, LocalDate>,
  refreshers: CarriedRefresher[] = [],
  lastCreditedOnTopic: ReadonlyMap<string, LocalDate> = new Map(),
): ComplianceSummary {
  const results = requirements.map((r) => {
    const anchor = r.params.period === 'calendar-year' ? 1 : (r.contractYearStartMonth ?? 1);
    const lumps = sums
      .filter((s) => s.anchorMonth === anchor && compareDates(s.periodStart, asOf) <= 0)
      .map((s, i) => ({
        id: i + 1,
        title: `Hours completed in the period from ${s.periodStart}`,
        completedOn: s.periodStart,
        creditedHours: s.hours,
      }));
    // Only the summary is kept, so the sentences explaining each period are not written.
    return allocateHours(r, lumps, asOf, { explain: false });
  });
  const refresherSummaries = refreshers.flatMap((r) => {
    const standing = refresherStanding(r, lastCreditedOnTopic.get(r.params.satisfiedByTopic) ?? null, asOf);
    return standing ? [summarizeRefresher(standing)] : [];
  });
  return {
    asOf,
    compliant:
      results.every((r) => r.periods.every((p) => p.status !== 'deficit')) &&
      refresherSummaries.every((r) => r.status !== 'overdue'),
    requirements: results.map(summarizeRequirement),
    prerequisites: prerequisites.map((p) => ({
      requirement: p.params.requirement,
      label: p.params.label,
      met: firstCreditedOnTopic.has(p.params.satisfiedByTopic),
      organizationIds: p.organizationIds,
    })),
    refreshers: refresherSummaries,
  };
}
