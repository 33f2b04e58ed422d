/**
 * Issue 18, who the rules apply to, as data, through the API: program types and roles as registry
 * data admins add to; program settings effective from a date (earlier periods keep theirs); the
 * back-fill reach and the years it filled; stored compliance recomputed as of a date.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import type { Db } from '../../db/connection.js';
import type { OrganizationRow, ProfessionalRow } from '../../db/rows.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aProfessional, anEmployment } from '../support/fixtures.js';
import { aUser, signIn, testApp, type Session } from '../support/app.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
let admin: Session;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `program-registry-${randomUUID()}`,
  });
  app = testApp(database, redis, temporal).app;
  admin = await signIn(app, await aUser(database.db, ['admin']));
});

afterAll(async () => {
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

/** Credited hours on a date, as a record credited under version 1 leaves them. */
async function credited(db: Db, person: ProfessionalRow, completedOn: string, hours: number) {
  await db('training_records').insert({
    professional_id: person.id,
    title: `Training of ${completedOn}`,
    topic: 'guidance',
    completed_on: completedOn,
    hours,
    source: 'attendance',
    credited_hours: hours,
    credit_rule_set: 'mopd-compliance',
    credit_rule_set_version: 1,
  });
}

/** An organization added through the API, its settings effective from `effectiveFrom`. */
async function organizationFrom(
  effectiveFrom: string,
  body: Record<string, unknown> = {},
): Promise<OrganizationRow & { program_type: string }> {
  const created = await admin
    .post(`/api/organizations`, {
      name: `Center ${randomUUID().slice(0, 8)}`,
      licensed: true,
      licenseNumber: `MO-${randomUUID().slice(0, 8)}`,
      subsidized: false,
      county: 'Boone',
      ...body,
    })
    .expect(201);
  const organization = created.body.organization as OrganizationRow & { program_type: string };
  // The first settings row dates from today; restate it from the date the test needs.
  await database
    .db('program_settings')
    .where({ organization_id: organization.id })
    .update({ effective_from: effectiveFrom });
  return organization;
}

type Requirement = {
  requirement: string;
  periods: Array<{ label: string; start: string; end: string; status: string; explanation: string }>;
  backfill?: { reach: unknown; filled: string[]; explanation: string };
};
const complianceOf = async (person: ProfessionalRow, asOf: string) =>
  (await admin.get(`/api/professionals/${person.id}/compliance?asOf=${asOf}`).expect(200)).body.compliance as {
    compliant: boolean;
    requirements: Requirement[];
  };

