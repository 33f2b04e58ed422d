/**
 * Employment outcomes are remembered per combination of the facts the rules read: people at the
 * same kind of program share one evaluation, and anything a rule reads still tells them apart.
 */
import { describe, expect, it } from 'vitest';
import { CompiledRuleSet, type EmploymentFacts } from '../../rules/engine.js';
import { parseRuleSetDocument } from '../../rules/schema.js';
import { shippedRuleSets } from '../../rules/versions/index.js';

const facts = (
  over: {
    organization?: Partial<EmploymentFacts['organization']>;
    employment?: Partial<EmploymentFacts['employment']>;
  } = {},
): EmploymentFacts => ({
  organization: {
    licensed: true,
    subsidized: false,
    servesInfants: false,
    contractYearStartMonth: null,
    county: 'Boone',
    programType: 'child_care',
    ...over.organization,
  },
  employment: { role: 'teacher', hireDate: '2025-03-02', endDate: null, ...over.employment },
});

/** Version 1 plus a rule that reads the hire date by comparing it to another fact. */
const withHireDateRule = parseRuleSetDocument({
  ...shippedRuleSets[0]!,
  rules: [
    ...shippedRuleSets[0]!.rules,
    {
      id: 'requirement.test-hired-before-2024',
      scope: 'employment',
      description: 'A test rule that reads the hire date.',
      source: 'test',
      conditions: { all: [{ fact: 'employment', path: '$.hireDate', operator: 'dateBefore', value: '2024-01-01' }] },
      event: {
        type: 'hours-requirement',
        params: {
          requirement: 'test-veterans',
          label: 'Veterans: 2 hours',
          hours: 2,
          period: 'calendar-year',
          backfill: 'none',
        },
      },
    },
  ],
});

describe('memoized employment outcomes', () => {
  it('gives people at the same kind of program the same outcomes, from one evaluation', async () => {
    const rules = new CompiledRuleSet(shippedRuleSets[0]!);
    const first = await rules.employmentOutcomes(
      facts({ employment: { hireDate: '2021-01-04' }, organization: { county: 'Cole' } }),
    );
    const second = await rules.employmentOutcomes(
      facts({ employment: { hireDate: '2025-09-30' }, organization: { county: 'Greene' } }),
    );
    expect(second).toBe(first);
    expect(first.map((o) => o.params.requirement)).toEqual(['licensing-annual-hours']);
  });

  it('reads the role, since a version may exempt roles from the hours (version 1 exempts none)', async () => {
    const rules = new CompiledRuleSet(shippedRuleSets[0]!);
    const volunteer = await rules.employmentOutcomes(facts({ employment: { role: 'volunteer' } }));
    const added = await rules.employmentOutcomes(facts({ employment: { role: 'home_visitor' } }));
    expect(volunteer.map((o) => o.params.requirement)).toEqual(['licensing-annual-hours']);
    expect(added.map((o) => o.params.requirement)).toEqual(['licensing-annual-hours']);
    // A version that lists volunteers as exempt gives them none, and still gives the others theirs.
    const exempting = structuredClone(shippedRuleSets[0]!);
    for (const rule of exempting.rules) {
      const leaves = (rule.conditions as { all?: Array<{ path?: string; value: unknown }> }).all ?? [];
      for (const leaf of leaves) if (leaf.path === '$.role') leaf.value = ['volunteer'];
    }
    const exempt = new CompiledRuleSet(exempting);
    expect(await exempt.employmentOutcomes(facts({ employment: { role: 'volunteer' } }))).toEqual([]);
    expect(
      (await exempt.employmentOutcomes(facts({ employment: { role: 'home_visitor' } }))).map(
        (o) => o.params.requirement,
      ),
    ).toEqual(['licensing-annual-hours']);
  });

  it('tells apart facts the rules read', async () => {
    const rules = new CompiledRuleSet(shippedRuleSets[0]!);
    const licensed = await rules.employmentOutcomes(facts());
    const withInfants = await rules.employmentOutcomes(facts({ organization: { servesInfants: true } }));
    const subsidized = await rules.employmentOutcomes(
      facts({ organization: { licensed: false, subsidized: true, contractYearStartMonth: 7 } }),
    );
    expect(withInfants.map((o) => o.type)).toEqual(['hours-requirement', 'hire-deadline']);
    expect(licensed.map((o) => o.type)).toEqual(['hours-requirement']);
    expect(subsidized.map((o) => o.params.requirement)).toEqual([
      'subsidy-contract-year-hours',
      'subsidy-training-before-sole-supervision',
    ]);
  });

  it('includes a field in the key as soon as a rule reads it', async () => {
    const rules = new CompiledRuleSet(withHireDateRule);
    const veteran = await rules.employmentOutcomes(facts({ employment: { hireDate: '2021-01-04' } }));
    const newcomer = await rules.employmentOutcomes(facts({ employment: { hireDate: '2025-09-30' } }));
    expect(veteran.map((o) => o.params.requirement)).toEqual(['licensing-annual-hours', 'test-veterans']);
    expect(newcomer.map((o) => o.params.requirement)).toEqual(['licensing-annual-hours']);
  });
});
