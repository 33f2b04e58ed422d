import { describe, expect, it } from 'vitest';
import { compileRuleSet, type EmploymentFacts, type TrainingFacts } from '../../rules/engine.js';
import { parseRuleSetDocument } from '../../rules/schema.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import { trainingFacts } from '../support/trainingFacts.js';

const v1 = compileRuleSet(shippedRuleSets[0]!);

const organization = (over: Partial<EmploymentFacts['organization']>): EmploymentFacts => ({
  organization: {
    licensed: false,
    subsidized: false,
    servesInfants: false,
    contractYearStartMonth: null,
    county: 'Boone',
    programType: 'child_care',
    ...over,
  },
  employment: { role: 'teacher', hireDate: '2026-03-02', endDate: null },
});

const training = (over: Partial<TrainingFacts['training']>): TrainingFacts =>
  trainingFacts({ sponsor: 'DESE OOC', topic: 'health-safety', ...over });

describe('rule set mopd-compliance version 1', () => {
  it('gives a licensed program 12 hours a calendar year with back-fill', async () => {
    const outcomes = await v1.employmentOutcomes(organization({ licensed: true }));
    expect(outcomes).toEqual([
      expect.objectContaining({
        type: 'hours-requirement',
        params: expect.objectContaining({ hours: 12, period: 'calendar-year', backfill: 'earlier-deficits-first' }),
      }),
    ]);
  });

  it('gives a subsidized program 6 hours a contract year and training before sole supervision', async () => {
    const outcomes = await v1.employmentOutcomes(organization({ subsidized: true, contractYearStartMonth: 7 }));
    expect(outcomes.map((o) => [o.type, o.params.requirement])).toEqual([
      ['hours-requirement', 'subsidy-contract-year-hours'],
      ['prerequisite', 'subsidy-training-before-sole-supervision'],
    ]);
    expect(outcomes[1]!.params).toMatchObject({ satisfiedByTopic: 'health-safety', before: 'sole-supervision' });
  });

  it('adds the 30-day safe-sleep deadline only at licensed programs serving infants', async () => {
    const withInfants = await v1.employmentOutcomes(organization({ licensed: true, servesInfants: true }));
    expect(withInfants.find((o) => o.type === 'hire-deadline')?.params).toMatchObject({
      withinDays: 30,
      satisfiedByTopic: 'infant-safe-sleep',
    });
    const exemptWithInfants = await v1.employmentOutcomes(
      organization({ subsidized: true, servesInfants: true, contractYearStartMonth: 1 }),
    );
    expect(exemptWithInfants.some((o) => o.type === 'hire-deadline')).toBe(false);
  });

  it('requires nothing of a program that is neither licensed nor subsidized', async () => {
    expect(await v1.employmentOutcomes(organization({}))).toEqual([]);
  });

  it('credits approved training in full and names the version', async () => {
    expect(await v1.decideCredit(training({ hours: 3 }))).toEqual({
      creditedHours: 3,
      reasons: [],
      ruleSet: 'mopd-compliance',
      version: 1,
    });
  });

  it('credits unapproved training nothing, with a reason a person understands', async () => {
    const decision = await v1.decideCredit(training({ approved: false }));
    expect(decision.creditedHours).toBe(0);
    expect(decision.reasons).toEqual([
      expect.objectContaining({ code: 'not-approved', ruleId: 'credit.approved-training-only' }),
    ]);
    expect(decision.reasons[0]!.text).toMatch(/not approved/);
  });
});

describe('the rule-set document schema', () => {
  it('rejects an event parameter of the wrong type, naming the field', () => {
    const broken = structuredClone(shippedRuleSets[0]!) as unknown as {
      rules: Array<{ id: string; event: { params: Record<string, unknown> } }>;
    };
    broken.rules.find((r) => r.id === 'requirement.licensing-annual-hours')!.event.params.hours = 'twelve';
    const attempt = () => parseRuleSetDocument(broken);
    expect(attempt).toThrow(/hours/);
  });

  it('rejects two rules with the same id', () => {
    const doc = structuredClone(shippedRuleSets[0]!);
    doc.rules[1]!.id = doc.rules[0]!.id;
    expect(() => parseRuleSetDocument(doc)).toThrow(/used twice/);
  });
});
