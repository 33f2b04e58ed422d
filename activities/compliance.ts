/**
 * A professional's compliance: the facts come from PostgreSQL, the requirements from the rule
 * set in effect, the allocation from the pure calculator in rules/.
 */
import type { Db } from '../db/connection.js';
import { employmentsOf, type EmploymentWithOrganization } from '../db/employments.js';
import { trainingRecordsOf } from '../db/trainingRecords.js';
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
