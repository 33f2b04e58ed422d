/**
 * Issue 18 as rule-set data: the exception categories of individual requests and the accepted
 * CPR/First Aid national models are rules of version 1, whose refusals carry the rule's reason; a
 * card's standing says unverified / rejected until a reviewer verified it.
 */
import { describe, expect, it } from 'vitest';
import { compileRuleSet } from '../../rules/engine.js';
import { credentialStatusOn } from '../../rules/credentials.js';
import { validateRuleSet } from '../../rules/validate.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import type { RuleSetDocument } from '../../rules/schema.js';

const v1 = shippedRuleSets[0]!;
const rules = compileRuleSet(v1);
const card = (issuer: string) => ({
  credential: { kind: 'cpr_first_aid_card' as const, issuer, issuedOn: '2026-01-10', expiresOn: '2028-01-10' },
});

describe('individual request categories', () => {
  it('lists the seed-sourced exceptions with English and Spanish labels', () => {
    const categories = rules.requestCategories();
    expect(categories.map((c) => c.category)).toEqual([
      'college-coursework',
      'out-of-state-registry',
      'national-conference',
      'military-child-development',
      'school-district-pd',
    ]);
    for (const c of categories) expect(c.labelEs).not.toBe(c.label);
  });

  it('refuses an unlisted category with the rule’s reason and accepts a listed one', async () => {
    expect(await rules.requestRefusals({ request: { category: 'college-coursework' } })).toEqual([]);
    expect(await rules.requestRefusals({ request: { category: 'church-workshop' } })).toEqual([
      expect.objectContaining({ ruleId: 'request.exceptions-only', code: 'not-an-accepted-exception' }),
    ]);
  });

  it('follows the list as policy staff change it: a category added by a rule is accepted', async () => {
    const edited: RuleSetDocument = {
      ...v1,
      version: 2,
      rules: [
        ...v1.rules,
        {
          id: 'request.category.tribal-child-care',
          scope: 'request',
          description: 'Training of a tribal child care program may be submitted.',
          source: 'a test',
          conditions: { all: [] },
          event: {
            type: 'request-category',
            params: {
              category: 'tribal-child-care',
              label: 'Tribal child care training',
              labelEs: 'Capacitación tribal',
            },
          },
        },
      ],
    };
    expect(validateRuleSet(edited).problems).toEqual([]);
    expect(await compileRuleSet(edited).requestRefusals({ request: { category: 'tribal-child-care' } })).toEqual([]);
  });

  it('is refused by the validator when a category is listed twice', () => {
    const twice = v1.rules.find((r) => r.id === 'request.category.college-coursework')!;
    const result = validateRuleSet({ ...v1, rules: [...v1.rules, { ...twice, id: 'request.category.again' }] });
    expect(result.problems).toEqual([
      expect.objectContaining({ ruleId: 'request.category.again', message: expect.stringContaining('already listed') }),
    ]);
  });
});

describe('CPR/First Aid card issuers', () => {
  it('accepts the seven national models of seed 001, whatever the case typed, and refuses others', async () => {
    expect(rules.acceptedIssuers('cpr_first_aid_card')).toHaveLength(7);
    expect(await rules.credentialRefusals(card('american red cross'))).toEqual([]);
    expect(await rules.credentialRefusals(card('Bob’s CPR'))).toEqual([
      expect.objectContaining({ code: 'cpr-card-issuer-not-accepted' }),
    ]);
    // The renewal reminder still reads its own rule among the new credential rules.
    expect((await rules.credentialRenewal(card('Bob’s CPR')))?.remindDaysBefore).toBe(60);
  });

  it('shows a card unverified or rejected until verified, then expiring within the reminder days', () => {
    expect(credentialStatusOn('2027-03-01', 60, '2026-06-01', 'unverified')).toBe('unverified');
    expect(credentialStatusOn('2027-03-01', 60, '2026-06-01', 'rejected')).toBe('rejected');
    expect(credentialStatusOn('2027-03-01', 60, '2026-06-01', 'verified')).toBe('verified');
    expect(credentialStatusOn('2027-03-01', 60, '2027-01-01', 'verified')).toBe('expiring');
    expect(credentialStatusOn('2027-03-01', 60, '2027-03-02', 'unverified')).toBe('expired');
  });
});
