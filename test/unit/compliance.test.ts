import { describe, expect, it } from 'vitest';
import {
  allocateHours,
  carriedRequirements,
  computeCompliance,
  summarize,
  summaryFromSums,
  type CarriedRequirement,
  type CreditedTraining,
  type PeriodSum,
} from '../../rules/compliance.js';
import type { HoursRequirementParams } from '../../rules/schema.js';

const licensing: HoursRequirementParams = {
  requirement: 'licensing-annual-hours',
  label: 'Licensing: 12 clock hours each calendar year',
  hours: 12,
  period: 'calendar-year',
  backfill: 'earlier-deficits-first',
};
const subsidy: HoursRequirementParams = {
  requirement: 'subsidy-contract-year-hours',
  label: 'Subsidy: 6 clock hours each contract year',
  hours: 6,
  period: 'contract-year',
  backfill: 'none',
};

const carried = (
  params: HoursRequirementParams,
  from: string,
  to: string | null = null,
  month: number | null = null,
): CarriedRequirement => ({
  ruleId: `requirement.${params.requirement}`,
  params,
  contractYearStartMonth: month,
  spans: [{ from, to, organizationId: 1 }],
});

let nextId = 1;
const training = (completedOn: string, creditedHours: number): CreditedTraining => ({
  id: nextId++,
  title: `Training on ${completedOn}`,
  completedOn,
  creditedHours,
});

describe('licensing hours by calendar year', () => {
  it('meets a year with 12 hours completed in it', () => {
    const result = allocateHours(
      carried(licensing, '2024-01-10'),
      [training('2024-03-01', 6), training('2024-09-01', 6)],
      '2024-12-31',
    );
    expect(result.periods).toHaveLength(1);
    expect(result.periods[0]).toMatchObject({ label: '2024', required: 12, earned: 12, applied: 12, status: 'met' });
  });

  it('leaves the current year in progress while it is short and not yet over', () => {
    const result = allocateHours(carried(licensing, '2025-01-01'), [training('2025-03-01', 4)], '2025-06-30');
    expect(result.periods[0]).toMatchObject({ applied: 4, status: 'in_progress' });
  });

  it('marks an ended year that fell short as a deficit', () => {
    const result = allocateHours(carried(licensing, '2024-01-01'), [training('2024-05-01', 5)], '2025-01-01');
    expect(result.periods.map((p) => [p.label, p.status])).toEqual([
      ['2024', 'deficit'],
      ['2025', 'in_progress'],
    ]);
  });

  it('applies new hours to last year before this year', () => {
    const result = allocateHours(
      carried(licensing, '2024-01-01'),
      [training('2024-05-01', 8), training('2025-02-01', 10)],
      '2026-01-01',
    );
    const [y2024, y2025] = result.periods;
    expect(y2024).toMatchObject({ earned: 8, applied: 12, status: 'met' });
    expect(y2024!.allocations.filter((a) => a.backfilled).map((a) => a.hours)).toEqual([4]);
    expect(y2025).toMatchObject({ earned: 10, applied: 6, movedToEarlier: 4, status: 'deficit' });
  });

  it('fills a deficit two years back before the year after it', () => {
    const result = allocateHours(
      carried(licensing, '2023-01-01'),
      [training('2023-06-01', 2), training('2024-06-01', 9), training('2025-03-01', 20)],
      '2026-01-01',
    );
    const [y2023, y2024, y2025] = result.periods;
    // 2024's own 9 hours first fill 2023 (10 short): 2023 gets 9, 2024 nothing of its own.
    // 2025's 20 hours: 1 to 2023, 12 to 2024, 7 stay in 2025.
    expect(y2023).toMatchObject({ applied: 12, status: 'met' });
    expect(y2024).toMatchObject({ earned: 9, applied: 12, movedToEarlier: 9, status: 'met' });
    expect(y2025).toMatchObject({ earned: 20, applied: 7, movedToEarlier: 13, status: 'deficit' });
  });

  it('does not carry surplus hours forward into later years', () => {
    const result = allocateHours(carried(licensing, '2024-01-01'), [training('2024-02-01', 30)], '2026-01-01');
    expect(result.periods.map((p) => p.applied)).toEqual([30, 0, 0]);
    expect(result.periods[1]!.status).toBe('deficit');
  });

  it('requires nothing for years the person was not employed in a licensed program', () => {
    const requirement: CarriedRequirement = {
      ...carried(licensing, '2022-03-01', '2022-11-30'),
      spans: [
        { from: '2022-03-01', to: '2022-11-30', organizationId: 1 },
        { from: '2024-08-01', to: null, organizationId: 2 },
      ],
    };
    const result = allocateHours(requirement, [training('2022-04-01', 12), training('2024-09-01', 12)], '2024-12-31');
    expect(result.periods.map((p) => p.label)).toEqual(['2022', '2024']);
    expect(result.periods.every((p) => p.status === 'met')).toBe(true);
  });

  it('counts a training on Dec 31 toward the year it ends', () => {
    const result = allocateHours(carried(licensing, '2024-01-01'), [training('2024-12-31', 12)], '2025-01-15');
    expect(result.periods[0]).toMatchObject({ label: '2024', status: 'met' });
  });

  it('keeps Dec 31 in progress until the year is over', () => {
    const result = allocateHours(carried(licensing, '2024-01-01'), [training('2024-03-01', 2)], '2024-12-31');
    expect(result.periods[0]!.status).toBe('in_progress');
  });

  it('ignores training completed after the as-of date', () => {
    const result = allocateHours(carried(licensing, '2024-01-01'), [training('2024-07-01', 12)], '2024-06-30');
    expect(result.periods[0]).toMatchObject({ applied: 0, status: 'in_progress' });
  });
});

