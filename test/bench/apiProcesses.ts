/**
 * The API for `bench:load` as BENCH_API_PROCESSES processes sharing one port (node:cluster, as
 * bin/apiCluster.ts runs them): each builds the app exactly as load.ts does in its own process, with
 * its own pool of database connections. Started by load.ts, configured through the environment:
 * LOAD_DATABASE_URL, LOAD_TEMPORAL_ADDRESS, LOAD_TASK_QUEUE, LOAD_PORT, LOAD_SIGN_IN_WINDOW_MS,
 * LOAD_SIGN_IN_MAX, LOAD_LOG_LEVEL. SIGTERM stops every process once its requests are answered.
 */
import cluster from 'node:cluster';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createApp } from '../../api/app.js';
import { createSecretBox, parseSecretKeys } from '../../api/auth/secretBox.js';
import { DEVELOPMENT_SECRETS_KEYS } from '../../bin/config.js';
import { createRedis } from '../../bin/runtime.js';
import { createDb } from '../../db/connection.js';
import { createTemporalGateway } from '../../services/workflowClient.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (test/bench/apiProcesses.ts is started by test/bench/load.ts)`);
  return value;
};

if (cluster.isPrimary) {
  const count = Number(env('BENCH_API_PROCESSES'));
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === count) process.stdout.write(`${count} API processes listening\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (!stopping) {
      process.stderr.write(`an API process ended (${code ?? signal})\n`);
      process.exitCode = 1;
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
  });
  process.on('SIGTERM', () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  });
} else {
  const db = createDb(env('LOAD_DATABASE_URL'));
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const temporal = createTemporalGateway({
    address: env('LOAD_TEMPORAL_ADDRESS'),
    namespace: 'default',
    taskQueue: env('LOAD_TASK_QUEUE'),
  });
  const { app } = createApp({
    db,
    redis,
    temporal,
    smtpCheck: async () => true,
    logger: pino({ level: process.env.LOAD_LOG_LEVEL ?? 'error' }),
    databaseUrl: env('LOAD_DATABASE_URL'),
    sessionSecret: 'load-secret-that-is-long-enough-for-the-schema',
    secrets: createSecretBox(parseSecretKeys(DEVELOPMENT_SECRETS_KEYS)),
    publicUrl: 'http://mopd.load',
    uploadDir: path.join(os.tmpdir(), `mopd-load-uploads-${randomUUID()}`),
    signInLimit: { windowMs: Number(env('LOAD_SIGN_IN_WINDOW_MS')), max: Number(env('LOAD_SIGN_IN_MAX')) },
  });
  const server = app.listen(Number(env('LOAD_PORT')), '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close(
      () => void Promise.allSettled([db.destroy(), redis.quit(), temporal.close()]).then(() => process.exit(0)),
    );
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 200).unref();
  });
}
