/**
 * The turn of a period moves stored compliance on (time-skipping server, real activities on
 * PostgreSQL): the `complianceRollover` workflow recomputes everyone as of January 1 in batches,
 * the directory's stored row moves to the new year, a run again on the same date changes nothing,
 * and a retried batch carries on after the last id it heartbeat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createRolloverActivities } from '../../activities/complianceRollover.js';
import { recordTraining } from '../../services/training.js';
import { refreshCompliance, type StoredCompliance } from '../../services/compliance.js';
import { complianceRollover } from '../../workflows/complianceRollover.js';
import type { TestDatabase } from '../support/database.js';
import { aCourse, aProfessional, anEmployment, anOrganization } from '../support/fixtures.js';
import { startTimeSkipping, type TimeSkipping } from '../support/timeSkipping.js';
import { keepHistory } from '../support/histories.js';
import type { ProfessionalRow } from '../../db/rows.js';
import { localDateOf } from '../../rules/dates.js';

let skipping: TimeSkipping;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let year: number;

beforeAll(async () => {
  skipping = await startTimeSkipping();
  ({ env, database } = skipping);
  year = Number((await skipping.serverToday()).slice(0, 4));
});
afterAll(async () => {
  await skipping?.close();
});

/** Someone at a licensed program since January, with `hours` credited this year; their compliance stored today. */
async function aTeacherWith(hours: number, organizationOver: Parameters<typeof anOrganization>[1] = {}) {
  const { db } = database;
  const organization = await anOrganization(db, { licensed: true, serves_infants: false, ...organizationOver });
  const person = await aProfessional(db);
  await anEmployment(db, person, organization, `${year}-01-01`);
  const course = await aCourse(db, { clock_hours: hours });
  await recordTraining(db, {
    professionalId: person.id,
    courseId: course.id,
    completedOn: `${year}-06-01`,
    source: 'attendance',
  });
  // Stored as of December 1 (the server's clock skips ahead while a test waits on a workflow).
  await refreshCompliance(db, person.id, new Date(`${year}-12-01T18:00:00Z`));
  return person;
}

async function stored(person: ProfessionalRow) {
  const row = await database.db('compliance_results').where({ professional_id: person.id }).first();
  const result = row.result as StoredCompliance;
  const licensing = result.requirements.find((r) => r.requirement.includes('licensing'))!;
  return { asOf: result.asOf, compliant: row.compliant as boolean, licensing, computedAt: String(row.computed_at) };
}

describe('the compliance rollover workflow', () => {
  it('moves everyone stored compliance to the new year, in batches, and a second run changes nothing', async () => {
    const met = await aTeacherWith(12);
    const short = await aTeacherWith(4);
    const others = [await aTeacherWith(12), await aTeacherWith(2), await aTeacherWith(12)];
    expect(await stored(met)).toMatchObject({ compliant: true, licensing: { status: 'met', applied: 12 } });
    expect((await stored(met)).licensing.period).toBe(String(year));
    expect((await stored(short)).licensing).toMatchObject({ applied: 4 });

    const nextYear = `${year + 1}-01-01`;
    const result = await skipping.withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(complianceRollover, {
        taskQueue,
        workflowId: `rollover-${Date.now()}`,
        // Two people per activity, one per heartbeat: several batches even here.
        args: [{ asOf: nextYear, batchLimit: 2, batchSize: 1 }],
      });
      const outcome = await handle.result();
      await keepHistory(handle, 'complianceRollover-batches');
      return outcome;
    });
    const everyone = Number((await database.db('professionals').count({ n: '*' }))[0]!.n);
    expect(result).toEqual({ asOf: nextYear, recomputed: everyone });

    const after = await stored(met);
    expect(after).toMatchObject({ asOf: nextYear, licensing: { status: 'in_progress', applied: 0 } });
    expect(after.licensing.period).toBe(String(year + 1));
    // Short last year: the deficit is carried into the new one and the directory says not compliant.
    expect(await stored(short)).toMatchObject({ asOf: nextYear, compliant: false, licensing: { deficitsCarried: 8 } });
    for (const person of others) expect((await stored(person)).asOf).toBe(nextYear);

    // Run again on the same date: nothing is written again.
    const computedAt = (await stored(met)).computedAt;
    await skipping.withWorker((taskQueue) =>
      env.client.workflow.execute(complianceRollover, {
        taskQueue,
        workflowId: `rollover-again-${Date.now()}`,
        args: [{ asOf: nextYear }],
      }),
    );
    expect((await stored(met)).computedAt).toBe(computedAt);
  });

  it('without a date (as a schedule starts it) takes its start time as a Chicago date', async () => {
    await aTeacherWith(12);
    const { result, startTime } = await skipping.withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(complianceRollover, {
        taskQueue,
        workflowId: `rollover-today-${Date.now()}`,
      });
      return { result: await handle.result(), startTime: (await handle.describe()).startTime };
    });
    expect(result.asOf).toBe(localDateOf(startTime));
  });

  it('moves a July program on at its contract year', async () => {
    const person = await aTeacherWith(12, { contract_year_start_month: 7 });
    // Contract years are named by the year they start in: July this year to June next.
    expect((await stored(person)).licensing.period).toBe(String(year));
    const julyFirst = `${year + 1}-07-01`;
    await skipping.withWorker((taskQueue) =>
      env.client.workflow.execute(complianceRollover, {
        taskQueue,
        workflowId: `rollover-july-${Date.now()}`,
        args: [{ asOf: julyFirst }],
      }),
    );
    const after = await stored(person);
    expect(after).toMatchObject({ asOf: julyFirst, licensing: { period: String(year + 1), applied: 0 } });
  });
});

