/**
 * A permanent failure in an activity (a DomainError of a permanent type, such as a record that is
 * not there) fails the activity at once, as a non-retryable ApplicationFailure of the same type;
 * a transient one, and any other error, is left for Temporal to retry.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure, Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { inject } from 'vitest';
import { createActivities, type Activities } from '../../activities/index.js';
import { asActivityFailure } from '../../activities/failures.js';
import { DomainError } from '../../services/errors.js';
import { importWorkflowsOverClient } from '../../services/workflowClient.js';
import { legacyImportApplyWorkflowId } from '../../workflows/legacyImportApply.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startWorker } from '../support/worker.js';
import { keepHistory } from '../support/histories.js';

let database: TestDatabase;
let activities: Activities;
let connection: Connection;
let client: Client;
let worker: { stop(): Promise<void> };
const taskQueue = `activity-failures-${randomUUID()}`;
const missing = () => 900_000_000 + Math.floor(Math.random() * 1_000_000);

beforeAll(async () => {
  database = await createTestDatabase();
  activities = createActivities({
    db: database.db,
    publicUrl: 'http://mopd.test',
    importWorkflows: importWorkflowsOverClient,
  });
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  worker = await startWorker(database.db, taskQueue);
});
afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await database?.drop();
});

/** Each try of each activity in a workflow's history: its type, attempt, and how it failed (if it did). */
async function triesOf(workflowId: string) {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = new Map<string, string>();
  const tries: Array<{ activity: string; attempt: number; failure?: { type: string; nonRetryable: boolean } }> = [];
  for (const e of events as temporal.api.history.v1.IHistoryEvent[]) {
    if (e.activityTaskScheduledEventAttributes)
      scheduled.set(String(e.eventId), e.activityTaskScheduledEventAttributes.activityType!.name!);
    if (e.activityTaskStartedEventAttributes)
      tries.push({
        activity: scheduled.get(String(e.activityTaskStartedEventAttributes.scheduledEventId))!,
        attempt: e.activityTaskStartedEventAttributes.attempt!,
      });
    if (e.activityTaskFailedEventAttributes) {
      const info = e.activityTaskFailedEventAttributes.failure!.applicationFailureInfo!;
      tries.at(-1)!.failure = { type: info.type!, nonRetryable: Boolean(info.nonRetryable) };
    }
  }
  return tries;
}

describe('an activity meeting a permanent failure', () => {
  it('throws it as a non-retryable ApplicationFailure of the DomainError’s type', async () => {
    const failure = await new MockActivityEnvironment().run(activities.runSimulation, { simulationId: missing() }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'NotFound',
      nonRetryable: true,
      message: expect.stringMatching(/^No simulation \d+$/),
    });
  });

  it('leaves transient and unnamed errors as they are, for Temporal to retry', () => {
    const away = new DomainError('Unavailable', 'The database is not answering');
    const plain = new Error('connection reset');
    expect(asActivityFailure(away)).toBe(away);
    expect(asActivityFailure(plain)).toBe(plain);
    expect(asActivityFailure(new DomainError('Conflict', 'Already decided', 'decision'))).toMatchObject({
      type: 'Conflict',
      nonRetryable: true,
      details: [{ field: 'decision' }],
    });
  });

  it('fails the activity on its first try, and the workflow records why (simulation of a missing draft)', async () => {
    const simulationId = missing();
    const workflowId = `rule-set-simulation-missing-${simulationId}`;
    const handle = await client.workflow.start('ruleSetSimulation', {
      taskQueue,
      workflowId,
      args: [{ simulationId }],
    });
    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe(
      `Simulation ${simulationId} failed: No simulation ${simulationId}`,
    );
    // Tried once (the policy allows three), then the failure recorded on the simulation.
    expect(await triesOf(workflowId)).toEqual([
      { activity: 'runSimulation', attempt: 1, failure: { type: 'NotFound', nonRetryable: true } },
      { activity: 'failSimulation', attempt: 1 },
    ]);
    await keepHistory(handle, 'ruleSetSimulation-failed-not-found');
  });

  it('fails the activity on its first try for a batch that is not there (legacy import apply)', async () => {
    const batchId = missing();
    const handle = await client.workflow.start('legacyImportApply', {
      taskQueue,
      workflowId: legacyImportApplyWorkflowId(batchId),
      args: [{ batchId, actorUserId: null }],
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await triesOf(handle.workflowId)).toEqual([
      { activity: 'applyImportBatch', attempt: 1, failure: { type: 'ImportBatchNotFound', nonRetryable: true } },
      { activity: 'failImportBatch', attempt: 1 },
    ]);
    await keepHistory(handle, 'legacyImportApply-failed-batch-missing');
  });
});
