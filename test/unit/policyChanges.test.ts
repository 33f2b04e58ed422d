/**
 * Two policy changes made entirely as data (rules/versions/examples): each draft validates, passes
 * its worked cases and the shipped suite, fails under version 1 where it should (so the cases tell
 * the versions apart), and reads as the change in the diff against version 1.
 */
import { describe, expect, it } from 'vitest';
import { carriedBy } from '../../rules/carried.js';
import { complianceFacts } from '../../rules/complianceCases.js';
import { computeCompliance, summarize, summaryFromSums, type PeriodSum } from '../../rules/compliance.js';
import { diffRuleSets } from '../../rules/diff.js';
import { compileRuleSet } from '../../rules/engine.js';
import type { RuleSetDocument } from '../../rules/schema.js';
import { validateRuleSet } from '../../rules/validate.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import { shippedWorkedCases } from '../../rules/versions/cases.js';
import { policyChangeExamples } from '../../rules/versions/examples/index.js';
import { runWorkedCases, type WorkedCase } from '../../rules/workedCases.js';

const v1 = shippedRuleSets[0]!;

const example = (name: string) => {
  const found = policyChangeExamples.find((e) => e.name === name)!;
  const validation = validateRuleSet(found.document);
  if (!validation.ok) throw new Error(`${name}: ${JSON.stringify(validation.problems)}`);
  return { ...found, document: validation.document };
};

/** The rule set's whole suite as the draft would be published with it: its cases replace shipped ones of the same id. */
const suiteWith = (cases: WorkedCase[]) => [
  ...shippedWorkedCases.filter((s) => !cases.some((c) => c.id === s.id)),
  ...cases,
];

const failures = async (document: RuleSetDocument, cases: WorkedCase[]) =>
  (await runWorkedCases(compileRuleSet(document), cases))
    .filter((o) => !o.passed)
    .map((o) => ({ id: o.id, expected: o.expected, actual: o.actual }));

describe.each(policyChangeExamples.map((e) => [e.name]))('the policy change %s', (name) => {
  it('is a version 2 of the same rule set with no problems', () => {
    expect(validateRuleSet(policyChangeExamples.find((e) => e.name === name)!.document)).toMatchObject({
      ok: true,
      problems: [],
    });
    expect(example(name).document).toMatchObject({ ruleSet: v1.ruleSet, version: 2 });
  });

  it('passes its own worked cases and the rest of the shipped suite', async () => {
    const { document, cases } = example(name);
    expect(cases.length).toBeGreaterThanOrEqual(5);
    expect(await failures(document, suiteWith(cases))).toEqual([]);
  });

  it('is worked out the same from hours summed per period as from every training', async () => {
    const { document, cases } = example(name);
    const rules = compileRuleSet(document);
    for (const c of cases.filter((x) => x.scope === 'compliance')) {
      const facts = complianceFacts.parse(c.facts);
      const employments = facts.employments.map((e, i) => ({
        organizationId: i + 1,
        contractYearStartMonth: (e.organization?.contractYearStartMonth as number | undefined) ?? null,
        facts: {
          organization: {
            licensed: true,
            subsidized: false,
            servesInfants: false,
            contractYearStartMonth: null,
            county: 'Boone',
            ...e.organization,
          } as never,
          employment: { role: e.role ?? 'teacher', hireDate: e.hireDate, endDate: e.endDate ?? null },
        },
      }));
      const carried = await carriedBy([{ from: '2000-01-01', to: null, rules }], employments);
      const trainings = facts.trainings.map((t, i) => ({
        id: i + 1,
        title: `t${i}`,
        topic: t.topic,
        completedOn: t.completedOn,
        creditedHours: t.creditedHours,
      }));
      const counted = trainings.filter((t) => t.creditedHours > 0 && t.completedOn <= facts.asOf);
      const sums = new Map<string, PeriodSum>();
      for (const anchorMonth of new Set([
        1,
        ...employments.flatMap((e) => (e.contractYearStartMonth ? [e.contractYearStartMonth] : [])),
      ])) {
        for (const t of counted) {
          const [y, m] = [Number(t.completedOn.slice(0, 4)), Number(t.completedOn.slice(5, 7))];
          const periodStart = `${m >= anchorMonth ? y : y - 1}-${String(anchorMonth).padStart(2, '0')}-01`;
          const sum = sums.get(`${anchorMonth}|${periodStart}`) ?? { anchorMonth, periodStart, hours: 0 };
          sum.hours += t.creditedHours;
          sums.set(`${anchorMonth}|${periodStart}`, sum);
        }
      }
      const byTopic = (pick: (a: string, b: string) => boolean) => {
        const found = new Map<string, string>();
        for (const t of counted)
          if (t.topic && (!found.has(t.topic) || pick(t.completedOn, found.get(t.topic)!)))
            found.set(t.topic, t.completedOn);
        return found;
      };
      const expected = summarize(
        computeCompliance(carried.requirements, trainings, facts.asOf, carried.prerequisites, carried.refreshers),
      );
      const fromSums = summaryFromSums(
        carried.requirements,
        [...sums.values()],
        facts.asOf,
        carried.prerequisites,
        byTopic((a, b) => a < b),
        carried.refreshers,
        byTopic((a, b) => a > b),
      );
      expect(fromSums, c.id).toEqual(expected);
    }
  });
});