describe('a hire on December 20', () => {
  it('owes the full 12 hours for the few days of the hire year under version 1 (no pro-rating in the seed)', () => {
    const result = allocateHours(carried(licensing, '2025-12-20'), [training('2025-12-29', 2)], '2026-01-02');
    expect(result.periods.map((p) => [p.label, p.required, p.applied, p.status])).toEqual([
      ['2025', 12, 2, 'deficit'],
      ['2026', 12, 0, 'in_progress'],
    ]);
  });

  it('fills that first year from hours of the next year before the next year counts them', () => {
    const result = allocateHours(carried(licensing, '2025-12-20'), [training('2026-02-01', 15)], '2026-06-30');
    expect(result.periods.map((p) => [p.label, p.applied, p.status])).toEqual([
      ['2025', 12, 'met'],
      ['2026', 3, 'in_progress'],
    ]);
  });
});

describe('subsidy hours by contract year', () => {
  it('splits time at the program’s contract-year start month', () => {
    const result = allocateHours(
      carried(subsidy, '2024-03-15', null, 7),
      [training('2024-06-30', 6), training('2024-07-01', 3)],
      '2025-06-30',
    );
    expect(result.periods.map((p) => [p.label, p.start, p.end, p.applied, p.status])).toEqual([
      ['2023–24', '2023-07-01', '2024-06-30', 6, 'met'],
      ['2024–25', '2024-07-01', '2025-06-30', 3, 'in_progress'],
    ]);
  });

  it('does not back-fill earlier contract years', () => {
    const result = allocateHours(carried(subsidy, '2024-07-01', null, 7), [training('2025-08-01', 10)], '2025-12-31');
    expect(result.periods.map((p) => [p.label, p.applied, p.status])).toEqual([
      ['2024–25', 0, 'deficit'],
      ['2025–26', 10, 'met'],
    ]);
  });
});

