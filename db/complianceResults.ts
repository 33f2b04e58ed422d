import type { Db } from './connection.js';
import type { ComplianceResult } from '../rules/compliance.js';

export interface StoredCompliance {
  professional_id: number;
  as_of: string;
  rule_set: string;
  rule_set_version: number;
  compliant: boolean;
  result: ComplianceResult;
  computed_at: Date;
}

export async function saveCompliance(
  db: Db,
  professionalId: number,
  ruleSet: { ruleSet: string; version: number },
  result: ComplianceResult,
): Promise<void> {
  await db('compliance_results')
    .insert({
      professional_id: professionalId,
      as_of: result.asOf,
      rule_set: ruleSet.ruleSet,
      rule_set_version: ruleSet.version,
      compliant: result.compliant,
      result: JSON.stringify(result),
      computed_at: db.fn.now(),
    })
    .onConflict('professional_id')
    .merge();
}

export function storedCompliance(db: Db, professionalId: number): Promise<StoredCompliance | undefined> {
  return db('compliance_results').where({ professional_id: professionalId }).first();
}
