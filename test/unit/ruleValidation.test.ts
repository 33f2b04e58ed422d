/** The rule-set validator: shape, then meaning, each problem naming the rule and field in words. */
import { describe, expect, it } from 'vitest';
import { registryCodesNamedBy, validateRuleSet, type Problem } from '../../rules/validate.js';
import { shippedRuleSets } from '../../rules/versions/index.js';

const v1 = shippedRuleSets[0]!;
type Rule = (typeof v1.rules)[number];
const ruleOf = (id: string): Rule => structuredClone(v1.rules.find((r) => r.id === id)!);
/** v1 with one rule replaced (or added). */
function withRule(rule: unknown, replacing?: string) {
  const doc = structuredClone(v1) as unknown as { rules: unknown[] };
  const at = replacing ? doc.rules.findIndex((r) => (r as Rule).id === replacing) : -1;
  if (at >= 0) doc.rules[at] = rule;
  else doc.rules.push(rule);
  return doc;
}
const problems = (input: unknown): Problem[] => {
  const result = validateRuleSet(input);
  return result.ok ? [] : result.problems;
};

describe('validating a rule set', () => {
  it('finds nothing wrong with the shipped version 1', () => {
    expect(problems(v1)).toEqual([]);
  });

  it('names an unknown fact, field and operator, and says what there is instead', () => {
    const rule = ruleOf('credit.not-while-in-ratio');
    rule.conditions = { all: [{ fact: 'trainee', path: '$.inRatio', operator: 'equal', value: true }] };
    expect(problems(withRule(rule, rule.id))).toEqual([
      {
        ruleId: rule.id,
        path: expect.stringMatching(/^rules\.\d+\.conditions\.all\.0\.fact$/),
        message: expect.stringMatching(/"trainee" is not a fact of training rules; they read training, history/),
      },
    ]);
    rule.conditions = { all: [{ fact: 'training', path: '$.inRation', operator: 'equal', value: true }] };
    expect(problems(withRule(rule, rule.id))[0]!.message).toMatch(/training has no field "inRation"/);
    rule.conditions = { all: [{ fact: 'training', path: '$.inRatio', operator: 'equals', value: true }] };
    expect(problems(withRule(rule, rule.id))[0]).toMatchObject({
      path: expect.stringMatching(/operator$/),
      message: expect.stringMatching(/"equals" is not an operator/),
    });
  });

  it('catches values of the wrong type', () => {
    const rule = ruleOf('credit.not-while-in-ratio');
    rule.conditions = { all: [{ fact: 'training', path: '$.inRatio', operator: 'equal', value: 'yes' }] };
    expect(problems(withRule(rule, rule.id))[0]).toMatchObject({
      ruleId: rule.id,
      message: 'counted in ratio with children is true or false, not "yes"',
    });
    rule.conditions = { all: [{ fact: 'training', path: '$.hours', operator: 'greaterThan', value: '3' }] };
    expect(problems(withRule(rule, rule.id))[0]!.message).toBe('greaterThan needs a number, not "3"');
    rule.conditions = {
      all: [{ fact: 'training', path: '$.completedOn', operator: 'dateAfter', value: '12/31/2026' }],
    };
    expect(problems(withRule(rule, rule.id))[0]!.message).toMatch(/needs a date written YYYY-MM-DD/);
    rule.conditions = { all: [{ fact: 'training', path: '$.topic', operator: 'greaterThan', value: 3 }] };
    expect(problems(withRule(rule, rule.id))[0]!.message).toMatch(/"greaterThan" compares numbers; topic is text/);
  });

  it('finds rules that can never fire', () => {
    const rule = ruleOf('credit.cpr-online-only-not-allowed');
    rule.conditions = {
      all: [
        { fact: 'training', path: '$.delivery', operator: 'equal', value: 'online' },
        { fact: 'training', path: '$.delivery', operator: 'equal', value: 'blended' },
      ],
    };
    expect(problems(withRule(rule, rule.id))[0]!.message).toBe(
      'this rule can never fire: training.delivery cannot be both "online" and "blended"',
    );
    rule.conditions = {
      all: [
        { fact: 'training', path: '$.hours', operator: 'greaterThan', value: 10 },
        { fact: 'training', path: '$.hours', operator: 'lessThan', value: 5 },
      ],
    };
    expect(problems(withRule(rule, rule.id))[0]!.message).toMatch(
      /can never fire: .*cannot be more than 10 and less than 5/,
    );
    rule.conditions = { all: [{ fact: 'training', path: '$.delivery', operator: 'equal', value: 'in-person' }] };
    expect(problems(withRule(rule, rule.id)).map((p) => p.message)).toContain(
      'this rule can never fire: delivery is never "in-person"',
    );
  });

  it('finds two rules that contradict each other', () => {
    const lower = ruleOf('requirement.licensing-annual-hours');
    lower.id = 'requirement.licensing-annual-hours-lowered';
    (lower.event.params as { hours: number }).hours = 10;
    const found = problems(withRule(lower));
    expect(found).toEqual([
      {
        ruleId: lower.id,
        path: expect.any(String),
        message: expect.stringMatching(
          /rules requirement\.licensing-annual-hours and requirement\.licensing-annual-hours-lowered both apply to the same people and disagree about "licensing-annual-hours": hours 12 against 10/,
        ),
      },
    ]);
    // Different people (a condition neither shares) is not a contradiction.
    lower.conditions = { all: [{ fact: 'organization', path: '$.county', operator: 'equal', value: 'Boone' }] };
    expect(problems(withRule(lower))).toEqual([]);
  });

  it('says plainly when a requirement has no period, and points at the rule', () => {
    const rule = ruleOf('requirement.licensing-annual-hours') as unknown as {
      event: { params: Record<string, unknown> };
      id: string;
    };
    delete rule.event.params.period;
    const [first] = problems(withRule(rule, rule.id));
    expect(first).toMatchObject({ ruleId: rule.id, path: expect.stringMatching(/^rules\.\d+\.event/) });
    expect(first!.message).toMatch(/every parameter it needs .* a period/);
  });

  it('refuses a code the registry no longer offers, unless told a version in effect names it', () => {
    const rule = ruleOf('deadline.infant-safe-sleep-after-hire') as unknown as {
      id: string;
      conditions: { all: unknown[] };
    };
    rule.conditions.all.push({ fact: 'employment', path: '$.role', operator: 'in', value: ['teacher', 'floater'] });
    const doc = withRule(rule, rule.id);
    const at = (doc.rules as Array<{ id: string }>).findIndex((r) => r.id === rule.id);
    const registry = { programTypes: ['child_care'], professionalRoles: ['teacher', 'floater'] };
    expect(validateRuleSet(doc, registry).ok).toBe(true);
    const refused = validateRuleSet(doc, {
      ...registry,
      inactive: { programTypes: [], professionalRoles: ['floater'] },
    });
    expect(refused.ok ? [] : refused.problems).toEqual([
      {
        ruleId: rule.id,
        path: `rules.${at}.conditions.all.${rule.conditions.all.length - 1}.value.1`,
        message: expect.stringMatching(
          new RegExp(`^rule ${rule.id} names the professional role "floater", which the registry marks inactive`),
        ),
      },
    ]);
    // What a published version names, the service leaves out of the inactive codes.
    expect(registryCodesNamedBy(doc as never).professionalRoles).toEqual(
      expect.arrayContaining(['teacher', 'floater']),
    );
  });
});
