/**
 * The rollover schedules on the Temporal dev server: created at start-up once (a second start
 * changes nothing), in America/Chicago at midnight on January 1 and on the first of every other
 * month, and a schedule triggered by hand (as `temporal schedule trigger` does) runs the rollover
 * with today's Chicago date, also after the worker restarted. Beside them, the daily deadline
 * reminder schedule (07:00 in Chicago), which likewise survives a restart and runs when triggered.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ensureRolloverSchedules, reminderScheduleId, rolloverScheduleId } from '../../services/workflowClient.js';
import { localDateOf } from '../../rules/dates.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startWorker } from '../support/worker.js';
import { until } from '../support/polling.js';
import { aProfessional } from '../support/fixtures.js';

let database: TestDatabase;
let connection: NativeConnection;
let client: Client;
let worker: { stop(): Promise<void> };
const taskQueue = `rollover-${randomUUID()}`;
const ids = [
  rolloverScheduleId('year', taskQueue),
  rolloverScheduleId('month', taskQueue),
  reminderScheduleId(taskQueue),
];

beforeAll(async () => {
  database = await createTestDatabase();
  // Over a worker's native connection, as bin/worker.ts creates them at start-up.
  connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  worker = await startWorker(database.db, taskQueue);
});
afterAll(async () => {
  for (const id of ids)
    await client?.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await worker?.stop();
  await connection?.close();
  await database?.drop();
});

describe('the rollover schedules', () => {
  it('are created once, in Chicago time, at midnight on January 1 and on the first of each other month', async () => {
    expect(await ensureRolloverSchedules(client, taskQueue)).toEqual([
      { scheduleId: ids[0], created: true },
      { scheduleId: ids[1], created: true },
      { scheduleId: ids[2], created: true },
    ]);
    // A second start-up (a restarted worker) changes nothing.
    expect(await ensureRolloverSchedules(client, taskQueue)).toEqual([
      { scheduleId: ids[0], created: false },
      { scheduleId: ids[1], created: false },
      { scheduleId: ids[2], created: false },
    ]);
    const listed: string[] = [];
    for await (const s of client.schedule.list()) if (s.scheduleId.endsWith(taskQueue)) listed.push(s.scheduleId);
    expect(listed.sort()).toEqual([...ids].sort());

    const year = await client.schedule.getHandle(ids[0]!).describe();
    expect(year.spec.timezone).toBe('America/Chicago');
    expect(year.spec.calendars).toMatchObject([
      {
        month: [{ start: 'JANUARY', end: 'JANUARY' }],
        dayOfMonth: [{ start: 1, end: 1 }],
        hour: [{ start: 0, end: 0 }],
      },
    ]);
    expect(year.policies.overlap).toBe('SKIP');
    expect(year.action).toMatchObject({ type: 'startWorkflow', workflowType: 'complianceRollover', taskQueue });
    // The next run is midnight on January 1 in Chicago.
    const next = year.info.nextActionTimes[0]!;
    expect(localDateOf(next).slice(5)).toBe('01-01');
    expect(next.toISOString()).toMatch(/T0[56]:00:00\.000Z$/);

    const month = await client.schedule.getHandle(ids[1]!).describe();
    expect(month.spec.timezone).toBe('America/Chicago');
    expect(month.spec.calendars).toMatchObject([
      { month: [{ start: 'FEBRUARY', end: 'DECEMBER' }], dayOfMonth: [{ start: 1, end: 1 }] },
    ]);
    expect(localDateOf(month.info.nextActionTimes[0]!).slice(8)).toBe('01');

    const reminders = await client.schedule.getHandle(ids[2]!).describe();
    expect(reminders.spec.timezone).toBe('America/Chicago');
    expect(reminders.spec.calendars).toMatchObject([{ hour: [{ start: 7, end: 7 }], minute: [{ start: 0, end: 0 }] }]);
    expect(reminders.policies.overlap).toBe('SKIP');
    expect(reminders.action).toMatchObject({ type: 'startWorkflow', workflowType: 'complianceReminders', taskQueue });
    // Every day at 07:00 in Chicago (13:00 or 12:00 UTC).
    const [first, second] = reminders.info.nextActionTimes;
    expect(first!.toISOString()).toMatch(/T1[23]:00:00\.000Z$/);
    expect(second!.getTime() - first!.getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(second!.getTime() - first!.getTime()).toBeLessThanOrEqual(25 * 3600_000);
  });

  it('survives a worker restart and runs the rollover when triggered by hand', async () => {
    const person = await aProfessional(database.db);
    // The worker restarts (its start-up ensures the schedules again): the schedules are the server's.
    await worker.stop();
    worker = await startWorker(database.db, taskQueue);
    expect((await ensureRolloverSchedules(client, taskQueue)).map((s) => s.created)).toEqual([false, false, false]);
    const handle = client.schedule.getHandle(ids[1]!);
    await handle.trigger();
    const described = await until(
      () => handle.describe(),
      (d) => d.info.recentActions.length > 0,
    );
    const started = described.info.recentActions[0]!.action;
    const result = (await client.workflow
      .getHandle(started.workflow.workflowId, started.workflow.firstExecutionRunId)
      .result()) as { asOf: string; recomputed: number };
    expect(result).toEqual({ asOf: localDateOf(new Date()), recomputed: 1 });
    const row = await database.db('compliance_results').where({ professional_id: person.id }).first();
    expect(row.as_of).toBe(localDateOf(new Date()));

    // The reminder schedule, triggered by hand after the restart, runs for today's Chicago date.
    const reminders = client.schedule.getHandle(ids[2]!);
    await reminders.trigger();
    const ran = await until(
      () => reminders.describe(),
      (d) => d.info.recentActions.length > 0,
    );
    const run = ran.info.recentActions[0]!.action;
    const outcome = (await client.workflow
      .getHandle(run.workflow.workflowId, run.workflow.firstExecutionRunId)
      .result()) as { asOf: string; checked: number; reminded: number };
    // One person, employed nowhere: looked at, reminded of nothing.
    expect(outcome).toEqual({ asOf: localDateOf(new Date()), checked: 1, reminded: 0 });
  });
});