describe('a rollover batch retried after its worker died', () => {
  it('carries on after the last id its heartbeat recorded', async () => {
    const { db } = database;
    const people = [await aTeacherWith(12), await aTeacherWith(12), await aTeacherWith(12)];
    const asOf = `${year + 2}-01-01`;
    // The earlier attempt had done the first two when it last heartbeat.
    const activity = new MockActivityEnvironment({ heartbeatDetails: { lastId: people[1]!.id, done: 2 } });
    const beats: unknown[] = [];
    activity.on('heartbeat', (d: unknown) => beats.push(d));
    const { recomputeRolloverBatch } = createRolloverActivities({ db });
    const result = await activity.run(recomputeRolloverBatch, {
      asOf,
      afterId: people[0]!.id - 1,
      limit: 100,
      batchSize: 1,
    });
    // Those up to the heartbeat's id were not touched again; the rest were recomputed.
    expect([(await stored(people[0]!)).asOf, (await stored(people[1]!)).asOf]).not.toContain(asOf);
    expect((await stored(people[2]!)).asOf).toBe(asOf);
    // The batch's count is the whole batch's, the earlier attempt's people included.
    expect(result).toMatchObject({ finished: true, done: 3 });
    expect(beats).toEqual([{ lastId: people[2]!.id, done: 3 }]);
  });
});

describe('a rollover batch whose worker failed midway, with the real server', () => {
  it('is retried from its last heartbeat, not from the start', async () => {
    const { db } = database;
    const people = [await aTeacherWith(12), await aTeacherWith(12), await aTeacherWith(12)];
    // Every write of a stored row is logged (rolled back with its batch); the third person's first
    // write fails once (a sequence is not transactional), as a worker dying in that sub-batch would.
    await db.raw(`
      CREATE TABLE rollover_writes (professional_id bigint NOT NULL);
      CREATE SEQUENCE rollover_fault;
      CREATE FUNCTION rollover_write() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.professional_id = ${people[2]!.id} AND nextval('rollover_fault') = 1 THEN
          RAISE EXCEPTION 'worker gone';
        END IF;
        INSERT INTO rollover_writes VALUES (NEW.professional_id);
        RETURN NEW;
      END $$;
      CREATE TRIGGER rollover_write BEFORE INSERT ON compliance_results FOR EACH ROW EXECUTE FUNCTION rollover_write();
    `);
    try {
      const asOf = `${year + 3}-01-01`;
      await skipping.withWorker((taskQueue) =>
        env.client.workflow.execute(complianceRollover, {
          taskQueue,
          workflowId: `rollover-fault-${Date.now()}`,
          args: [{ asOf, batchLimit: 100_000, batchSize: 1 }],
        }),
      );
      const writes = (
        await db('rollover_writes').whereIn(
          'professional_id',
          people.map((p) => p.id),
        )
      ).map((w: { professional_id: string | number }) => Number(w.professional_id));
      // Each written once: the retry began after the second person, the last id it heartbeat.
      expect(writes.sort()).toEqual(people.map((p) => p.id).sort());
      for (const person of people) expect((await stored(person)).asOf).toBe(asOf);
    } finally {
      await db.raw(`
        DROP TRIGGER rollover_write ON compliance_results;
        DROP FUNCTION rollover_write();
        DROP SEQUENCE rollover_fault;
        DROP TABLE rollover_writes;
      `);
    }
  });
});
