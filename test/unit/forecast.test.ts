import { describe, expect, it } from 'vitest';
import { forecastPeriod, paceWindow, willFallShort } from '../../rules/forecast.js';
import { periodEndOfLabel, personForecast } from '../../services/analytics/forecast.js';

const yearEnd = '2026-12-31';

describe('paceWindow', () => {
  it('looks back 365 days, today included, for someone employed longer', () => {
    expect(paceWindow('2026-12-07', '2020-03-01')).toEqual({
      from: '2025-12-08',
      to: '2026-12-07',
      days: 365,
      basis: 'twelve-months',
    });
  });

  it('measures a recent hire over their days employed and says so', () => {
    expect(paceWindow('2026-12-07', '2026-09-08')).toEqual({
      from: '2026-09-08',
      to: '2026-12-07',
      days: 91,
      basis: 'since-employed',
    });
  });

  it('counts a hire on the as-of date as one day, and a future hire date the same', () => {
    expect(paceWindow('2026-12-07', '2026-12-07').days).toBe(1);
    expect(paceWindow('2026-12-07', '2027-01-04')).toMatchObject({ from: '2026-12-07', days: 1 });
  });

  it('takes the full year when the first day of employment is not known', () => {
    expect(paceWindow('2026-12-07', null).basis).toBe('twelve-months');
  });
});

describe('forecastPeriod', () => {
  it('calls a requirement already met met, whatever the pace', () => {
    const f = forecastPeriod({
      asOf: '2026-06-30',
      period: { end: yearEnd, required: 12, applied: 12.5 },
      hoursInWindow: 0,
      employedSince: '2019-01-01',
    });
    expect(f.verdict).toBe('met');
    expect(f.stillNeeded).toBe(0);
    expect(f.projectedShortfall).toBe(0);
    expect(willFallShort(f.verdict)).toBe(false);
  });

  it('projects the twelve-month pace over the days left: on track', () => {
    // 36.5 h over 365 days is 0.1 h a day; 183 days left from July 1 add 18.3 h.
    const f = forecastPeriod({
      asOf: '2026-07-01',
      period: { end: yearEnd, required: 12, applied: 2 },
      hoursInWindow: 36.5,
      employedSince: '2018-05-01',
    });
    expect(f.daysLeft).toBe(183);
    expect(f.pacePerDay).toBe(0.1);
    expect(f.projected).toBe(20.3);
    expect(f.verdict).toBe('on-track');
    expect(f.window.basis).toBe('twelve-months');
  });

  it('says at risk when the projection falls short, and by how much', () => {
    // 3.65 h in a year: 0.01 h a day; 30 days left adds 0.3 h to 6 applied.
    const f = forecastPeriod({
      asOf: '2026-12-01',
      period: { end: yearEnd, required: 12, applied: 6 },
      hoursInWindow: 3.65,
      employedSince: '2015-01-01',
    });
    expect(f.daysLeft).toBe(30);
    expect(f.stillNeeded).toBe(6);
    expect(f.projected).toBe(6.3);
    expect(f.projectedShortfall).toBe(5.7);
    expect(f.verdict).toBe('at-risk');
    expect(willFallShort(f.verdict)).toBe(true);
  });

  it('says no pace when nothing was credited in the window and hours are still owed', () => {
    const f = forecastPeriod({
      asOf: '2026-12-01',
      period: { end: yearEnd, required: 12, applied: 0 },
      hoursInWindow: 0,
      employedSince: '2015-01-01',
    });
    expect(f.verdict).toBe('no-pace');
    expect(f.projectedShortfall).toBe(12);
    expect(willFallShort(f.verdict)).toBe(true);
  });

  it('measures a recent hire over their time employed, not a year of zeros', () => {
    // Hired 2026-10-02: 61 days to Dec 1 inclusive, 6.1 h in them is 0.1 h a day; 30 days left.
    const recent = forecastPeriod({
      asOf: '2026-12-01',
      period: { end: yearEnd, required: 3, applied: 0.5 },
      hoursInWindow: 6.1,
      employedSince: '2026-10-02',
    });
    expect(recent.window).toMatchObject({ basis: 'since-employed', days: 61 });
    expect(recent.pacePerDay).toBe(0.1);
    expect(recent.projected).toBe(3.5);
    expect(recent.verdict).toBe('on-track');
    // The same hours spread over a whole year would have looked at risk.
    const asIfAYear = forecastPeriod({ ...recentInput(), employedSince: null });
    expect(asIfAYear.verdict).toBe('at-risk');
  });

  it('has no days left on the last day of the period: the projection is what is applied', () => {
    const f = forecastPeriod({
      asOf: yearEnd,
      period: { end: yearEnd, required: 12, applied: 11 },
      hoursInWindow: 100,
      employedSince: '2010-01-01',
    });
    expect(f.daysLeft).toBe(0);
    expect(f.projected).toBe(11);
    expect(f.verdict).toBe('at-risk');
  });

  it('ends on a contract year end as well as a calendar year end', () => {
    const f = forecastPeriod({
      asOf: '2026-06-20',
      period: { end: '2026-06-30', required: 6, applied: 5 },
      hoursInWindow: 36.5,
      employedSince: '2010-01-01',
    });
    expect(f.daysLeft).toBe(10);
    expect(f.projected).toBe(6);
    expect(f.verdict).toBe('on-track');
  });
});

function recentInput() {
  return {
    asOf: '2026-12-01',
    period: { end: yearEnd, required: 3, applied: 0.5 },
    hoursInWindow: 6.1,
    employedSince: '2026-10-02' as string | null,
  };
}

describe('the statewide forecast of a stored result', () => {
  it('reads a period end from its label: calendar years, and contract years by the program month', () => {
    expect(periodEndOfLabel('2026', null)).toBe('2026-12-31');
    expect(periodEndOfLabel('2026–27', 7)).toBe('2027-06-30');
    expect(periodEndOfLabel('2026–27', null)).toBeNull();
    expect(periodEndOfLabel('spring', 7)).toBeNull();
  });

  it('counts a person at risk once, with hours needed only from periods ending by December 31', () => {
    const standing = personForecast(
      {
        contract_year_start_month: 7,
        employed_since: '2015-01-01',
        hours_in_window: 0,
        requirements: [
          {
            requirement: 'a',
            label: 'A',
            period: '2026',
            required: 12,
            applied: 4,
            status: 'in_progress',
            deficitsCarried: 0,
          },
          {
            requirement: 'b',
            label: 'B',
            period: '2026–27',
            required: 6,
            applied: 0,
            status: 'in_progress',
            deficitsCarried: 0,
          },
        ],
      },
      '2026-12-07',
    );
    expect(standing).toEqual({ current: true, atRisk: true, hoursByYearEnd: 8 });
  });

  it('ignores a stored period that has already ended', () => {
    const standing = personForecast(
      {
        contract_year_start_month: null,
        employed_since: null,
        hours_in_window: 0,
        requirements: [
          {
            requirement: 'a',
            label: 'A',
            period: '2025',
            required: 12,
            applied: 0,
            status: 'deficit',
            deficitsCarried: 0,
          },
        ],
      },
      '2026-12-07',
    );
    expect(standing).toEqual({ current: false, atRisk: false, hoursByYearEnd: 0 });
  });
});
