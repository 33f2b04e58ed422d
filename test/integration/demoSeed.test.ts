import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../bin/demoSeed.js';
import { hashPassword, passwordMatches } from '../../api/auth/crypto.js';
import { complianceAsOf, recomputeCompliance } from '../../services/compliance.js';
import { summarize } from '../../rules/compliance.js';
import { analyticsReport } from '../../services/analytics/reports.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe('the demo data', () => {
  it('loads 50 professionals with three years of history and accounts to sign in with, once', async () => {
    const { db } = database;
    const started: number[] = [];
    const renewals: number[] = [];
    const cases: string[] = [];
    const reminders: number[] = [];
    const options = {
      today: '2026-11-23',
      demoPasswordHash: await hashPassword(DEMO_PASSWORD),
      startDeadlines: async (id: number) => started.push(id),
      startCredentialRenewal: async (id: number) => renewals.push(id),
      startCase: async (type: string, id: number, workflowId: string) => cases.push(`${type} ${id} ${workflowId}`),
      startEventReminders: async (id: number) => reminders.push(id),
    };
    const first = await seedDemo(db, options);
    expect(first).toMatchObject({ seeded: true, professionals: 50, deadlineWorkflowsStarted: 4 });
    // Cards of every standing, each followed by a renewal workflow; education gives varied career levels.
    const cards = await db('credentials').select('id', 'expires_on');
    expect(renewals.sort((a, b) => a - b)).toEqual(
      cards.map((c: { id: number }) => c.id).sort((a: number, b: number) => a - b),
    );
    expect(cards.some((c: { expires_on: string }) => c.expires_on < '2026-11-23')).toBe(true);
    expect(cards.some((c: { expires_on: string }) => c.expires_on > '2026-11-23' && c.expires_on < '2027-01-22')).toBe(
      true,
    );
    expect(await db('education').count<{ count: number }[]>({ count: '*' })).not.toEqual([{ count: 0 }]);
    expect(await db('organizations').where({ license_exempt: true }).pluck('name')).toEqual([
      'Sunrise Family Child Care',
    ]);
    // Three cases for the review queue, each with its workflow started; a lead reviewer; an approved trainer.
    expect(cases.map((c) => c.split(' ')[0])).toEqual(['organization_claim', 'course_approval', 'trainer_application']);
    expect(cases.every((c) => /^\S+ (\d+) case-[a-z-]+-\1$/.test(c))).toBe(true);
    expect(await db('reviewer_profiles').where({ is_lead: true }).count<{ count: number }[]>({ count: '*' })).toEqual([
      { count: 1 },
    ]);
    expect(await db('trainers').count<{ count: number }[]>({ count: '*' })).toEqual([{ count: 1 }]);
    // Upcoming events for the catalog, placed at the demo organizations' ZIP codes, each with its
    // reminder workflow; one held yesterday awaiting attendance; a conference with parallel rooms.
    expect(await db('events').count<{ count: number }[]>({ count: '*' })).toEqual([{ count: 26 }]);
    expect(reminders).toHaveLength(25);
    const held = (await db('events').where('last_session_at', '<', new Date('2026-11-23T06:00:00Z')).first())!;
    expect(await db('registrations').where({ event_id: held.id, status: 'registered' })).toHaveLength(3);
    const conference = (await db('events').where({ session_choice: true }).first())!;
    expect(Number(conference.clock_hours)).toBe(21);
    expect(await db('event_sessions').where({ event_id: conference.id })).toHaveLength(51);
    // The DESE library's online courses can be taken: modules, a knowledge check; one costs $5.
    const ready = await db('courses')
      .where({ delivery: 'online', approved: true })
      .whereNotNull('pass_mark_percent')
      .select('title', 'fee_cents');
    expect(ready.map((c: { title: string }) => c.title).sort()).toEqual([
      'Family Engagement Essentials',
      'Health and Safety Basics',
      'Infant Safe Sleep',
    ]);
    expect(await db('course_modules').count<{ count: number }[]>({ count: '*' })).toEqual([{ count: 9 }]);
    // Parker Policy's two drafts for the Rules pages.
    expect(await db('rule_set_versions').where({ status: 'draft' }).orderBy('version').pluck('version')).toEqual([
      2, 3,
    ]);
    expect(
      await db('events').whereNotNull('address_line').whereNull('latitude').count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 0 }]);
    expect(first.trainingRecords).toBeGreaterThan(300);
    const years = await db('training_records')
      .distinct(db.raw('extract(year from completed_on)::int AS year'))
      .orderBy('year');
    // Regular training covers the last three years; some hires of 2023 took safe-sleep training then.
    expect(years.map((r: { year: number }) => r.year)).toEqual(expect.arrayContaining([2024, 2025, 2026]));
    expect(years[0].year).toBeGreaterThanOrEqual(2023);
    expect(await db('compliance_results').count<{ count: number }[]>({ count: '*' })).toEqual([{ count: 50 }]);
    const statuses = await db('compliance_results').select('compliant');
    expect(new Set(statuses.map((r: { compliant: boolean }) => r.compliant))).toEqual(new Set([true, false]));

    const admin = await db('users').where({ email: 'admin@mopd.example' }).first();
    expect(await passwordMatches(admin.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(await db('organization_claims').where({ status: 'approved' })).toHaveLength(5);

    expect(await seedDemo(db, options)).toMatchObject({ seeded: false });
    expect(started).toHaveLength(4);
  });

  it('recomputes everyone in batches to the same result as one person at a time', async () => {
    const { db } = database;
    const progress: number[] = [];
    expect(
      await recomputeCompliance(db, { asOf: '2026-06-30', batchSize: 20, onProgress: (done) => progress.push(done) }),
    ).toBe(50);
    expect(progress).toEqual([20, 40, 50]);
    for (const { id } of await db('professionals').orderBy('id').limit(50).select('id')) {
      const stored = await db('compliance_results').where({ professional_id: id }).first();
      const fresh = await complianceAsOf(db, id, '2026-06-30');
      expect(stored.result).toEqual(
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
  });

  it('gives the analytics page a gap to lead with and a workforce to count', async () => {
    const { db } = database;
    const demand = await analyticsReport(db, 'demand', {}, '2026-11-23');
    if (demand.report !== 'demand') throw new Error('not the demand report');
    // The full curriculum workshop in Columbia leads; the full online safe-sleep class has other dates with seats.
    expect(demand.demand.map((d) => [d.topic, d.region, d.waitlisted, d.gap])[0]).toEqual([
      'curriculum',
      'Central',
      { suppressed: false, value: 6 },
      { suppressed: false, value: 6 },
    ]);
    expect(demand.demand.find((d) => d.topic === 'infant-safe-sleep' && d.region === 'online')).toMatchObject({
      waitlisted: { suppressed: false, value: 6 },
      events: 4,
      seatsLeft: 75,
    });
    const workforce = await analyticsReport(db, 'workforce', {}, '2026-11-23');
    if (workforce.report === 'demand') throw new Error('not a table report');
    expect(workforce.tables[0]!.total).toEqual({ suppressed: false, value: 50 });
  });
});
