/**
 * The real app on a fresh database for HTTP tests, with Redis and a Temporal gateway on a task
 * queue of its own (no worker: routes that start workflows only start them).
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import type { AppDeps } from '../../api/app.js';
import { createRedis } from '../../bin/runtime.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testApp } from './app.js';

export interface HttpApp {
  database: TestDatabase;
  app: Express;
  temporal: TemporalGateway;
  /** The task queue the gateway starts workflows on (a test may run a worker on it). */
  taskQueue: string;
  close(): Promise<void>;
}

export async function startHttpApp(name: string, over: Partial<AppDeps> = {}): Promise<HttpApp> {
  const database = await createTestDatabase();
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const taskQueue = `${name}-${randomUUID()}`;
  const temporal = createTemporalGateway({ address: inject('temporalAddress'), namespace: 'default', taskQueue });
  const { app } = testApp(database, redis, temporal, over);
  return {
    database,
    app,
    temporal,
    taskQueue,
    async close() {
      await temporal.close();
      await redis.quit();
      await database.drop();
    },
  };
}
