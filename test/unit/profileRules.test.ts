import { describe, expect, it } from 'vitest';
import { compileRuleSet, type CareerFacts } from '../../rules/engine.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import { credentialStatusOn } from '../../rules/credentials.js';
import { careerFacts } from '../../services/profile.js';
import { EDUCATION_OPERATORS } from '../../rules/operators.js';
import type { EducationRow } from '../../db/rows.js';

const v1 = compileRuleSet(shippedRuleSets[0]!);

const person = (over: {
  highestDegree?: CareerFacts['education']['highestDegree'];
  credentials?: string[];
  collegeCreditHours?: number;
  hours?: number;
}): CareerFacts => ({
  education: {
    highestDegree: over.highestDegree ?? null,
    credentials: over.credentials ?? [],
    collegeCreditHours: over.collegeCreditHours ?? 0,
  },
  training: { lifetimeCreditedHours: over.hours ?? 0 },
});

describe('career levels of version 1', () => {
  it.each([
    ['a newcomer with no hours', {}, 1],
    ['29.5 hours is still entry', { hours: 29.5 }, 1],
    ['30 hours', { hours: 30 }, 2],
    ['a CDA credential and 60 hours', { credentials: ['CDA'], hours: 60 }, 3],
    ['a CDA credential but only 59 hours', { credentials: ['CDA'], hours: 59 }, 2],
    ['12 college credit hours and 90 hours', { collegeCreditHours: 12, hours: 90 }, 4],
    ['an associate degree and 90 hours', { highestDegree: 'associate' as const, hours: 90 }, 4],
    ['a bachelor degree and 119 hours', { highestDegree: 'bachelor' as const, hours: 119 }, 4],
    ['a bachelor degree and 120 hours', { highestDegree: 'bachelor' as const, hours: 120 }, 5],
    ['a doctorate and 180 hours', { highestDegree: 'doctorate' as const, hours: 180 }, 6],
    ['a master degree and 500 hours', { highestDegree: 'master' as const, hours: 500 }, 6],
    ['a high-school diploma and 200 hours', { highestDegree: 'high_school' as const, hours: 200 }, 2],
  ])('%s → level %s', async (_, facts, level) => {
    expect((await v1.careerLevel(person(facts)))?.level).toBe(level);
  });

  it('names the rule that placed the person', async () => {
    expect(await v1.careerLevel(person({ hours: 31 }))).toMatchObject({
      ruleId: 'career.level-2',
      label: 'Level 2 · Developing',
    });
  });
});

describe('degreeAtLeast', () => {
  const { degreeAtLeast } = EDUCATION_OPERATORS;
  it('compares degrees by how far they go', () => {
    expect(degreeAtLeast('master', 'bachelor')).toBe(true);
    expect(degreeAtLeast('bachelor', 'bachelor')).toBe(true);
    expect(degreeAtLeast('associate', 'bachelor')).toBe(false);
    expect(degreeAtLeast(null, 'cda')).toBe(false);
    expect(degreeAtLeast('master', 'phd')).toBe(false);
  });
});

describe('career facts from education rows', () => {
  const row = (over: Partial<EducationRow>): EducationRow => ({
    id: 1,
    professional_id: 1,
    kind: 'degree',
    title: 'x',
    institution: '',
    field: '',
    degree_level: null,
    credit_hours: null,
    completed_on: null,
    upload_id: null,
    created_at: new Date(),
    ...over,
  });
  it('takes the highest degree, the credentials and the sum of coursework credit', () => {
    const facts = careerFacts(
      [
        row({ kind: 'degree', degree_level: 'associate' }),
        row({ kind: 'degree', degree_level: 'bachelor' }),
        row({ kind: 'credential', title: 'CDA' }),
        row({ kind: 'coursework', credit_hours: 3 }),
        row({ kind: 'coursework', credit_hours: 4.5 }),
      ],
      61.255,
    );
    expect(facts).toEqual({
      education: { highestDegree: 'bachelor', credentials: ['CDA'], collegeCreditHours: 7.5 },
      training: { lifetimeCreditedHours: 61.26 },
    });
  });
});

describe('CPR/First Aid card renewal', () => {
  const card = {
    kind: 'cpr_first_aid_card' as const,
    issuer: 'American Red Cross',
    issuedOn: '2025-03-01',
    expiresOn: '2027-03-01',
  };

  it('reminds 60 days before expiry under version 1', async () => {
    expect(await v1.credentialRenewal({ credential: card })).toMatchObject({
      requirement: 'cpr-first-aid-card-renewal',
      remindDaysBefore: 60,
    });
  });

  it.each([
    ['2026-06-01', 'verified'],
    ['2027-01-01', 'expiring'], // 59 days before expiry
    ['2027-03-01', 'expiring'], // the last valid day
    ['2027-03-02', 'expired'],
  ])('on %s the card is %s', (on, status) => {
    expect(credentialStatusOn(card.expiresOn, 60, on)).toBe(status);
  });

  it('counts the reminder day itself as expiring', () => {
    // 2027-03-01 minus 60 days is 2026-12-31.
    expect(credentialStatusOn('2027-03-01', 60, '2026-12-30')).toBe('verified');
    expect(credentialStatusOn('2027-03-01', 60, '2026-12-31')).toBe('expiring');
  });

  it('shows none without a card', () => {
    expect(credentialStatusOn(null, 60, '2026-01-01')).toBe('none');
  });
});