describe('program types and professional roles as registry data', () => {
  it('lets an admin add a program type with English and Spanish labels, and name it on an organization', async () => {
    const seeded = await admin.get('/api/program-types').expect(200);
    expect(seeded.body.entries).toEqual([
      { code: 'child_care', labelEn: 'Child care program', labelEs: 'Programa de cuidado infantil', active: true },
    ]);

    const missingSpanish = await admin.post('/api/admin/program-types', {
      code: 'afterschool',
      labelEn: 'Afterschool',
    });
    expect(missingSpanish.status).toBe(400);
    expect(missingSpanish.body.error.fields).toEqual([expect.objectContaining({ field: 'labelEs' })]);
    const badCode = await admin.post('/api/admin/program-types', {
      code: 'After School',
      labelEn: 'Afterschool',
      labelEs: 'Después de clases',
    });
    expect(badCode.body.error.fields).toEqual([expect.objectContaining({ field: 'code' })]);

    const added = await admin
      .post('/api/admin/program-types', { code: 'afterschool', labelEn: 'Afterschool', labelEs: 'Después de clases' })
      .expect(201);
    expect(added.body.entry).toEqual({
      code: 'afterschool',
      labelEn: 'Afterschool',
      labelEs: 'Después de clases',
      active: true,
    });
    const again = await admin.post('/api/admin/program-types', { code: 'afterschool', labelEn: 'A', labelEs: 'B' });
    expect(again.status).toBe(409);
    const renamed = await admin
      .patch('/api/admin/program-types/afterschool', { labelEn: 'Afterschool program' })
      .expect(200);
    expect(renamed.body.entry.labelEn).toBe('Afterschool program');

    const organization = await organizationFrom('2026-01-01', { programType: 'afterschool' });
    expect(organization.program_type).toBe('afterschool');
    const unknownType = await admin.post('/api/organizations', {
      name: 'Nowhere',
      licensed: false,
      subsidized: false,
      county: 'Boone',
      programType: 'space_camp',
    });
    expect(unknownType.status).toBeGreaterThanOrEqual(400);
    expect(unknownType.status).toBeLessThan(500);

    // Only admins keep the registry.
    const professional = await signIn(app, await aUser(database.db, ['professional']));
    expect(
      (await professional.post('/api/admin/program-types', { code: 'x_y', labelEn: 'X', labelEs: 'X' })).status,
    ).toBe(403);
  });

  it('takes an employment in a role an admin added, which carries the hours as every role does in v1', async () => {
    const { db } = database;
    await admin
      .post('/api/admin/professional-roles', { code: 'home_visitor', labelEn: 'Home visitor', labelEs: 'Visitador/a' })
      .expect(201);
    const roles = (await admin.get('/api/professional-roles').expect(200)).body.entries.map(
      (e: { code: string }) => e.code,
    );
    expect(roles).toEqual(expect.arrayContaining(['volunteer', 'home_visitor']));

    const organization = await organizationFrom('2020-01-01');
    const visitor = await aProfessional(db);
    await anEmployment(db, visitor, organization, '2025-02-03', 'home_visitor');
    const volunteer = await aProfessional(db);
    await anEmployment(db, volunteer, organization, '2025-02-03', 'volunteer');
    await expect(anEmployment(db, await aProfessional(db), organization, '2025-02-03', 'astronaut')).rejects.toThrow(
      /employments_role_registered/,
    );

    // Version 1 exempts no role from the annual hours: volunteers carry them, and so does a role
    // added to the registry after it, from its first employment.
    for (const who of [volunteer, visitor])
      expect((await complianceOf(who, '2026-06-01')).requirements.map((r) => r.requirement)).toEqual([
        'licensing-annual-hours',
      ]);
  });
});

