/**
 * A professional's compliance: the facts come from PostgreSQL, the requirements from the rule
 * set in effect, the allocation from the pure calculator in rules/.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { employmentsOf, type EmploymentWithOrganization } from '../db/employments.js';
import { trainingRecordsOf } from '../db/trainingRecords.js';
import type { TrainingRecordRow } from '../db/rows.js';
import { ruleSetTimeline, type VersionInEffect } from '../db/ruleSets.js';
import { saveCompliance, storedCompliance } from '../db/complianceResults.js';
import { carriedRequirements, computeCompliance, type CarriedPrerequisite, type ComplianceResult } from '../rules/compliance.js';
import type { EmploymentFacts } from '../rules/engine.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { localDateOf, type LocalDate } from '../rules/dates.js';

export interface ComplianceReport extends ComplianceResult {
  /** The rule set and the version in effect on the as-of date. */
  ruleSet: string;
  ruleSetVersion: number;
  /** Every version that judged some of the time covered, with the days it was in effect. */
  versionsApplied: Array<{ version: number; from: LocalDate; to: LocalDate | null }>;
}

export function employmentFacts(employment: EmploymentWithOrganization): EmploymentFacts {
  const o = employment.organization;
  return {
    organization: {
      licensed: o.licensed,
      subsidized: o.subsidized,
      servesInfants: o.serves_infants,
      contractYearStartMonth: o.contract_year_start_month,
      county: o.county,
    },
    employment: { role: employment.role, hireDate: employment.hire_date, endDate: employment.end_date },
  };
}

async function evaluate(db: Db, timeline: VersionInEffect[], professionalId: number, asOf: LocalDate): Promise<ComplianceReport> {
  const [employments, records] = await Promise.all([employmentsOf(db, professionalId), trainingRecordsOf(db, professionalId)]);
  return evaluateLoaded(timeline, employments, records, asOf);
}

/**
 * Compliance from rows already loaded (one person's employments with organizations, and records).
 * Each employment is judged, day by day, by the version in effect on that day: its span is cut
 * where versions change, and each piece carries what its version requires. Prerequisites are
 * what the version in effect on the as-of date asks.
 */
export async function evaluateLoaded(
  timeline: VersionInEffect[],
  employments: EmploymentWithOrganization[],
  records: Array<Pick<TrainingRecordRow, 'id' | 'title' | 'topic' | 'completed_on' | 'credited_hours'>>,
  asOf: LocalDate,
): Promise<ComplianceReport> {
  const outcomes = [];
  const prerequisites = new Map<string, CarriedPrerequisite>();
  const current = timeline.at(-1)!;
  const severalVersions = timeline.length > 1;
  for (const segment of timeline) {
    for (const employment of employments) {
      const from = segment.from > employment.hire_date ? segment.from : employment.hire_date;
      const to = segment.to === null ? employment.end_date : employment.end_date === null || segment.to < employment.end_date ? segment.to : employment.end_date;
      if (to !== null && to < from) continue;
      for (const outcome of await segment.rules.employmentOutcomes(employmentFacts(employment))) {
        if (outcome.type === 'prerequisite' && segment === current) {
          const carried = prerequisites.get(outcome.params.requirement) ?? { ruleId: outcome.ruleId, params: outcome.params, organizationIds: [] };
          if (!carried.organizationIds.includes(employment.organization_id)) carried.organizationIds.push(employment.organization_id);
          prerequisites.set(outcome.params.requirement, carried);
        }
        if (outcome.type !== 'hours-requirement') continue;
        outcomes.push({
          ruleId: outcome.ruleId,
          params: outcome.params,
          contractYearStartMonth: employment.organization.contract_year_start_month,
          span: { from, to, organizationId: employment.organization_id, hours: outcome.params.hours, ...(severalVersions && { ruleSetVersion: segment.rules.version }) },
        });
      }
    }
  }
  const trainings = records.map((r) => ({ id: r.id, title: r.title, topic: r.topic, completedOn: r.completed_on, creditedHours: r.credited_hours }));
  const result = computeCompliance(carriedRequirements(outcomes), trainings, asOf, [...prerequisites.values()]);
  return {
    ...result,
    ruleSet: current.rules.ruleSet,
    ruleSetVersion: current.rules.version,
    versionsApplied: timeline.map((v) => ({ version: v.rules.version, from: v.from, to: v.to })),
  };
}

