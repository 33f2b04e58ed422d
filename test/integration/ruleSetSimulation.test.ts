/**
 * What-if simulation over HTTP with a worker on the Temporal dev server: a draft lowering the
 * licensing requirement (and dropping a credit rule) against the registry, beside version 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { recordTraining } from '../../services/training.js';
import { refreshCompliance } from '../../services/compliance.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { startWorker } from '../support/worker.js';
import { keepHistoryOf } from '../support/histories.js';
import { until } from '../support/polling.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';
import type { OrganizationRow } from '../../db/rows.js';
import { mustFind } from '../support/rows.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  http = await startHttpApp('simulation');
  ({ database, app } = http);
  worker = await startWorker(database.db, http.taskQueue);
});
afterAll(async () => {
  await worker?.stop();
  await http?.close();
});

const lastYear = new Date().getFullYear() - 1;

async function aTeacherAt(organization: OrganizationRow, hours: number) {
  const { db } = database;
  const person = await aProfessional(db);
  await anEmployment(db, person, organization, `${lastYear}-01-01`);
  const course = await aCourse(db, { topic: 'guidance', clock_hours: hours, sponsor: 'Child Care Aware of Missouri' });
  await recordTraining(db, {
    professionalId: person.id,
    courseId: course.id,
    completedOn: `${lastYear}-06-01`,
    source: 'individual_request',
  });
  await refreshCompliance(db, person.id);
  return person;
}

describe('simulating a draft', () => {
  it('counts who turns each way by organization, region and program type, shows credit differences, and explains any person', async () => {
    const { db } = database;
    const central = await anOrganization(db, {
      licensed: true,
      subsidized: false,
      region: 'Central',
    } as Partial<OrganizationRow>);
    // Program types are the registry's: an admin added Head Start, and the Southwest program is one.
    await db('program_types')
      .insert({ code: 'head_start', label_en: 'Head Start', label_es: 'Head Start' })
      .onConflict('code')
      .ignore();
    const southwest = await anOrganization(db, {
      licensed: true,
      subsidized: true,
      contract_year_start_month: 7,
      region: 'Southwest',
      program_type: 'head_start',
    } as Partial<OrganizationRow>);
    const short = await aTeacherAt(central, 11);
    await aTeacherAt(southwest, 11);
    await aTeacherAt(central, 12);
    // A training last month while in ratio with children: version 1 credits nothing.
    const inRatio = await aProfessional(db);
    const course = await aCourse(db, { topic: 'guidance', clock_hours: 3 });
    const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    await recordTraining(db, {
      professionalId: inRatio.id,
      courseId: course.id,
      completedOn: lastMonth,
      source: 'attendance',
      inRatio: true,
    });

    const policy = await signIn(app, await aUser(db, ['policy_staff']));
    const { version } = (
      await policy
        .post('/api/rule-sets/mopd-compliance/drafts', {
          fromVersion: 1,
          changeNote: 'Ten hours, from last year; ratio rule dropped',
        })
        .expect(201)
    ).body;
    const { document } = (await policy.get(`/api/rule-sets/mopd-compliance/versions/${version}`).expect(200)).body;
    document.effectiveFrom = `${lastYear}-01-01`;
    document.rules.find((r: { id: string }) => r.id === 'requirement.licensing-annual-hours').event.params.hours = 10;
    document.rules = document.rules.filter((r: { id: string }) => r.id !== 'credit.not-while-in-ratio');
    await policy.put(`/api/rule-sets/mopd-compliance/versions/${version}`, { document }).expect(200);

    const today = new Date().toISOString().slice(0, 10);
    const { simulationId } = (
      await policy.post(`/api/rule-sets/mopd-compliance/versions/${version}/simulations`, { asOf: today }).expect(202)
    ).body;
    const simulation = await until(
      async () => (await policy.get(`/api/rule-set-simulations/${simulationId}`).expect(200)).body,
      (s) => s.status !== 'running',
      20_000,
    );
    expect(simulation).toMatchObject({ status: 'completed', version, comparedWithVersion: 1, asOf: today });
    expect(simulation.done).toBe(simulation.total);
    const { result } = simulation;
    // The one at the subsidized program still misses this contract year's 6 hours, so stays as they were.
    expect(result.turned).toEqual({ toCompliant: 1, toNonCompliant: 0 });
    expect(result.byRegion).toEqual(
      expect.arrayContaining([
        { region: 'Central', people: 2, toCompliant: 1, toNonCompliant: 0 },
        { region: 'Southwest', people: 1, toCompliant: 0, toNonCompliant: 0 },
      ]),
    );
    expect(result.byProgramType).toEqual(
      expect.arrayContaining([
        {
          programType: 'child_care',
          labelEn: 'Child care program',
          labelEs: 'Programa de cuidado infantil',
          people: 2,
          toCompliant: 1,
          toNonCompliant: 0,
        },
        {
          programType: 'head_start',
          labelEn: 'Head Start',
          labelEs: 'Head Start',
          people: 1,
          toCompliant: 0,
          toNonCompliant: 0,
        },
      ]),
    );
    expect(
      result.byOrganization.find((o: { organizationId: number }) => o.organizationId === central.id),
    ).toMatchObject({ name: central.name, people: 2, toCompliant: 1 });
    expect(result.credit).toMatchObject({ recordsChanged: 1, hoursAfter: result.credit.hoursBefore + 3 });
    expect(result.credit.byReason).toEqual([
      expect.objectContaining({
        code: 'rule-removed-or-relaxed',
        records: 1,
        hoursDifference: 3,
        text: expect.stringContaining('in-ratio-with-children'),
      }),
    ]);
    expect(result.samples).toEqual([
      {
        professionalId: short.id,
        name: expect.stringMatching(/^Pat Tester/),
        before: { compliant: false },
        after: { compliant: true },
      },
    ]);

    // Read-only: nobody's stored compliance moved, and the draft is still a draft.
    expect((await db('compliance_results').where({ professional_id: short.id }).first()).compliant).toBe(false);
    expect(
      (await mustFind(db('rule_set_versions').where({ rule_set: 'mopd-compliance', version }).first())).status,
    ).toBe('draft');

    const person = (await policy.get(`/api/rule-set-simulations/${simulationId}/people/${short.id}`).expect(200)).body;
    expect([person.before.compliant, person.after.compliant]).toEqual([false, true]);
    const lastYearPeriod = (r: { requirements: Array<{ periods: Array<{ label?: string; required: number }> }> }) =>
      r.requirements[0]!.periods.map((p) => p.required);
    expect(lastYearPeriod(person.before)).toContain(12);
    expect(lastYearPeriod(person.after)).toContain(10);
    await keepHistoryOf(
      (await mustFind(db('rule_set_simulations').where({ id: simulationId }).first())).workflow_id,
      'ruleSetSimulation-completed',
    );
  });
});
