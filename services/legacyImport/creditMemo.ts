/**
 * Credit decisions for many trainings at once, each the one `CompiledRuleSet.decideCredit` gives.
 * The engine runs per record; a legacy batch has a million records but few distinct credit
 * situations. Whether a rule fires depends only on the fact paths its own conditions read, so each
 * training rule is evaluated once per distinct combination of *its* reads (the DESE online rules
 * read the completion date, the others mostly course properties: a few thousand evaluations in
 * all); the decision then depends only on which rules fired and on the hours, and is taken from
 * the engine once per such combination. A rule that reads in a way this cannot follow (a fact
 * with params, a path with brackets) turns memoizing off: every training goes to the engine.
 */
import { CompiledRuleSet, type CreditDecision, type TrainingFacts } from '../../rules/engine.js';

type Reads = Array<string[]>;

/** The (fact, path keys) a rule's conditions read, facts used as values included; null if unfollowable. */
function readsOf(conditions: unknown): Reads | null {
  const reads: Reads = [];
  const visit = (condition: unknown): boolean => {
    if (typeof condition !== 'object' || condition === null) return true;
    const c = condition as Record<string, unknown>;
    if (Array.isArray(c.all)) return c.all.every(visit);
    if (Array.isArray(c.any)) return c.any.every(visit);
    if ('not' in c) return visit(c.not);
    if (typeof c.fact !== 'string' || c.params !== undefined) return false;
    const path = c.path as string | undefined;
    if (path !== undefined && !/^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path)) return false;
    reads.push([c.fact, ...(path ? path.slice(2).split('.') : [])]);
    const value = c.value as Record<string, unknown> | null;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'fact' in value)
      return visit({ ...value, operator: 'equal', value: null });
    return true;
  };
  return visit(conditions) ? reads : null;
}

function keyOf(reads: Reads, facts: TrainingFacts): string {
  let key = '';
  for (const [fact, ...keys] of reads) {
    let value: unknown = (facts as unknown as Record<string, unknown>)[fact!];
    for (const k of keys)
      value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[k];
    // Plain values as they are (a string marked as one); anything else as JSON. \u0001 ends each.
    key +=
      value === undefined
        ? '\u0000'
        : typeof value === 'string' && !value.includes('\u0001')
          ? `s${value}`
          : typeof value === 'number' || typeof value === 'boolean' || value === null
            ? String(value)
            : JSON.stringify(value);
    key += '\u0001';
  }
  return key;
}

export class CreditMemo {
  private readonly perRule: Array<{ reads: Reads; single: CompiledRuleSet; fired: Map<string, boolean> }> | null;
  private readonly decisions = new Map<string, CreditDecision>();
  /** Engine runs made (per-rule and whole), for the benchmark's report. */
  evaluations = 0;

  constructor(private readonly rules: CompiledRuleSet) {
    const training = rules.document.rules.filter((r) => r.scope === 'training');
    const perRule = training.map((rule) => ({ rule, reads: readsOf(rule.conditions) }));
    this.perRule = perRule.every((r) => r.reads !== null)
      ? perRule.map(({ rule, reads }) => ({
          reads: reads!,
          single: new CompiledRuleSet({ ...rules.document, rules: [rule] }),
          fired: new Map<string, boolean>(),
        }))
      : null;
  }

  async decide(facts: TrainingFacts): Promise<CreditDecision> {
    if (!this.perRule) {
      this.evaluations++;
      return this.rules.decideCredit(facts);
    }
    let key = `${facts.training.hours}|${facts.training.inPersonHours}|`;
    for (const rule of this.perRule) {
      const ruleKey = keyOf(rule.reads, facts);
      let fired = rule.fired.get(ruleKey);
      if (fired === undefined) {
        this.evaluations++;
        fired = (await rule.single.decideCredit(facts)).reasons.length > 0;
        rule.fired.set(ruleKey, fired);
      }
      key += fired ? '1' : '0';
    }
    let decision = this.decisions.get(key);
    if (!decision) {
      this.evaluations++;
      decision = await this.rules.decideCredit(facts);
      this.decisions.set(key, decision);
    }
    return decision;
  }
}