describe('training before sole supervision', () => {
  const prerequisite = {
    ruleId: 'prerequisite.subsidy-training-before-sole-supervision',
    params: {
      requirement: 'subsidy-training-before-sole-supervision',
      label: 'Required training before sole supervision',
      satisfiedByTopic: 'health-safety',
      before: 'sole-supervision' as const,
    },
    organizationIds: [4],
  };

  it('is not met until credited training on its topic is completed, and does not make a person non-compliant', () => {
    const before = computeCompliance([], [{ ...training('2026-03-01', 3), topic: 'guidance' }], '2026-03-05', [
      prerequisite,
    ]);
    expect(before.prerequisites[0]).toMatchObject({ met: false, metBy: null });
    expect(before.compliant).toBe(true);
    const safety = { ...training('2026-03-04', 2), topic: 'health-safety', title: 'Health and Safety Basics' };
    const after = computeCompliance([], [safety], '2026-03-05', [prerequisite]);
    expect(after.prerequisites[0]).toMatchObject({
      met: true,
      metBy: { trainingId: safety.id, completedOn: '2026-03-04' },
    });
  });

  it('does not count training with no credit or after the as-of date', () => {
    const uncredited = { ...training('2026-03-04', 0), topic: 'health-safety' };
    const later = { ...training('2026-04-01', 2), topic: 'health-safety' };
    expect(computeCompliance([], [uncredited, later], '2026-03-05', [prerequisite]).prerequisites[0]!.met).toBe(false);
  });
});

describe('a person under several requirements', () => {
  it('is compliant only when no requirement has a deficit', () => {
    const both = [carried(licensing, '2024-01-01'), carried(subsidy, '2024-01-01', null, 10)];
    const result = computeCompliance(both, [training('2024-04-01', 8)], '2025-01-05');
    expect(result.compliant).toBe(false);
    expect(result.requirements.map((r) => r.requirement)).toEqual([
      'licensing-annual-hours',
      'subsidy-contract-year-hours',
    ]);
  });

  it('carries one licensing requirement across two licensed programs but two contract-year schedules', () => {
    const span = (organizationId: number) => ({ from: '2024-01-01', to: null, organizationId });
    const merged = carriedRequirements([
      { ruleId: 'a', params: licensing, contractYearStartMonth: 7, span: span(1) },
      { ruleId: 'a', params: licensing, contractYearStartMonth: 10, span: span(2) },
      { ruleId: 'b', params: subsidy, contractYearStartMonth: 7, span: span(1) },
      { ruleId: 'b', params: subsidy, contractYearStartMonth: 10, span: span(2) },
    ]);
    expect(merged.map((r) => [r.params.requirement, r.contractYearStartMonth, r.spans.length])).toEqual([
      ['licensing-annual-hours', null, 2],
      ['subsidy-contract-year-hours', 7, 1],
      ['subsidy-contract-year-hours', 10, 1],
    ]);
  });
});

describe('requirements that change between rule-set versions', () => {
  // Version 1 asks 12 h a calendar year until 2025-06-30; version 2 asks 15 h from 2025-07-01.
  const v2 = { ...licensing, hours: 15 };
  const employedSince2024 = carriedRequirements([
    {
      ruleId: 'requirement.licensing-annual-hours',
      params: licensing,
      contractYearStartMonth: null,
      span: { from: '2024-02-01', to: '2025-06-30', organizationId: 1, ruleSetVersion: 1 },
    },
    {
      ruleId: 'requirement.licensing-annual-hours',
      params: v2,
      contractYearStartMonth: null,
      span: { from: '2025-07-01', to: null, organizationId: 1, ruleSetVersion: 2 },
    },
  ]);

  it('judges each period by the version in effect when it closed', () => {
    const [requirement] = employedSince2024;
    const result = allocateHours(requirement!, [training('2024-05-01', 12), training('2025-03-01', 12)], '2026-01-15');
    expect(result.periods.map((p) => [p.label, p.required, p.ruleSetVersion, p.status])).toEqual([
      ['2024', 12, 1, 'met'],
      ['2025', 15, 2, 'deficit'],
      ['2026', 15, 2, 'in_progress'],
    ]);
  });

  it('judges the current period by the version in effect on the as-of date', () => {
    const [requirement] = employedSince2024;
    const result = allocateHours(requirement!, [training('2025-03-01', 12)], '2025-05-31');
    expect(result.periods.at(-1)).toMatchObject({
      label: '2025',
      required: 12,
      ruleSetVersion: 1,
      status: 'in_progress',
    });
  });

  it('judges a period the person left mid-way by the version in effect when they left', () => {
    const left = carriedRequirements([
      {
        ruleId: 'requirement.licensing-annual-hours',
        params: licensing,
        contractYearStartMonth: null,
        span: { from: '2025-01-06', to: '2025-05-30', organizationId: 1, ruleSetVersion: 1 },
      },
    ]);
    const result = allocateHours(left[0]!, [], '2026-01-15');
    expect(result.periods).toHaveLength(1);
    expect(result.periods[0]).toMatchObject({ label: '2025', required: 12, ruleSetVersion: 1, status: 'deficit' });
  });

  it('back-fills an earlier deficit up to what its own version required', () => {
    const [requirement] = employedSince2024;
    const result = allocateHours(requirement!, [training('2024-05-01', 10), training('2025-09-01', 17)], '2025-12-31');
    expect(result.periods.map((p) => [p.label, p.required, p.applied])).toEqual([
      ['2024', 12, 12],
      ['2025', 15, 15],
    ]);
  });
});

