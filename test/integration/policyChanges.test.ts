/**
 * The two example policy changes published as a version: a new hire's first year pro-rated and
 * infant safe-sleep training again every three years. A person's compliance read from PostgreSQL
 * and the statewide recompute (from hours summed per period and the last training on each topic)
 * store the same standing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceAsOf, recomputeCompliance } from '../../services/compliance.js';
import { recordTraining } from '../../services/training.js';
import { summarize } from '../../rules/compliance.js';
import type { RuleSetDocument } from '../../rules/schema.js';
import { validateRuleSet } from '../../rules/validate.js';
import { policyChangeExamples } from '../../rules/versions/examples/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  // Version 2 from 2025-01-01: the refresher draft with the licensing rule of the pro-rating draft.
  const parsed = (name: string) => {
    const validation = validateRuleSet(policyChangeExamples.find((e) => e.name === name)!.document);
    if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
    return validation.document;
  };
  const prorated = parsed('prorated-first-year');
  const both: RuleSetDocument = {
    ...parsed('safe-sleep-refresher'),
    effectiveFrom: '2025-01-01',
    rules: parsed('safe-sleep-refresher').rules.map(
      (r) => prorated.rules.find((p) => p.id === r.id && r.event.type === 'hours-requirement') ?? r,
    ),
  };
  expect(validateRuleSet(both).ok).toBe(true);
  await database.db('rule_set_versions').insert({
    rule_set: both.ruleSet,
    version: 2,
    status: 'published',
    effective_from: both.effectiveFrom,
    document: JSON.stringify(both),
    change_note: 'Pro-rated first year; safe-sleep refresher',
  });
});
afterAll(async () => {
  await database?.drop();
});

describe('the example policy changes, published', () => {
  it('judges refreshers and a pro-rated first year the same one person at a time as in the statewide recompute', async () => {
    const { db } = database;
    const infants = await anOrganization(db, { licensed: true, serves_infants: true });
    const twelve = await aCourse(db, { clock_hours: 12, topic: 'guidance', sponsor: 'Child Care Aware of Missouri' });
    const ten = await aCourse(db, { clock_hours: 10, topic: 'guidance', sponsor: 'Child Care Aware of Missouri' });
    const safeSleep = await aCourse(db, {
      clock_hours: 2,
      topic: 'infant-safe-sleep',
      sponsor: 'Child Care Aware of Missouri',
    });
    const attend = (professionalId: number, courseId: number, completedOn: string) =>
      recordTraining(db, { professionalId, courseId, completedOn, source: 'attendance' });

    // Hired under version 1, never trained in safe sleep: 30 days' grace from the day version 2 began.
    const veteran = await aProfessional(db);
    await anEmployment(db, veteran, infants, '2023-01-09');
    for (const on of ['2023-04-01', '2024-04-01']) await attend(veteran.id, twelve.id, on);
    // Hired under version 2 in March: 10 hours that year; safe sleep taken twice, the last counts.
    const newcomer = await aProfessional(db);
    await anEmployment(db, newcomer, infants, '2025-03-16');
    await attend(newcomer.id, safeSleep.id, '2021-05-01');
    await attend(newcomer.id, safeSleep.id, '2025-03-20');
    await attend(newcomer.id, ten.id, '2025-09-01');

    expect((await complianceAsOf(db, veteran.id, '2025-01-20')).refreshers[0]).toMatchObject({
      status: 'open',
      carriedSince: '2025-01-01',
      dueOn: '2025-01-31',
    });
    const lapsed = await complianceAsOf(db, veteran.id, '2025-03-01');
    expect(lapsed).toMatchObject({
      compliant: false,
      refreshers: [{ requirement: 'infant-safe-sleep-refresher', status: 'overdue', lastCompletedOn: null }],
    });

    const newcomerAsOf = await complianceAsOf(db, newcomer.id, '2026-01-05');
    expect(newcomerAsOf.compliant).toBe(true);
    expect(newcomerAsOf.requirements[0]!.periods.map((p) => [p.label, p.required, p.status])).toEqual([
      ['2025', 10, 'met'],
      ['2026', 12, 'in_progress'],
    ]);
    expect(newcomerAsOf.refreshers[0]).toMatchObject({
      status: 'met',
      lastCompletedOn: '2025-03-20',
      dueOn: '2028-03-20',
    });

    for (const asOf of ['2025-03-01', '2026-01-05']) {
      await recomputeCompliance(db, { asOf });
      for (const person of [veteran, newcomer]) {
        const fresh = await complianceAsOf(db, person.id, asOf);
        const stored = await db('compliance_results').where({ professional_id: person.id }).first();
        expect(stored.result, `${person.id} ${asOf}`).toEqual(
          JSON.parse(
            JSON.stringify({
              ...summarize(fresh),
              ruleSet: fresh.ruleSet,
              ruleSetVersion: fresh.ruleSetVersion,
              versionsApplied: fresh.versionsApplied,
            }),
          ),
        );
        expect(stored.compliant).toBe(fresh.compliant);
      }
    }
  });
});
