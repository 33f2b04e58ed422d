/** The readable diff between two versions: rule by rule, condition by condition. */
import { describe, expect, it } from 'vitest';
import { diffRuleSets } from '../../rules/diff.js';
import { shippedRuleSets } from '../../rules/versions/index.js';

const v1 = shippedRuleSets[0]!;

describe('the diff between two versions', () => {
  it('says nothing changed when nothing did', () => {
    expect(diffRuleSets(v1, structuredClone(v1))).toMatchObject({ documentChanges: [], rules: [] });
  });

  it('reads a lowered requirement, a changed and an added condition, an added and a removed rule as sentences', () => {
    const v2 = structuredClone(v1);
    v2.version = 2;
    v2.effectiveFrom = '2027-01-01';
    const licensing = v2.rules.find((r) => r.id === 'requirement.licensing-annual-hours')!;
    (licensing.event.params as { hours: number }).hours = 10;
    const ratio = v2.rules.find((r) => r.id === 'credit.not-while-in-ratio')!;
    ratio.conditions = {
      all: [
        { fact: 'training', path: '$.inRatio', operator: 'equal', value: true },
        { fact: 'training', path: '$.source', operator: 'equal', value: 'attendance' },
      ],
    };
    const online = v2.rules.find((r) => r.id === 'credit.cpr-online-only-not-allowed')!;
    online.conditions = {
      all: [
        { fact: 'training', path: '$.topic', operator: 'equal', value: 'cpr-first-aid' },
        { fact: 'training', path: '$.delivery', operator: 'in', value: ['online', 'blended'] },
      ],
    };
    v2.rules = v2.rules.filter((r) => r.id !== 'credit.online-module-not-for-groups');
    v2.rules.push({ ...structuredClone(ratio), id: 'credit.new-rule', description: 'A new rule for the diff.' });

    const diff = diffRuleSets(v1, v2);
    expect(diff.documentChanges).toEqual([`effective from: ${v1.effectiveFrom} → 2027-01-01`]);
    const byId = Object.fromEntries(diff.rules.map((r) => [r.ruleId, r]));
    expect(byId['requirement.licensing-annual-hours']).toMatchObject({
      change: 'changed',
      details: ['hours: 12 → 10'],
    });
    expect(byId['credit.not-while-in-ratio']!.details).toEqual([
      'added condition (all 2): where the record came from is attendance',
    ]);
    expect(byId['credit.cpr-online-only-not-allowed']!.details).toEqual([
      'condition (all 2): delivery is online → delivery is one of online, blended',
    ]);
    expect(byId['credit.online-module-not-for-groups']).toMatchObject({ change: 'removed' });
    expect(byId['credit.new-rule']).toMatchObject({
      change: 'added',
      details: [
        'when counted in ratio with children is true',
        'when where the record came from is attendance',
        'then credit-none: reasonCode in-ratio-with-children; reason Clock hours cannot be earned while you are counted in ratio with children.',
      ],
    });
    expect(diff.rules).toHaveLength(5);
  });
});
