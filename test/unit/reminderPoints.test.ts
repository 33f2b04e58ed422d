/**
 * Reminder points as rule-set data (issue 20): an hours requirement's `reminderDaysBefore` is
 * checked by the validator (distinct whole days from 1 to 366, named at the field), version 1
 * carries 90/30/7 on both hours requirements, and the point due is the smallest one reached.
 */
import { describe, expect, it } from 'vitest';
import { validateRuleSet, type Problem } from '../../rules/validate.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import { reminderPointDue } from '../../services/reminders.js';

const v1 = shippedRuleSets[0]!;
const REQUIREMENTS = ['requirement.licensing-annual-hours', 'requirement.subsidy-contract-year-hours'];

/** v1 with the licensing requirement's reminder points set to `points`. */
function withPoints(points: unknown): Problem[] {
  const doc = structuredClone(v1) as unknown as {
    rules: Array<{ id: string; event: { params: Record<string, unknown> } }>;
  };
  doc.rules.find((r) => r.id === REQUIREMENTS[0])!.event.params.reminderDaysBefore = points;
  const result = validateRuleSet(doc);
  return result.ok ? [] : result.problems;
}

describe('reminder points in the rule set', () => {
  it('are 90, 30 and 7 days on both hours requirements of version 1', () => {
    for (const id of REQUIREMENTS) {
      const rule = v1.rules.find((r) => r.id === id)!;
      expect(rule.event.type).toBe('hours-requirement');
      expect((rule.event.params as { reminderDaysBefore?: number[] }).reminderDaysBefore).toEqual([90, 30, 7]);
    }
  });

  it('are checked by the validator, each problem naming the field', () => {
    expect(withPoints([120, 60, 14, 1])).toEqual([]);
    expect(withPoints([30, 30])).toEqual([
      {
        ruleId: REQUIREMENTS[0],
        path: expect.stringMatching(/\.event\.params\.reminderDaysBefore$/),
        message: 'each reminder point appears only once',
      },
    ]);
    expect(withPoints([0])[0]).toMatchObject({
      path: expect.stringMatching(/reminderDaysBefore\.0$/),
      message: 'a reminder point is at least 1 day before the end',
    });
    expect(withPoints([90, 367])[0]).toMatchObject({
      path: expect.stringMatching(/reminderDaysBefore\.1$/),
      message: 'a reminder point is at most 366 days before the end',
    });
    expect(withPoints([])[0]!.message).toMatch(/at least one reminder point/);
    expect(withPoints([7.5])).not.toEqual([]);
  });

  it('give the smallest point reached as the one due', () => {
    expect(reminderPointDue([90, 30, 7], 120)).toBeNull();
    expect(reminderPointDue([90, 30, 7], 31)).toBe(90);
    expect(reminderPointDue([90, 30, 7], 30)).toBe(30);
    expect(reminderPointDue([90, 30, 7], 3)).toBe(7);
  });
});