describe('a new hire’s first year pro-rated', () => {
  it('fails under version 1 exactly where a first year is pro-rated', async () => {
    const { cases } = example('prorated-first-year');
    expect((await failures(v1, cases)).map((f) => f.id)).toEqual([
      'compliance.prorated.hired-in-march-owes-ten-hours-that-year',
      'compliance.prorated.hired-december-20-owes-one-hour',
      'compliance.prorated.short-first-year-back-filled-to-its-pro-rated-hours',
      'compliance.prorated.moving-to-another-licensed-program-starts-no-new-first-year',
    ]);
  });

  it('says what version 1 asks instead: the full 12 hours for a few days of December', async () => {
    const { cases } = example('prorated-first-year');
    const [december] = await failures(
      v1,
      cases.filter((c) => c.id === 'compliance.prorated.hired-december-20-owes-one-hour'),
    );
    expect(december!.actual).toEqual({
      compliant: false,
      requirements: {
        'licensing-annual-hours': {
          periods: {
            2025: { required: 12, applied: 2, status: 'deficit' },
            2026: { required: 12, applied: 0, status: 'in_progress' },
          },
        },
      },
    });
  });

  it('reads in the diff against version 1 as the licensing rule now pro-rating the first period', () => {
    const diff = diffRuleSets(v1, example('prorated-first-year').document);
    expect(diff.rules.map((r) => [r.ruleId, r.change])).toEqual([['requirement.licensing-annual-hours', 'changed']]);
    expect(diff.rules[0]!.details).toContain('prorateFirstPeriod: set to months-employed');
    expect(diff.rules[0]!.details).toContain(
      'label: Licensing: 12 clock hours each calendar year → Licensing: 12 clock hours each calendar year (1 a month in the year of hire)',
    );
  });
});

describe('infant safe-sleep training again every three years', () => {
  it('fails under version 1 wherever the refresher is carried', async () => {
    const { cases } = example('safe-sleep-refresher');
    expect((await failures(v1, cases)).map((f) => f.id)).toEqual([
      'employment.licensed-infants-safe-sleep',
      'compliance.refresher.new-hire-has-thirty-days',
      'compliance.refresher.new-hire-without-it-after-thirty-days-is-overdue',
      'compliance.refresher.training-at-an-earlier-job-counts',
      'compliance.refresher.more-than-three-years-ago-is-overdue',
      'compliance.refresher.taken-again-in-time',
    ]);
  });

  it('says what version 1 does instead: compliant, with no refresher at all', async () => {
    const { cases } = example('safe-sleep-refresher');
    const [stale] = await failures(
      v1,
      cases.filter((c) => c.id === 'compliance.refresher.more-than-three-years-ago-is-overdue'),
    );
    expect(stale!.actual).toMatchObject({ compliant: true, requirements: { 'infant-safe-sleep-refresher': null } });
  });

  it('reads in the diff against version 1 as one added rule with its parameters', () => {
    const diff = diffRuleSets(v1, example('safe-sleep-refresher').document);
    expect(diff.rules).toEqual([
      {
        ruleId: 'refresher.infant-safe-sleep-every-three-years',
        change: 'added',
        description: expect.stringMatching(/again every three years/),
        details: [
          'when licensed program is true',
          'when serves infants is true',
          'then refresher: requirement infant-safe-sleep-refresher; label Infant safe-sleep training every 3 years; satisfiedByTopic infant-safe-sleep; everyYears 3; graceDays 30',
        ],
      },
    ]);
  });

  it('is a contradiction when a second rule asks the same refresher of the same people at another interval', () => {
    const { document } = example('safe-sleep-refresher');
    const twice = structuredClone(document);
    const rule = structuredClone(twice.rules.find((r) => r.id === 'refresher.infant-safe-sleep-every-three-years')!);
    rule.id = 'refresher.infant-safe-sleep-every-two-years';
    (rule.event.params as { everyYears: number }).everyYears = 2;
    twice.rules.push(rule);
    const validation = validateRuleSet(twice);
    expect(validation.ok).toBe(false);
    expect(validation.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/disagree about "infant-safe-sleep-refresher": everyYears 3 against 2/),
    ]);
  });
});
