/**
 * A time-skipping Temporal test server with a worker running the real workflow bundle and
 * activities against a fresh PostgreSQL database, plus SMTP capture and the mail path.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { importWorkflowsOverClient } from '../../services/workflowClient.js';
import { localDateOf } from '../../rules/dates.js';
import { temporalTestServer } from '../../bin/tools.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startTestMail } from './mail.js';
import type { OutboxRow } from '../../db/rows.js';
import { workerTracing } from '../../bin/tracing.js';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  smtp: SmtpCapture;
  mail: Awaited<ReturnType<typeof startTestMail>>;
  /** Today on the test server's clock, which earlier tests have moved forward. */
  serverToday(): Promise<string>;
  /** Runs the body while a worker on a fresh task queue serves it. */
  withWorker<T>(body: (taskQueue: string) => Promise<T>): Promise<T>;
  outboxTo(address: string): Promise<OutboxRow[]>;
  close(): Promise<void>;
}

export async function startTimeSkipping(): Promise<TimeSkipping> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServer() } },
  });
  const database = await createTestDatabase();
  const smtp = await startSmtpCapture();
  const mail = await startTestMail(database.db, smtp.smtpUrl);
  return {
    env,
    database,
    smtp,
    mail,
    serverToday: async () => localDateOf(new Date(await env.currentTimeMs())),
    async withWorker(body) {
      const taskQueue = `test-${randomUUID()}`;
      const worker = await Worker.create({
        // The bundle's OpenTelemetry workflow interceptors send their spans to this sink (dropped: no tracing here).
        ...workerTracing(undefined),
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        activities: createActivities({
          db: database.db,
          publicUrl: 'http://mopd.test',
          importWorkflows: importWorkflowsOverClient,
        }),
      });
      return worker.runUntil(body(taskQueue));
    },
    outboxTo: (address) => database.db('outbox').where({ to_address: address }).orderBy('id'),
    async close() {
      await mail.close();
      await smtp.close();
      await database.drop();
      await env.teardown();
    },
  };
}
