import type { Db } from './connection.js';
import { compileRuleSet, type CompiledRuleSet } from '../rules/engine.js';
import { parseRuleSetDocument, type RuleSetDocument } from '../rules/schema.js';
import { COMPLIANCE_RULE_SET, shippedRuleSets } from '../rules/versions/index.js';
import { shippedWorkedCases } from '../rules/versions/cases.js';
import { addDays, type LocalDate } from '../rules/dates.js';
import type { SimulationStatus } from '../rules/domain.js';

/** Versions are immutable, so a parsed and compiled version is kept for the life of the process. */
const compiledVersions = new Map<string, CompiledRuleSet>();

async function compiled(db: Db, ruleSet: string, version: number): Promise<CompiledRuleSet> {
  const key = `${ruleSet}@${version}`;
  const cached = compiledVersions.get(key);
  if (cached) return cached;
  const row = await db('rule_set_versions')
    .where({ rule_set: ruleSet, version })
    .first<{ document: unknown }>('document');
  if (!row) throw new Error(`Rule set ${key} is not installed`);
  const engine = compileRuleSet(parseRuleSetDocument(row.document));
  compiledVersions.set(key, engine);
  return engine;
}

/** The published version in effect on a date: the latest one whose effective date has come. */
export async function ruleSetInEffect(db: Db, ruleSet: string, on: LocalDate): Promise<CompiledRuleSet> {
  const row = await db('rule_set_versions')
    .where({ rule_set: ruleSet })
    .whereIn('status', ['published', 'superseded'])
    .where('effective_from', '<=', on)
    .orderBy('effective_from', 'desc')
    .orderBy('version', 'desc')
    .first<{ version: number } | undefined>('version');
  if (!row) throw new Error(`No version of rule set ${ruleSet} is in effect on ${on}`);
  return compiled(db, ruleSet, row.version);
}

/** A version and the stretch of days it was (or is) the one in effect. */
export interface VersionInEffect {
  from: LocalDate;
  /** Last day in effect, inclusive; null while it still is. */
  to: LocalDate | null;
  rules: CompiledRuleSet;
}

/**
 * The versions in effect from the first one up to a date, oldest first: each is in effect from
 * its effective date until the day before the next one's. Of two versions with the same
 * effective date the later one wins.
 */
export async function ruleSetTimeline(db: Db, ruleSet: string, upTo: LocalDate): Promise<VersionInEffect[]> {
  const rows: Array<{ version: number; effective_from: LocalDate }> = await db('rule_set_versions')
    .where({ rule_set: ruleSet })
    .whereIn('status', ['published', 'superseded'])
    .where('effective_from', '<=', upTo)
    .orderBy([{ column: 'effective_from' }, { column: 'version' }])
    .select('version', 'effective_from');
  const latestPerDay = new Map<LocalDate, number>();
  for (const row of rows) latestPerDay.set(row.effective_from, row.version);
  const days = [...latestPerDay.keys()];
  if (days.length === 0) throw new Error(`No version of rule set ${ruleSet} is in effect on ${upTo}`);
  // In turn, not in parallel: the caller's handle may be a transaction (one connection).
  const timeline: VersionInEffect[] = [];
  for (const [i, from] of days.entries()) {
    timeline.push({
      from,
      to: i + 1 < days.length ? addDays(days[i + 1]!, -1) : null,
      rules: await compiled(db, ruleSet, latestPerDay.get(from)!),
    });
  }
  return timeline;
}

export function ruleSetVersion(db: Db, ruleSet: string, version: number): Promise<CompiledRuleSet> {
  return compiled(db, ruleSet, version);
}

/** Installs the versions and worked cases shipped with the code; existing ones stay as they are. */
export async function installShippedRuleSets(db: Db, documents: RuleSetDocument[] = shippedRuleSets): Promise<void> {
  for (const document of documents) {
    await db('rule_set_versions')
      .insert({
        rule_set: document.ruleSet,
        version: document.version,
        status: 'published',
        effective_from: document.effectiveFrom,
        document: JSON.stringify(document),
        change_note: document.title,
      })
      .onConflict(['rule_set', 'version'])
      .ignore();
  }
  // The worked cases shipped with the rule set start its suite; cases policy staff changed stay.
  await db('rule_set_cases')
    .insert(
      shippedWorkedCases.map((c) => ({ rule_set: COMPLIANCE_RULE_SET, case_id: c.id, definition: JSON.stringify(c) })),
    )
    .onConflict(['rule_set', 'case_id'])
    .ignore();
}

/** Whether a rule set has a version of this number (a draft or published). */
export async function ruleSetVersionExists(db: Db, ruleSet: string, version: number): Promise<boolean> {
  return (await db('rule_set_versions').where({ rule_set: ruleSet, version }).first('version')) !== undefined;
}

/** A scheduled publication's status and the workflow that waits for its date. */
export function findPublicationStatus(
  db: Db,
  id: number,
): Promise<{ status: string; workflow_id: string } | undefined> {
  return db('rule_set_publications')
    .where({ id })
    .first<{ status: string; workflow_id: string } | undefined>('status', 'workflow_id');
}

export interface RuleSetSimulationRow {
  id: number;
  rule_set: string;
  version: number;
  as_of: LocalDate;
  status: SimulationStatus;
  compared_with_version: number | null;
  total: number;
  done: number;
  error: string | null;
  result: unknown;
  workflow_id: string;
  requested_by_user_id: number | null;
  created_at: Date;
  finished_at: Date | null;
}

export function findSimulation(db: Db, id: number): Promise<RuleSetSimulationRow | undefined> {
  return db('rule_set_simulations').where({ id }).first<RuleSetSimulationRow | undefined>();
}

/** Saves a what-if run asked for, and answers its id. */
export async function insertSimulation(
  db: Db,
  input: { ruleSet: string; version: number; asOf: LocalDate; workflowId: string; requestedByUserId: number },
): Promise<number> {
  const [saved] = await db('rule_set_simulations')
    .insert({
      rule_set: input.ruleSet,
      version: input.version,
      as_of: input.asOf,
      workflow_id: input.workflowId,
      requested_by_user_id: input.requestedByUserId,
    })
    .returning('id');
  return Number((saved as { id: number }).id);
}
