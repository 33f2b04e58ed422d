/** Refreshers: training on a topic again every few years, judged on the as-of date. */
import { describe, expect, it } from 'vitest';
import { computeCompliance, summarize, summaryFromSums } from '../../rules/compliance.js';
import {
  carriedRefreshers,
  evaluateRefreshers,
  type CarriedRefresher,
  type RefresherSpan,
} from '../../rules/refreshers.js';
import type { RefresherParams } from '../../rules/schema.js';

const safeSleep: RefresherParams = {
  requirement: 'infant-safe-sleep-refresher',
  label: 'Infant safe-sleep training every 3 years',
  satisfiedByTopic: 'infant-safe-sleep',
  everyYears: 3,
  graceDays: 30,
};
const carried = (...spans: RefresherSpan[]): CarriedRefresher => ({
  ruleId: 'refresher.infant-safe-sleep-every-three-years',
  params: safeSleep,
  spans,
});
const span = (from: string, to: string | null = null, organizationId = 1, ruleSetVersion?: number): RefresherSpan => ({
  from,
  to,
  organizationId,
  ...(ruleSetVersion && { ruleSetVersion }),
});
let nextId = 1;
const training = (completedOn: string, topic = 'infant-safe-sleep', creditedHours = 2) => ({
  id: nextId++,
  title: `Safe sleep ${completedOn}`,
  topic,
  completedOn,
  creditedHours,
});

const standing = (refresher: CarriedRefresher, trainings: ReturnType<typeof training>[], asOf: string) =>
  evaluateRefreshers([refresher], trainings, asOf)[0];

describe('a refresher', () => {
  it('is met within everyYears of the last credited training on its topic, and due on that anniversary', () => {
    const hired = carried(span('2021-06-01'));
    const trainings = [training('2021-06-20'), training('2024-02-29')];
    expect(standing(hired, trainings, '2027-02-28')).toMatchObject({
      status: 'met',
      lastCompletedOn: '2024-02-29',
      dueOn: '2027-02-28',
      lastCompleted: { title: 'Safe sleep 2024-02-29' },
    });
    expect(standing(hired, trainings, '2027-03-01')).toMatchObject({ status: 'overdue', dueOn: '2027-02-28' });
    expect(standing(hired, trainings, '2027-03-01')!.explanation).toBe(
      'Overdue since 2027-03-01: this training is needed every 3 years and the last, “Safe sleep 2024-02-29”, was completed 2024-02-29. Until it is completed this person is not compliant.',
    );
  });

  it('counts only credited training on its topic completed by the as-of date', () => {
    const hired = carried(span('2026-01-05'));
    const trainings = [
      training('2026-01-10', 'infant-safe-sleep', 0),
      training('2026-01-12', 'guidance'),
      training('2026-03-01'),
    ];
    expect(standing(hired, trainings, '2026-02-10')).toMatchObject({
      status: 'overdue',
      lastCompletedOn: null,
      dueOn: '2026-02-04',
    });
    expect(standing(hired, trainings, '2026-03-01')).toMatchObject({ status: 'met', lastCompletedOn: '2026-03-01' });
  });

  it('gives a new hire the grace days even when their last training lapsed before they were hired', () => {
    const hired = carried(span('2026-01-05'));
    expect(standing(hired, [training('2022-01-01')], '2026-01-20')).toMatchObject({
      status: 'open',
      dueOn: '2026-02-04',
      lastCompletedOn: '2022-01-01',
    });
    expect(standing(hired, [training('2022-01-01')], '2026-02-05')).toMatchObject({ status: 'overdue' });
  });

  it('counts the grace from the day a version brought it in, across later versions that keep it', () => {
    // Hired in 2015; version 2 brings the refresher in on 2027-01-01, version 3 keeps it from 2028.
    const everyone = carriedRefreshers([
      { ruleId: 'r', params: safeSleep, span: span('2027-01-01', '2027-12-31', 1, 2) },
      {
        ruleId: 'r',
        params: { ...safeSleep, label: 'Infant safe sleep again every 3 years' },
        span: span('2028-01-01', null, 1, 3),
      },
    ]);
    expect(everyone).toHaveLength(1);
    expect(standing(everyone[0]!, [], '2027-01-20')).toMatchObject({
      status: 'open',
      carriedSince: '2027-01-01',
      dueOn: '2027-01-31',
    });
    expect(standing(everyone[0]!, [], '2028-02-01')).toMatchObject({
      status: 'overdue',
      carriedSince: '2027-01-01',
      label: 'Infant safe sleep again every 3 years',
    });
  });

  it('starts a new grace for someone who comes back after a break, and is not carried in the break', () => {
    const back = carried(span('2020-02-01', '2022-06-30'), span('2024-03-04', null, 2));
    expect(standing(back, [], '2023-01-01')).toBeUndefined();
    expect(standing(back, [], '2024-03-20')).toMatchObject({
      status: 'open',
      carriedSince: '2024-03-04',
      dueOn: '2024-04-03',
      organizationIds: [2],
    });
  });

  it('makes a person not compliant only while it is overdue', () => {
    const hired = carried(span('2026-01-05'));
    expect(computeCompliance([], [], '2026-02-04', [], [hired]).compliant).toBe(true);
    const overdue = computeCompliance([], [], '2026-02-05', [], [hired]);
    expect(overdue.compliant).toBe(false);
    expect(summarize(overdue).refreshers).toEqual([
      {
        requirement: 'infant-safe-sleep-refresher',
        label: safeSleep.label,
        organizationIds: [1],
        lastCompletedOn: null,
        dueOn: '2026-02-04',
        status: 'overdue',
      },
    ]);
  });

  it('stands the same from the last date on its topic as from every training', () => {
    const hired = carried(span('2021-06-01'));
    for (const asOf of ['2021-06-15', '2021-08-01', '2024-06-30', '2025-01-01', '2027-12-31']) {
      const trainings = [training('2021-06-20'), training('2024-12-31'), training('2025-06-01', 'guidance')].filter(
        (t) => t.completedOn <= asOf,
      );
      const last = trainings.filter((t) => t.topic === 'infant-safe-sleep').at(-1);
      const fromSums = summaryFromSums(
        [],
        [],
        asOf,
        [],
        new Map(),
        [hired],
        new Map(last ? [['infant-safe-sleep', last.completedOn]] : []),
      );
      expect(fromSums, asOf).toEqual(summarize(computeCompliance([], trainings, asOf, [], [hired])));
    }
  });
});