/** Computes a professional's compliance as of a date under the rule-set version in effect then. */
export async function complianceAsOf(db: Db, professionalId: number, asOf: LocalDate): Promise<ComplianceReport> {
  return evaluate(db, await ruleSetTimeline(db, COMPLIANCE_RULE_SET, asOf), professionalId, asOf);
}

/** Recomputes today's compliance and stores it; call after anything that changes it. */
export async function refreshCompliance(db: Db, professionalId: number, now: Date = new Date()): Promise<ComplianceReport> {
  const report = await complianceAsOf(db, professionalId, localDateOf(now));
  await saveCompliance(db, professionalId, { ruleSet: report.ruleSet, version: report.ruleSetVersion }, report);
  return report;
}

/**
 * Today's compliance: the stored result when it was computed today, otherwise a fresh one (a new
 * day can end a period, so yesterday's result may be stale).
 */
export async function currentCompliance(db: Db, professionalId: number, now: Date = new Date()): Promise<ComplianceReport> {
  const stored = await storedCompliance(db, professionalId);
  if (stored && stored.as_of === localDateOf(now)) {
    const result = stored.result as ComplianceReport;
    return { ...result, ruleSet: stored.rule_set, ruleSetVersion: stored.rule_set_version, versionsApplied: result.versionsApplied ?? [] };
  }
  return refreshCompliance(db, professionalId, now);
}

/** Compliance of several people as of one date, from two queries (staff reports). */
export async function complianceOfMany(db: Db, professionalIds: number[], asOf: LocalDate): Promise<Map<number, ComplianceReport>> {
  const timeline = await ruleSetTimeline(db, COMPLIANCE_RULE_SET, asOf);
  const { employmentsBy, recordsBy } = await loadMany(db, (q, column) => q.whereIn(column, professionalIds));
  const reports = new Map<number, ComplianceReport>();
  for (const id of professionalIds) reports.set(id, await evaluateLoaded(timeline, employmentsBy.get(id) ?? [], recordsBy.get(id) ?? [], asOf));
  return reports;
}

/** Employments (with organizations) and records of the people a filter selects, grouped by person. */
async function loadMany(db: Db, filter: (query: Knex.QueryBuilder, column: string) => Knex.QueryBuilder) {
  const [employments, records] = await Promise.all([
    filter(db('employments as e').join('organizations as o', 'o.id', 'e.organization_id'), 'e.professional_id').orderBy('e.hire_date').select('e.*', db.raw('to_jsonb(o.*) AS organization')),
    filter(db('training_records'), 'professional_id').orderBy([{ column: 'completed_on' }, { column: 'id' }]).select('id', 'professional_id', 'title', 'topic', 'completed_on', 'credited_hours'),
  ]);
  return {
    employmentsBy: groupBy(employments as EmploymentWithOrganization[], (e) => e.professional_id),
    recordsBy: groupBy(records as TrainingRecordRow[], (r) => r.professional_id),
  };
}

/**
 * Recomputes and stores today's compliance of many professionals at once: two queries per batch
 * instead of two per person, one upsert per batch. Used after a new rule-set version.
 */
export async function recomputeCompliance(
  db: Db,
  options: { asOf: LocalDate; batchSize?: number; onProgress?: (done: number) => void },
): Promise<number> {
  const timeline = await ruleSetTimeline(db, COMPLIANCE_RULE_SET, options.asOf);
  const batchSize = options.batchSize ?? 2000;
  let after = 0;
  let done = 0;
  for (;;) {
    const ids: number[] = (await db('professionals').where('id', '>', after).orderBy('id').limit(batchSize).select('id')).map((r: { id: number }) => r.id);
    if (ids.length === 0) return done;
    const first = ids[0]!;
    const last = ids.at(-1)!;
    const { employmentsBy, recordsBy } = await loadMany(db, (q, column) => q.whereBetween(column, [first, last]));
    const rows = [];
    for (const id of ids) {
      const report = await evaluateLoaded(timeline, employmentsBy.get(id) ?? [], recordsBy.get(id) ?? [], options.asOf);
      rows.push({ professional_id: id, as_of: options.asOf, rule_set: report.ruleSet, rule_set_version: report.ruleSetVersion, compliant: report.compliant, result: JSON.stringify(report), computed_at: db.fn.now() });
    }
    await db('compliance_results').insert(rows).onConflict('professional_id').merge();
    done += ids.length;
    after = last;
    options.onProgress?.(done);
  }
}

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
