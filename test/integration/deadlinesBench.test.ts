/**
 * The short CI run of the annual-deadline benchmark (test/bench/deadlines.ts, `npm run
 * bench:deadlines`): 300 people seeded as the benchmark seeds 60,000, the reminder run for
 * December 1 by the real `complianceReminders` workflow with its worker in a child process,
 * killed with SIGKILL after the first heartbeats, and a new worker process: every reminder the
 * pure rules say is due is in the outbox exactly once. The dead attempt is failed by id rather
 * than waited out (its heartbeat timeout is two minutes); the full benchmark waits it out.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../db/connection.js';
import {
  REMINDER_DAY,
  benchDatabase,
  clearReminders,
  expectedReminders,
  killRun,
  licensingPeople,
  reminderOutbox,
  seedRegistry,
  shortOfLicensingHoursBySql,
} from '../bench/deadlines.js';

const PEOPLE = 300;
let database: Awaited<ReturnType<typeof benchDatabase>>;
let db: Db;

beforeAll(async () => {
  // Its own database with ids from 1, as the benchmark's seeding expects.
  database = await benchDatabase(`mopd_test_deadlines_${randomBytes(5).toString('hex')}`);
  ({ db } = database);
  await seedRegistry(db, PEOPLE);
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

describe('the reminder run of the deadline benchmark, its worker killed midway', () => {
  it('writes every reminder due exactly once', async () => {
    const expected = await expectedReminders(db, REMINDER_DAY);
    // A quarter of the people did not top up their hours: most of them are short on December 1.
    expect(expected.people).toBeGreaterThan(PEOPLE / 8);
    expect(expected.people).toBeLessThanOrEqual(PEOPLE / 4 + 1);
    expect(licensingPeople(expected.keys)).toBe(await shortOfLicensingHoursBySql(db, REMINDER_DAY));
    await clearReminders(db);

    const run = await killRun({
      db,
      databaseUrl: database.url,
      temporalAddress: inject('temporalAddress'),
      workflowBundlePath: inject('workflowBundlePath'),
      asOf: REMINDER_DAY,
      // Small sub-batches, so the kill falls midway through the first batch.
      batchSize: 25,
      failDeadAttempt: true,
    });
    expect(run.heartbeatedLastId).toBeGreaterThan(0);
    expect(run.heartbeatedLastId).toBeLessThan(PEOPLE);
    expect(run.remindersAtKill).toBeLessThan(expected.keys.size);
    // The killed attempt's people and reminders count too: its heartbeat carried them over.
    expect(run.result).toEqual({ asOf: REMINDER_DAY, checked: PEOPLE, reminded: expected.keys.size });

    const outbox = await reminderOutbox(db, expected.keys);
    expect(outbox).toEqual({ rows: expected.keys.size, duplicated: 0, missing: [], unexpected: [] });
  }, 90_000);
});