describe('a new hire’s first period pro-rated by months employed', () => {
  const prorated = { ...licensing, prorateFirstPeriod: 'months-employed' as const };

  it('asks a share of the hours for the months from the month of hire, to the nearest quarter hour', () => {
    const required = (params: HoursRequirementParams, hired: string, month: number | null = null) =>
      allocateHours(
        carriedRequirements([
          { ruleId: 'r', params, contractYearStartMonth: month, span: { from: hired, to: null, organizationId: 1 } },
        ])[0]!,
        [],
        '2027-12-31',
      ).periods.map((p) => [p.label, p.required]);
    expect(required(prorated, '2026-03-16')).toEqual([
      ['2026', 10],
      ['2027', 12],
    ]);
    expect(required({ ...prorated, hours: 10 }, '2026-03-01')).toEqual([
      ['2026', 8.25],
      ['2027', 10],
    ]);
    expect(required({ ...prorated, hours: 15 }, '2026-06-30')).toEqual([
      ['2026', 8.75],
      ['2027', 15],
    ]);
    expect(required({ ...subsidy, prorateFirstPeriod: 'months-employed' }, '2026-03-02', 7)).toEqual([
      ['2025–26', 2],
      ['2026–27', 6],
      ['2027–28', 6],
    ]);
    expect(required(prorated, '2026-01-31')).toEqual([
      ['2026', 12],
      ['2027', 12],
    ]);
  });

  it('explains the share it asks', () => {
    const result = allocateHours(
      carriedRequirements([
        {
          ruleId: 'r',
          params: prorated,
          contractYearStartMonth: null,
          span: { from: '2026-10-01', to: null, organizationId: 1 },
        },
      ])[0]!,
      [training('2026-11-02', 3)],
      '2026-12-01',
    );
    expect(result.periods[0]).toMatchObject({
      required: 3,
      status: 'met',
      prorated: { fullHours: 12, months: 3, of: 12 },
    });
    expect(result.periods[0]!.explanation).toBe(
      '3 of 3 required hours applied (the 12 h pro-rated to the 3 of 12 months from the month employment began): requirement met.',
    );
  });

  it('pro-rates only the period the requirement was first carried in, not a return after a gap', () => {
    const [requirement] = carriedRequirements([
      {
        ruleId: 'r',
        params: prorated,
        contractYearStartMonth: null,
        span: { from: '2022-03-01', to: '2022-11-30', organizationId: 1 },
      },
      {
        ruleId: 'r',
        params: prorated,
        contractYearStartMonth: null,
        span: { from: '2024-08-01', to: null, organizationId: 2 },
      },
    ]);
    expect(allocateHours(requirement!, [], '2024-12-31').periods.map((p) => [p.label, p.required])).toEqual([
      ['2022', 10],
      ['2024', 12],
    ]);
  });

  it('pro-rates a first period only when the version judging it says so', () => {
    // Hired under version 1 (no pro-rating) in March 2025; version 2 pro-rates from 2026.
    const hiredUnderV1 = carriedRequirements([
      {
        ruleId: 'r',
        params: licensing,
        contractYearStartMonth: null,
        span: { from: '2025-03-01', to: '2025-12-31', organizationId: 1, ruleSetVersion: 1 },
      },
      {
        ruleId: 'r',
        params: prorated,
        contractYearStartMonth: null,
        span: { from: '2026-01-01', to: null, organizationId: 1, ruleSetVersion: 2 },
      },
    ]);
    expect(
      allocateHours(hiredUnderV1[0]!, [], '2026-06-30').periods.map((p) => [p.label, p.required, p.ruleSetVersion]),
    ).toEqual([
      ['2025', 12, 1],
      ['2026', 12, 2],
    ]);
    // Hired in March 2026 under version 1; version 2, in effect from July, judges the year as it closes.
    const hiredBeforeV2 = carriedRequirements([
      {
        ruleId: 'r',
        params: licensing,
        contractYearStartMonth: null,
        span: { from: '2026-03-01', to: '2026-06-30', organizationId: 1, ruleSetVersion: 1 },
      },
      {
        ruleId: 'r',
        params: prorated,
        contractYearStartMonth: null,
        span: { from: '2026-07-01', to: null, organizationId: 1, ruleSetVersion: 2 },
      },
    ]);
    expect(
      allocateHours(hiredBeforeV2[0]!, [], '2026-12-31').periods.map((p) => [p.label, p.required, p.ruleSetVersion]),
    ).toEqual([['2026', 10, 2]]);
  });
});

