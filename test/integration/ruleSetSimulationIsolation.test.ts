/**
 * A what-if of a draft that changes one rule reports no credit change under the others: CPR
 * records whose stored facts are thinner than what credited them (seeded or imported: no CPR
 * model on the record, no trainer certification) stay as they were when only licensing hours move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aCourse, aProfessional } from '../support/fixtures.js';
import { aUser } from '../support/app.js';
import { insertTrainingRecord } from '../../db/trainingRecords.js';
import { ruleSetVersion, insertSimulation } from '../../db/ruleSets.js';
import { creditFacts } from '../../services/credit.js';
import { createSimulationService } from '../../services/ruleSetSimulation.js';
import { shippedRuleSets } from '../../rules/versions/index.js';
import type { CourseRow } from '../../db/rows.js';
import type { TrainingSource } from '../../rules/domain.js';
import { mustFind } from '../support/rows.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** A record written the way the demo seed and old imports write it: credited, no circumstances kept. */
async function aThinRecord(course: CourseRow, source: TrainingSource, completedOn: string) {
  const { db } = database;
  const person = await aProfessional(db);
  const rules = await ruleSetVersion(db, 'mopd-compliance', 1);
  const facts = await creditFacts(db, { professionalId: person.id, course, completedOn, hours: 3, source });
  // The trainer's certification was checked elsewhere (the old system) when it was credited.
  const credit = await rules.decideCredit({
    ...facts,
    training: { ...facts.training, trainerHasInstructorCertification: true },
  });
  expect(credit.creditedHours).toBe(3);
  await insertTrainingRecord(db, {
    professionalId: person.id,
    courseId: course.id,
    title: course.title,
    topic: course.topic,
    completedOn,
    hours: 3,
    source,
    credit,
  });
}

async function simulate(version: number, mutate: (document: (typeof shippedRuleSets)[number]) => void) {
  const { db } = database;
  const document = structuredClone(shippedRuleSets[0]!);
  document.version = version;
  document.effectiveFrom = daysAgo(400);
  mutate(document);
  await db('rule_set_versions').insert({
    rule_set: document.ruleSet,
    version,
    status: 'draft',
    document: JSON.stringify(document),
    change_note: `draft ${version}`,
  });
  const policy = await aUser(db, ['policy_staff']);
  const simulationId = await insertSimulation(db, {
    ruleSet: 'mopd-compliance',
    version,
    asOf: daysAgo(0),
    workflowId: `isolation-${version}-${Date.now()}`,
    requestedByUserId: policy.user.id,
  });
  await createSimulationService({ db }).runSimulation({ simulationId });
  const row = await mustFind(db('rule_set_simulations').where({ id: simulationId }).first());
  return (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as {
    credit: {
      recordsCompared: number;
      recordsChanged: number;
      hoursBefore: number;
      hoursAfter: number;
      byReason: Array<{ code: string; records: number; hoursDifference: number }>;
    };
  };
}

describe('the what-if credit comparison', () => {
  beforeAll(async () => {
    const { db } = database;
    const cpr = await aCourse(db, {
      title: 'Pediatric CPR',
      topic: 'cpr-first-aid',
      delivery: 'in_person',
      clock_hours: 3,
      cpr_model: 'American Red Cross',
    });
    const other = await aCourse(db, { topic: 'guidance', clock_hours: 3 });
    for (let i = 0; i < 3; i++) await aThinRecord(cpr, 'legacy_import', daysAgo(20 + i));
    for (let i = 0; i < 2; i++) await aThinRecord(cpr, 'attendance', daysAgo(40 + i));
    await aThinRecord(other, 'legacy_import', daysAgo(30));
  });

  it('reports no change in credit for a draft that only changes licensing hours', async () => {
    const { credit } = await simulate(2, (document) => {
      const rule = document.rules.find((r) => r.id === 'requirement.licensing-annual-hours')!;
      (rule.event.params as { hours: number }).hours = 10;
    });
    expect(credit).toEqual({ recordsCompared: 6, recordsChanged: 0, hoursBefore: 18, hoursAfter: 18, byReason: [] });
  });

  it('reports the change of the one credit rule a draft changes, and no other', async () => {
    // The draft accepts one national model only: the Red Cross CPR records lose their hours.
    const { credit } = await simulate(3, (document) => {
      const rule = document.rules.find((r) => r.id === 'credit.cpr-accepted-national-models')!;
      const condition = (rule.conditions as { all: Array<{ path?: string; value: unknown }> }).all.find(
        (c) => c.path === '$.cprModel',
      )!;
      condition.value = ['American Heart Association'];
    });
    expect(credit).toMatchObject({ recordsCompared: 6, recordsChanged: 5, hoursBefore: 18, hoursAfter: 3 });
    expect(credit.byReason).toEqual([
      expect.objectContaining({ code: 'cpr-model-not-accepted', records: 5, hoursDifference: -15 }),
    ]);
  });
});
