import { describe, expect, it } from 'vitest';
import { CompiledRuleSet } from '../../rules/engine.js';
import { shippedRuleSets } from '../../rules/versions/index.js';

const v1 = new CompiledRuleSet(shippedRuleSets[0]!);

describe('the first day whose training meets a hire-date deadline', () => {
  it('is the hire date under version 1, which has no window before the hire', () => {
    expect(v1.hireDeadlineCountsFrom('infant-safe-sleep', '2026-03-02')).toBe('2026-03-02');
  });

  it('is as many days before the hire as the rule’s countsCompletedDaysBeforeHire says', () => {
    const doc = structuredClone(shippedRuleSets[0]!);
    const rule = doc.rules.find((r) => r.id === 'deadline.infant-safe-sleep-after-hire')!;
    (rule.event.params as { countsCompletedDaysBeforeHire?: number }).countsCompletedDaysBeforeHire = 365;
    expect(new CompiledRuleSet(doc).hireDeadlineCountsFrom('infant-safe-sleep', '2026-03-02')).toBe('2025-03-02');
  });
});