describe('standing from hours summed per period', () => {
  /** A small seeded generator, so a failure can be replayed. */
  const generator = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pad = (n: number) => String(n).padStart(2, '0');

  const matchesEveryTraining = (licensingParams: HoursRequirementParams, subsidyParams: HoursRequirementParams) => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = generator(seed);
      const pick = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
      const date = (year: number) => `${year}-${pad(pick(1, 12))}-${pad(pick(1, 28))}`;
      const month = pick(1, 12);
      const hiredIn = pick(2020, 2024);
      const spans = [{ from: date(hiredIn), to: random() < 0.3 ? date(hiredIn + 1) : null, organizationId: 1 }];
      const requirements = carriedRequirements([
        {
          ruleId: 'requirement.licensing-annual-hours',
          params: licensingParams,
          contractYearStartMonth: month,
          span: spans[0]!,
        },
        {
          ruleId: 'requirement.subsidy-contract-year-hours',
          params: subsidyParams,
          contractYearStartMonth: month,
          span: spans[0]!,
        },
      ]);
      const trainings: CreditedTraining[] = Array.from({ length: pick(0, 30) }, (_, i) => ({
        id: i + 1,
        title: `t${i}`,
        completedOn: date(pick(2019, 2026)),
        creditedHours: pick(0, 24) / 4,
      }));
      const asOf = date(pick(2024, 2026));
      const sums = new Map<string, PeriodSum>();
      for (const anchorMonth of new Set([1, month])) {
        for (const t of trainings) {
          if (t.creditedHours <= 0 || t.completedOn > asOf) continue;
          const [y, m] = [Number(t.completedOn.slice(0, 4)), Number(t.completedOn.slice(5, 7))];
          const periodStart = `${m >= anchorMonth ? y : y - 1}-${pad(anchorMonth)}-01`;
          const key = `${anchorMonth}|${periodStart}`;
          const sum = sums.get(key) ?? { anchorMonth, periodStart, hours: 0 };
          sum.hours += t.creditedHours;
          sums.set(key, sum);
        }
      }
      const expected = summarize(computeCompliance(requirements, trainings, asOf));
      expect(summaryFromSums(requirements, [...sums.values()], asOf, [], new Map()), `seed ${seed}`).toEqual(expected);
    }
  };

  it('matches allocating every training, across back-fill, contract years, gaps and part-year spans', () => {
    matchesEveryTraining(licensing, subsidy);
  });

  it('matches it with first periods pro-rated', () => {
    matchesEveryTraining(
      { ...licensing, prorateFirstPeriod: 'months-employed' },
      { ...subsidy, prorateFirstPeriod: 'months-employed' },
    );
  });
});
