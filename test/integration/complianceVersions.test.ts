/** Compliance as of any date, each stretch of time judged by the rule-set version in effect then. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceAsOf, recomputeCompliance } from '../../services/compliance.js';
import { summarize } from '../../rules/compliance.js';
import { recordTraining } from '../../services/training.js';
import { publishLicensingHours } from '../support/ruleSets.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  // A later version (as policy staff would publish it) raising the licensing hours to 15 from 2025-07-01.
  await publishLicensingHours(database.db, { version: 2, effectiveFrom: '2025-07-01', hours: 15 });
});
afterAll(async () => {
  await database?.drop();
});

describe('compliance across rule-set versions', () => {
  it('judges 2024 by version 1 and 2025 by version 2, and names both', async () => {
    const { db } = database;
    const center = await anOrganization(db, { licensed: true, serves_infants: false });
    const teacher = await aProfessional(db);
    await anEmployment(db, teacher, center, '2024-01-08');
    const twelve = await aCourse(db, { clock_hours: 12 });
    await recordTraining(db, {
      professionalId: teacher.id,
      courseId: twelve.id,
      completedOn: '2024-04-01',
      source: 'attendance',
    });
    await recordTraining(db, {
      professionalId: teacher.id,
      courseId: twelve.id,
      completedOn: '2025-04-01',
      source: 'attendance',
    });

    const mid2025 = await complianceAsOf(db, teacher.id, '2025-06-30');
    expect(mid2025).toMatchObject({
      ruleSetVersion: 1,
      compliant: true,
      versionsApplied: [{ version: 1, from: '2020-01-01', to: null }],
    });
    expect(mid2025.requirements[0]!.periods.map((p) => [p.label, p.required, p.status])).toEqual([
      ['2024', 12, 'met'],
      ['2025', 12, 'met'],
    ]);

    const early2026 = await complianceAsOf(db, teacher.id, '2026-01-15');
    expect(early2026).toMatchObject({
      ruleSetVersion: 2,
      compliant: false,
      versionsApplied: [
        { version: 1, from: '2020-01-01', to: '2025-06-30' },
        { version: 2, from: '2025-07-01', to: null },
      ],
    });
    expect(early2026.requirements[0]!.label).toBe('Licensing: 15 clock hours each calendar year');
    expect(early2026.requirements[0]!.periods.map((p) => [p.label, p.required, p.ruleSetVersion, p.status])).toEqual([
      ['2024', 12, 1, 'met'],
      ['2025', 15, 2, 'deficit'],
      ['2026', 15, 2, 'in_progress'],
    ]);

    // The statewide recompute, from hours summed per period, stores the same standing.
    await recomputeCompliance(db, { asOf: '2026-01-15' });
    const stored = await db('compliance_results').where({ professional_id: teacher.id }).first();
    expect(stored).toMatchObject({ as_of: '2026-01-15', rule_set_version: 2, compliant: false });
    expect(stored.result).toEqual(
      JSON.parse(
        JSON.stringify({
          ...summarize(early2026),
          ruleSet: 'mopd-compliance',
          ruleSetVersion: 2,
          versionsApplied: early2026.versionsApplied,
        }),
      ),
    );
  });
});
