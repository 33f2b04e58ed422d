/**
 * Refreshers: training on a topic that must be taken again every few years (a `refresher` event,
 * e.g. infant safe sleep every three years). Judged as the person stands on the as-of date, by the
 * employments they hold that day. Pure: no I/O, no clock.
 */
import { addDays, addYears, compareDates, type LocalDate } from './dates.js';
import type { DeadlineStatus } from './domain.js';
import type { RefresherParams } from './schema.js';

/**
 * `met`: credited training on the topic within the last `everyYears` years. `open`: not, but the
 * grace after the person began to carry the refresher has not run out. `overdue`: neither — the
 * person is not compliant until they complete it.
 */
export type RefresherStatus = Extract<DeadlineStatus, 'met' | 'open' | 'overdue'>;

/** A stretch of an employment during which a version made its holder carry the refresher. */
export interface RefresherSpan {
  from: LocalDate;
  /** Last day, inclusive; null while it goes on. */
  to: LocalDate | null;
  organizationId: number;
  ruleSetVersion?: number;
}

export interface CarriedRefresher {
  ruleId: string;
  params: RefresherParams;
  spans: RefresherSpan[];
}

export interface RefresherStanding {
  requirement: string;
  ruleId: string;
  label: string;
  satisfiedByTopic: string;
  everyYears: number;
  /** The programs that make the person carry it on the as-of date. */
  organizationIds: number[];
  /** The day the person began to carry it without a break (hire, or the day a version brought it in). */
  carriedSince: LocalDate;
  lastCompletedOn: LocalDate | null;
  /** The day after which it is overdue. */
  dueOn: LocalDate;
  status: RefresherStatus;
}

export interface RefresherResult extends RefresherStanding {
  lastCompleted: { trainingId: number; title: string; completedOn: LocalDate } | null;
  explanation: string;
}

export type RefresherSummary = Pick<
  RefresherStanding,
  'requirement' | 'label' | 'organizationIds' | 'lastCompletedOn' | 'dueOn' | 'status'
>;

/**
 * The refreshers each employment brings, merged by requirement over every span that carries it.
 * The latest version's parameters describe it.
 */
export function carriedRefreshers(
  outcomes: Array<{ ruleId: string; params: RefresherParams; span: RefresherSpan }>,
): CarriedRefresher[] {
  const carried = new Map<string, CarriedRefresher>();
  for (const { ruleId, params, span } of outcomes) {
    const existing = carried.get(params.requirement);
    if (!existing) {
      carried.set(params.requirement, { ruleId, params, spans: [span] });
      continue;
    }
    if ((span.ruleSetVersion ?? 0) >= Math.max(...existing.spans.map((s) => s.ruleSetVersion ?? 0))) {
      existing.ruleId = ruleId;
      existing.params = params;
    }
    existing.spans.push(span);
  }
  return [...carried.values()];
}

const covers = (span: RefresherSpan, date: LocalDate) =>
  compareDates(span.from, date) <= 0 && (span.to === null || compareDates(span.to, date) >= 0);

/**
 * Where a refresher stands on the as-of date, from the last credited training on its topic; null
 * when no employment held that day carries it. It is due `everyYears` after the last one, and
 * never sooner than `graceDays` after the person began to carry it, so a new hire (or everyone,
 * the day a version brings the refresher in) has the grace to take it.
 */
export function refresherStanding(
  refresher: CarriedRefresher,
  lastCompletedOn: LocalDate | null,
  asOf: LocalDate,
): RefresherStanding | null {
  const current = refresher.spans.filter((s) => covers(s, asOf));
  if (current.length === 0) return null;
  // Back through spans that join without a day's break (versions cut an employment into several).
  let since = current.reduce((min, s) => (compareDates(s.from, min) < 0 ? s.from : min), current[0]!.from);
  for (let moved = true; moved;) {
    moved = false;
    for (const s of refresher.spans) {
      if (compareDates(s.from, since) < 0 && (s.to === null || compareDates(addDays(s.to, 1), since) >= 0)) {
        since = s.from;
        moved = true;
      }
    }
  }
  const { params } = refresher;
  const graceEnds = addDays(since, params.graceDays);
  const expires = lastCompletedOn ? addYears(lastCompletedOn, params.everyYears) : null;
  const dueOn = expires && compareDates(expires, graceEnds) > 0 ? expires : graceEnds;
  const status: RefresherStatus =
    expires && compareDates(asOf, expires) <= 0 ? 'met' : compareDates(asOf, dueOn) <= 0 ? 'open' : 'overdue';
  return {
    requirement: params.requirement,
    ruleId: refresher.ruleId,
    label: params.label,
    satisfiedByTopic: params.satisfiedByTopic,
    everyYears: params.everyYears,
    organizationIds: [...new Set(current.map((s) => s.organizationId))],
    carriedSince: since,
    lastCompletedOn,
    dueOn,
    status,
  };
}

function explain(s: RefresherStanding, title: string | null): string {
  const last = s.lastCompletedOn
    ? `the last, “${title ?? 'training'}”, was completed ${s.lastCompletedOn}`
    : 'none is on record';
  const every = `every ${s.everyYears} year${s.everyYears === 1 ? '' : 's'}`;
  if (s.status === 'met') return `Met: ${last}; due again by ${s.dueOn} (${every}).`;
  if (s.status === 'open') return `Due by ${s.dueOn}: this training is needed ${every} and ${last}.`;
  return `Overdue since ${addDays(s.dueOn, 1)}: this training is needed ${every} and ${last}. Until it is completed this person is not compliant.`;
}

/** Each refresher carried on the as-of date, judged by credited training on its topic completed by then. */
export function evaluateRefreshers(
  refreshers: CarriedRefresher[],
  trainings: Array<{ id: number; title: string; topic?: string; completedOn: LocalDate; creditedHours: number }>,
  asOf: LocalDate,
): RefresherResult[] {
  return refreshers.flatMap((r) => {
    let last: (typeof trainings)[number] | undefined;
    for (const t of trainings) {
      if (t.topic !== r.params.satisfiedByTopic || t.creditedHours <= 0 || compareDates(t.completedOn, asOf) > 0)
        continue;
      if (
        !last ||
        compareDates(t.completedOn, last.completedOn) > 0 ||
        (t.completedOn === last.completedOn && t.id > last.id)
      )
        last = t;
    }
    const standing = refresherStanding(r, last?.completedOn ?? null, asOf);
    if (!standing) return [];
    return [
      {
        ...standing,
        lastCompleted: last ? { trainingId: last.id, title: last.title, completedOn: last.completedOn } : null,
        explanation: explain(standing, last?.title ?? null),
      },
    ];
  });
}

export function summarizeRefresher(r: RefresherStanding): RefresherSummary {
  return {
    requirement: r.requirement,
    label: r.label,
    organizationIds: r.organizationIds,
    lastCompletedOn: r.lastCompletedOn,
    dueOn: r.dueOn,
    status: r.status,
  };
}
