/**
 * What changed between two versions of a rule set, rule by rule and condition by condition, in
 * sentences: "licensing-annual-hours: hours 12 → 10", "added condition: training topic is
 * cpr-first-aid". Rules are matched by id; conditions by where they stand in the rule.
 */
import type { RuleSetDocument } from './schema.js';
import { FACTS, OPERATORS, fieldOf, type RuleScope } from './vocabulary.js';

type Rule = RuleSetDocument['rules'][number];

export interface RuleChange {
  ruleId: string;
  change: 'added' | 'removed' | 'changed';
  description: string;
  /** For a changed rule, each difference as a sentence. */
  details: string[];
}

export interface RuleSetDiff {
  from: number;
  to: number;
  documentChanges: string[];
  rules: RuleChange[];
}

const show = (value: unknown): string => {
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (value && typeof value === 'object' && 'fact' in value) {
    const ref = value as { fact: string; path?: string };
    return `the ${ref.fact} ${fieldOf(ref.path) ?? ''}`.trim();
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
};

/** One condition as a sentence, e.g. "training topic is cpr-first-aid". */
export function describeCondition(
  scope: RuleScope,
  condition: { fact: string; path?: string; operator: string; value: unknown },
): string {
  const name = fieldOf(condition.path);
  const label =
    (name && FACTS[scope]?.[condition.fact]?.[name]?.label) ??
    `${condition.fact} ${name ?? condition.path ?? ''}`.trim();
  const reads = OPERATORS[condition.operator]?.reads ?? condition.operator;
  return `${label} ${reads} ${show(condition.value)}`;
}

/** Every condition of a rule with where it stands: 'all 1', 'any 2 of all 3', 'not of all 1'. */
function conditionsOf(scope: RuleScope, condition: unknown, where = ''): Map<string, string> {
  const found = new Map<string, string>();
  const c = condition as Record<string, unknown>;
  if ('fact' in c) found.set(where || 'the condition', describeCondition(scope, c as never));
  for (const join of ['all', 'any'] as const) {
    if (Array.isArray(c[join]))
      (c[join] as unknown[]).forEach((child, i) =>
        conditionsOf(scope, child, `${join} ${i + 1}${where ? ` of ${where}` : ''}`).forEach((v, k) => found.set(k, v)),
      );
  }
  if (c.not) conditionsOf(scope, c.not, `not${where ? ` of ${where}` : ''}`).forEach((v, k) => found.set(k, v));
  return found;
}

/** A rule's event with its parameters, e.g. "then refresher: requirement infant-safe-sleep-refresher; everyYears 3; ...". */
function describeEvent(rule: Rule): string {
  const params = Object.entries(rule.event.params as Record<string, unknown>).map(
    ([key, value]) => `${key} ${show(value)}`,
  );
  return `then ${rule.event.type}: ${params.join('; ')}`;
}

function ruleDetails(before: Rule, after: Rule): string[] {
  const details: string[] = [];
  if (before.description !== after.description)
    details.push(`description: "${before.description}" → "${after.description}"`);
  if (before.source !== after.source) details.push(`source: "${before.source}" → "${after.source}"`);
  if ((before.priority ?? null) !== (after.priority ?? null))
    details.push(`priority: ${before.priority ?? 'none'} → ${after.priority ?? 'none'}`);
  if (before.scope !== after.scope) details.push(`scope: ${before.scope} → ${after.scope}`);
  if (before.event.type !== after.event.type) details.push(`event: ${before.event.type} → ${after.event.type}`);
  const pb = before.event.params as Record<string, unknown>;
  const pa = after.event.params as Record<string, unknown>;
  for (const key of new Set([...Object.keys(pb), ...Object.keys(pa)])) {
    if (JSON.stringify(pb[key]) === JSON.stringify(pa[key])) continue;
    if (!(key in pb)) details.push(`${key}: set to ${show(pa[key])}`);
    else if (!(key in pa)) details.push(`${key}: removed (was ${show(pb[key])})`);
    else details.push(`${key}: ${show(pb[key])} → ${show(pa[key])}`);
  }
  const cb = conditionsOf(before.scope, before.conditions);
  const ca = conditionsOf(after.scope, after.conditions);
  const beforeTexts = new Set(cb.values());
  const afterTexts = new Set(ca.values());
  for (const [where, text] of ca) {
    if (beforeTexts.has(text)) continue;
    const was = cb.get(where);
    if (was && !afterTexts.has(was)) details.push(`condition (${where}): ${was} → ${text}`);
    else details.push(`added condition (${where}): ${text}`);
  }
  for (const [where, text] of cb) {
    if (afterTexts.has(text)) continue;
    const now = ca.get(where);
    if (now && !beforeTexts.has(now)) continue; // reported as changed above
    details.push(`removed condition (${where}): ${text}`);
  }
  return details;
}

export function diffRuleSets(before: RuleSetDocument, after: RuleSetDocument): RuleSetDiff {
  const documentChanges: string[] = [];
  if (before.title !== after.title) documentChanges.push(`title: "${before.title}" → "${after.title}"`);
  if (before.effectiveFrom !== after.effectiveFrom)
    documentChanges.push(`effective from: ${before.effectiveFrom} → ${after.effectiveFrom}`);
  const old = new Map(before.rules.map((r) => [r.id, r]));
  const rules: RuleChange[] = [];
  for (const rule of after.rules) {
    const was = old.get(rule.id);
    if (!was)
      rules.push({
        ruleId: rule.id,
        change: 'added',
        description: rule.description,
        details: [...conditionsOf(rule.scope, rule.conditions).values()]
          .map((c) => `when ${c}`)
          .concat(describeEvent(rule)),
      });
    else {
      const details = ruleDetails(was, rule);
      if (details.length > 0)
        rules.push({ ruleId: rule.id, change: 'changed', description: rule.description, details });
    }
  }
  const kept = new Set(after.rules.map((r) => r.id));
  for (const rule of before.rules)
    if (!kept.has(rule.id))
      rules.push({ ruleId: rule.id, change: 'removed', description: rule.description, details: [] });
  return { from: before.version, to: after.version, documentChanges, rules };
}
