/**
 * A professional's compliance: the facts come from PostgreSQL, the requirements from the rule
 * set in effect, the allocation from the pure calculator in rules/.
 */
import type { Db } from '../db/connection.js';
import { employmentsOf, type EmploymentWithOrganization } from '../db/employments.js';
import { trainingRecordsOf } from '../db/trainingRecords.js';
import type { TrainingRecordRow } from '../db/rows.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import { saveCompliance, storedCompliance } from '../db/complianceResults.js';
import { carriedRequirements, computeCompliance, type CarriedPrerequisite, type ComplianceResult } from '../rules/compliance.js';
import type { CompiledRuleSet, EmploymentFacts } from '../rules/engine.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { localDateOf, type LocalDate } from '../rules/dates.js';

export interface ComplianceReport extends ComplianceResult {
  ruleSet: string;
  ruleSetVersion: number;
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

async function evaluate(db: Db, rules: CompiledRuleSet, professionalId: number, asOf: LocalDate): Promise<ComplianceReport> {
  const [employments, records] = await Promise.all([employmentsOf(db, professionalId), trainingRecordsOf(db, professionalId)]);
  return evaluateLoaded(rules, employments, records, asOf);
}

/** Compliance from rows already loaded (one person's employments with organizations, and records). */
export async function evaluateLoaded(
  rules: CompiledRuleSet,
  employments: EmploymentWithOrganization[],
  records: Array<Pick<TrainingRecordRow, 'id' | 'title' | 'topic' | 'completed_on' | 'credited_hours'>>,
  asOf: LocalDate,
): Promise<ComplianceReport> {
  const outcomes = [];
  const prerequisites = new Map<string, CarriedPrerequisite>();
  for (const employment of employments) {
    for (const outcome of await rules.employmentOutcomes(employmentFacts(employment))) {
      if (outcome.type === 'prerequisite') {
        const carried = prerequisites.get(outcome.params.requirement) ?? { ruleId: outcome.ruleId, params: outcome.params, organizationIds: [] };
        if (!carried.organizationIds.includes(employment.organization_id)) carried.organizationIds.push(employment.organization_id);
        prerequisites.set(outcome.params.requirement, carried);
      }
      if (outcome.type !== 'hours-requirement') continue;
      outcomes.push({
        ruleId: outcome.ruleId,
        params: outcome.params,
        contractYearStartMonth: employment.organization.contract_year_start_month,
        span: { from: employment.hire_date, to: employment.end_date, organizationId: employment.organization_id },
      });
    }
  }
  const trainings = records.map((r) => ({ id: r.id, title: r.title, topic: r.topic, completedOn: r.completed_on, creditedHours: r.credited_hours }));
  const result = computeCompliance(carriedRequirements(outcomes), trainings, asOf, [...prerequisites.values()]);
  return { ...result, ruleSet: rules.ruleSet, ruleSetVersion: rules.version };
}

/** Computes a professional's compliance as of a date under the rule-set version in effect then. */
export async function complianceAsOf(db: Db, professionalId: number, asOf: LocalDate): Promise<ComplianceReport> {
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, asOf);
  return evaluate(db, rules, professionalId, asOf);
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
    return { ...stored.result, ruleSet: stored.rule_set, ruleSetVersion: stored.rule_set_version };
  }
  return refreshCompliance(db, professionalId, now);
}

/**
 * Recomputes and stores today's compliance of many professionals at once: two queries per batch
 * instead of two per person, one upsert per batch. Used after a new rule-set version.
 */
export async function recomputeCompliance(
  db: Db,
  options: { asOf: LocalDate; batchSize?: number; onProgress?: (done: number) => void },
): Promise<number> {
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, options.asOf);
  const batchSize = options.batchSize ?? 2000;
  let after = 0;
  let done = 0;
  for (;;) {
    const ids: number[] = (await db('professionals').where('id', '>', after).orderBy('id').limit(batchSize).select('id')).map((r: { id: number }) => r.id);
    if (ids.length === 0) return done;
    const first = ids[0]!;
    const last = ids.at(-1)!;
    const [employments, records] = await Promise.all([
      db('employments as e').join('organizations as o', 'o.id', 'e.organization_id').whereBetween('e.professional_id', [first, last]).orderBy('e.hire_date').select('e.*', db.raw('to_jsonb(o.*) AS organization')),
      db('training_records').whereBetween('professional_id', [first, last]).orderBy([{ column: 'completed_on' }, { column: 'id' }]).select('id', 'professional_id', 'title', 'topic', 'completed_on', 'credited_hours'),
    ]);
    const employmentsBy = groupBy(employments as EmploymentWithOrganization[], (e) => e.professional_id);
    const recordsBy = groupBy(records as Array<TrainingRecordRow>, (r) => r.professional_id);
    const rows = [];
    for (const id of ids) {
      const report = await evaluateLoaded(rules, employmentsBy.get(id) ?? [], recordsBy.get(id) ?? [], options.asOf);
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
