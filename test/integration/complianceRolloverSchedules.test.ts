/**
 * The rollover schedules on the Temporal dev server: created at start-up once (a second start
 * changes nothing), in America/Chicago at midnight on January 1 and on the first of every other
 * month, and a schedule triggered by hand (as `temporal schedule trigger` does) runs the rollover
 * with today's Chicago date, also after the worker restarted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ensureRolloverSchedules, rolloverScheduleId } from '../../services/workflowClient.js';
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
const ids = [rolloverScheduleId('year', taskQueue), rolloverScheduleId('month', taskQueue)];

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
    ]);
    // A second start-up (a restarted worker) changes nothing.
    expect(await ensureRolloverSchedules(client, taskQueue)).toEqual([
      { scheduleId: ids[0], created: false },
      { scheduleId: ids[1], created: false },
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
  });

  it('survives a worker restart and runs the rollover when triggered by hand', async () => {
    const person = await aProfessional(database.db);
    // The worker restarts (its start-up ensures the schedules again): the schedules are the server's.
    await worker.stop();
    worker = await startWorker(database.db, taskQueue);
    expect((await ensureRolloverSchedules(client, taskQueue)).map((s) => s.created)).toEqual([false, false]);
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
  });
});
