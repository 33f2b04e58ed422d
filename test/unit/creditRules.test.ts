/**
 * The worked cases shipped with the rule set (rules/versions/mopd-compliance.cases.json), written
 * out from seed 001 (DESE's professional-development page), run against version 1: the facts of
 * one case and the outcome expected. The same suite gates publication of every later version.
 */
import { describe, expect, it } from 'vitest';
import { compileRuleSet } from '../../rules/engine.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import { shippedWorkedCases } from '../../rules/versions/cases.js';
import { factsOf, runWorkedCases, workedCase } from '../../rules/workedCases.js';

const v1 = compileRuleSet(shippedRuleSets[0]!);

describe('worked cases of rule set v1', () => {
  it('has cases in every scope', () => {
    expect(new Set(shippedWorkedCases.map((c) => c.scope))).toEqual(
      new Set(['training', 'employment', 'career', 'credential', 'enrollment', 'request']),
    );
    expect(new Set(shippedWorkedCases.map((c) => c.id)).size).toBe(shippedWorkedCases.length);
  });

  it.each(shippedWorkedCases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const [outcome] = await runWorkedCases(v1, [c]);
    expect(outcome!.actual).toEqual(outcome!.expected);
    expect(outcome!.passed).toBe(true);
  });

  it('gives every credit decision a reason a person can read', async () => {
    for (const c of shippedWorkedCases.filter((x) => x.scope === 'training')) {
      const decision = await v1.decideCredit(factsOf(c) as never);
      for (const reason of decision.reasons) expect(reason.text.length).toBeGreaterThan(30);
      expect(decision).toMatchObject({ ruleSet: 'mopd-compliance', version: 1 });
    }
  });

  it('fails the cases a changed rule breaks, saying what came out instead', async () => {
    const lowered = structuredClone(shippedRuleSets[0]!);
    lowered.version = 99;
    (
      lowered.rules.find((r) => r.id === 'requirement.licensing-annual-hours')!.event.params as { hours: number }
    ).hours = 10;
    const outcomes = await runWorkedCases(compileRuleSet(lowered), shippedWorkedCases);
    const failed = outcomes.filter((o) => !o.passed);
    expect(failed.map((o) => o.id)).toEqual(['employment.licensed-twelve-hours']);
    expect(failed[0]!.actual).toEqual({
      requirements: ['licensing-annual-hours'],
      hours: { 'licensing-annual-hours': 10 },
    });
  });

  it('refuses a case that expects what its scope cannot say, naming the field', () => {
    const parsed = workedCase.safeParse({
      id: 'x.bad',
      name: 'a broken case',
      scope: 'training',
      facts: { trainee: {} },
      expected: { creditedHours: 'three', reasonCodes: [] },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'expected.creditedHours',
      'facts.trainee',
    ]);
  });
});
