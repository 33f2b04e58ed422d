/** Effective-dated program settings and the back-fill reach, as the pure calculator applies them. */
import { describe, expect, it } from 'vitest';
import { allocateHours, type CarriedRequirement } from '../../rules/compliance.js';
import { contractMonthTimeline, settingsPieces, type ProgramSettings } from '../../rules/programSettings.js';

const settings = (effectiveFrom: string, over: Partial<ProgramSettings> = {}): ProgramSettings => ({
  effectiveFrom,
  licensed: true,
  licenseExempt: false,
  subsidized: false,
  servesInfants: false,
  contractYearStartMonth: null,
  ...over,
});

describe('program settings over time', () => {
  it('cuts an employment where the settings change, days before the first row taking the first', () => {
    const pieces = settingsPieces(
      [settings('2024-01-01'), settings('2025-01-01', { licensed: false, licenseExempt: true })],
      '2023-06-01',
      null,
      settings('2023-06-01'),
    );
    expect(pieces.map((p) => [p.from, p.to, p.settings.licensed])).toEqual([
      ['2023-06-01', '2024-12-31', true],
      ['2025-01-01', null, false],
    ]);
  });

  it('moves a contract year to a new month when the year running on the change ends', () => {
    const history = [
      settings('2024-01-01', { subsidized: true, contractYearStartMonth: 7 }),
      settings('2025-03-01', { subsidized: true, contractYearStartMonth: 10 }),
    ];
    expect(contractMonthTimeline(history)).toEqual([
      { from: '2024-01-01', month: 7 },
      { from: '2025-07-01', month: 10 },
    ]);
    // On the first day of a contract year, the change is at once.
    expect(
      contractMonthTimeline([history[0]!, settings('2025-07-01', { subsidized: true, contractYearStartMonth: 10 })]),
    ).toEqual([
      { from: '2024-01-01', month: 7 },
      { from: '2025-07-01', month: 10 },
    ]);
  });
});

describe('back-fill reach', () => {
  const requirement = (reach?: CarriedRequirement['params']['backfillReach']): CarriedRequirement => ({
    ruleId: 'r',
    params: {
      requirement: 'licensing-annual-hours',
      label: 'Licensing',
      hours: 12,
      period: 'calendar-year',
      backfill: 'earlier-deficits-first',
      ...(reach && { backfillReach: reach }),
    },
    contractYearStartMonth: null,
    spans: [{ from: '2021-01-04', to: null, organizationId: 1 }],
  });
  const training = [{ id: 1, title: 'Big conference', completedOn: '2024-03-01', creditedHours: 60 }];

  it('reaches back to the first employment when the rule says so (or says nothing)', () => {
    for (const reach of [undefined, 'since-first-employment' as const]) {
      const result = allocateHours(requirement(reach), training, '2024-06-01');
      expect(result.backfill.filled).toEqual(['2021', '2022', '2023']);
    }
  });

  it('reaches only so many years back when the rule gives a number', () => {
    const result = allocateHours(requirement({ yearsBack: 1 }), training, '2024-06-01');
    expect(result.backfill).toEqual({
      reach: { yearsBack: 1 },
      filled: ['2023'],
      explanation: 'Later hours fill earlier periods that fell short, up to 1 year back; filled: 2023.',
    });
    expect(result.periods.map((p) => p.status)).toEqual(['deficit', 'deficit', 'met', 'met']);
  });
});