describe('program settings effective from a date', () => {
  it('keeps earlier periods under the settings they had when a program stops being licensed', async () => {
    const { db } = database;
    const organization = await organizationFrom('2024-01-01');
    const teacher = await aProfessional(db);
    await anEmployment(db, teacher, organization, '2024-01-08');
    await credited(db, teacher, '2024-05-01', 12);

    const before = await complianceOf(teacher, '2026-06-01');
    expect(before.compliant).toBe(false);
    expect(before.requirements[0]!.periods.map((p) => [p.label, p.status])).toEqual([
      ['2024', 'met'],
      ['2025', 'deficit'],
      ['2026', 'in_progress'],
    ]);

    const badMonth = await admin.post(`/api/admin/organizations/${organization.id}/program-settings`, {
      effectiveFrom: '2025-01-01',
      licensed: false,
      licenseExempt: true,
      subsidized: true,
      servesInfants: false,
      contractYearStartMonth: null,
    });
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.error.fields).toEqual([expect.objectContaining({ field: 'contractYearStartMonth' })]);

    const changed = await admin
      .post(`/api/admin/organizations/${organization.id}/program-settings`, {
        effectiveFrom: '2025-01-01',
        licensed: false,
        licenseExempt: true,
        subsidized: false,
        servesInfants: false,
        contractYearStartMonth: null,
      })
      .expect(201);
    expect(
      changed.body.history.map((h: { effective_from: string; licensed: boolean }) => [h.effective_from, h.licensed]),
    ).toEqual([
      ['2024-01-01', true],
      ['2025-01-01', false],
    ]);
    // The organization's own columns show the settings in effect today.
    expect(changed.body.organization.license_exempt).toBe(true);

    const after = await complianceOf(teacher, '2026-06-01');
    expect(after.requirements[0]!.periods.map((p) => [p.label, p.status])).toEqual([['2024', 'met']]);
    expect(after.compliant).toBe(true);
    const history = await admin.get(`/api/admin/organizations/${organization.id}/program-settings`).expect(200);
    expect(history.body.history).toHaveLength(2);
  });

  it('judges a contract year by the start month in effect at its start', async () => {
    const { db } = database;
    const organization = await organizationFrom('2024-01-01', {
      licensed: false,
      licenseNumber: null,
      subsidized: true,
      contractYearStartMonth: 7,
    });
    const teacher = await aProfessional(db);
    await anEmployment(db, teacher, organization, '2024-08-05');
    await admin
      .post(`/api/admin/organizations/${organization.id}/program-settings`, {
        effectiveFrom: '2025-03-01',
        licensed: false,
        licenseExempt: false,
        subsidized: true,
        servesInfants: false,
        contractYearStartMonth: 10,
      })
      .expect(201);
    const { requirements } = await complianceOf(teacher, '2026-01-15');
    const subsidy = requirements.filter((r) => r.requirement === 'subsidy-contract-year-hours');
    const periods = subsidy.flatMap((r) => r.periods.map((p) => [p.start, p.end]));
    // The contract year running on the change (July 2024 – June 2025) keeps its bounds ...
    expect(periods).toContainEqual(['2024-07-01', '2025-06-30']);
    // ... and no July year starts after it: from July 2025 the program's years start in October.
    expect(periods).not.toContainEqual(['2025-07-01', '2026-06-30']);
    expect(periods).toContainEqual(['2025-10-01', '2026-09-30']);
  });
});

describe('back-fill reach', () => {
  it('says how far back-fill reaches and which years it filled', async () => {
    const { db } = database;
    const organization = await organizationFrom('2020-01-01');
    const teacher = await aProfessional(db);
    await anEmployment(db, teacher, organization, '2023-01-05');
    await credited(db, teacher, '2025-04-01', 36);
    const { requirements, compliant } = await complianceOf(teacher, '2025-06-01');
    const licensing = requirements.find((r) => r.requirement === 'licensing-annual-hours')!;
    expect(licensing.backfill).toEqual({
      reach: 'since-first-employment',
      filled: ['2023', '2024'],
      explanation:
        'Later hours fill earlier periods that fell short, back to the first employment; filled: 2023, 2024.',
    });
    expect(licensing.periods.at(-1)!.explanation).toContain('went to earlier years that fell short (2023, 2024)');
    expect(compliant).toBe(true);
  });
});

describe('recomputing stored compliance as of a date', () => {
  it('turns a person compliant in 2026 not compliant for 2027 when recomputed as of 2027-01-01', async () => {
    const { db } = database;
    const organization = await organizationFrom('2020-01-01');
    const teacher = await aProfessional(db);
    await anEmployment(db, teacher, organization, '2026-01-05');
    await credited(db, teacher, '2026-03-02', 4);

    await admin.post('/api/admin/compliance/recompute?asOf=2026-12-31').expect(200);
    const during = await db('compliance_results').where({ professional_id: teacher.id }).first();
    expect([during.as_of, during.compliant]).toEqual(['2026-12-31', true]);

    const bad = await admin.post('/api/admin/compliance/recompute?asOf=2027-02-30');
    expect(bad.status).toBe(400);
    const answer = await admin.post('/api/admin/compliance/recompute?asOf=2027-01-01').expect(200);
    expect(answer.body.asOf).toBe('2027-01-01');
    expect(answer.body.recomputed).toBeGreaterThan(0);
    const turned = await db('compliance_results').where({ professional_id: teacher.id }).first();
    expect([turned.as_of, turned.compliant]).toEqual(['2027-01-01', false]);
    expect(turned.result.requirements[0]).toMatchObject({ requirement: 'licensing-annual-hours', deficitsCarried: 8 });
  });
});
