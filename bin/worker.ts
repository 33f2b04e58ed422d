/** The Temporal worker: runs the workflows (from the prebuilt bundle when there is one) and activities. */
import fs from 'node:fs';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { Client } from '@temporalio/client';
import {
  ensureDirectorDigestSchedule,
  ensureRolloverSchedules,
  importWorkflowsOverClient,
} from '../services/workflowClient.js';
import { createDb } from '../db/connection.js';
import { BUILT_WORKFLOW_BUNDLE_PATH, WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH } from './workflowBundle.js';
import { compiled } from './tools.js';
import { configOrExit, createLogger, onShutdown } from './runtime.js';
import { startTracing, workerTracing } from './tracing.js';
import { temporalMetricsTelemetry } from './temporalMetrics.js';

const config = configOrExit();
const logger = createLogger(config, 'worker');
// Before the pool and the connection exist: the instrumentations patch pg and the SDK's runtime is made once.
const tracing = await startTracing({ service: 'mopd-worker', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
if (config.TEMPORAL_METRICS_ADDRESS) {
  Runtime.install({ telemetryOptions: temporalMetricsTelemetry(config.TEMPORAL_METRICS_ADDRESS) });
  logger.info({ address: config.TEMPORAL_METRICS_ADDRESS }, 'Temporal SDK metrics served for Prometheus at /metrics');
}
const db = createDb(config.DATABASE_URL);
// The bundle named by the configuration, else the one the build (compiled) or bin/start (tsx) wrote;
// without one the worker bundles the workflows itself at start-up.
const prebuiltBundle =
  config.WORKFLOW_BUNDLE_PATH ??
  [compiled ? BUILT_WORKFLOW_BUNDLE_PATH : WORKFLOW_BUNDLE_PATH].find((file) => fs.existsSync(file));
logger.info({ workflowBundle: prebuiltBundle ?? 'bundled at start-up' }, 'loading workflows');
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await Worker.create({
  ...workerTracing(tracing),
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  ...(prebuiltBundle ? { workflowBundle: { codePath: prebuiltBundle } } : { workflowsPath: WORKFLOWS_PATH }),
  activities: createActivities({ db, publicUrl: config.PUBLIC_URL, importWorkflows: importWorkflowsOverClient }),
  // Shutting down, running activities get this long to finish before they are cancelled.
  shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
});
// The rollover schedules, created once per namespace and task queue (a restart changes nothing).
try {
  const schedules = await ensureRolloverSchedules(
    new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    config.TEMPORAL_TASK_QUEUE,
  );
  logger.info({ schedules }, 'rollover schedules in place');
} catch (error) {
  // The worker still serves its workflows; the next start-up tries again.
  logger.error({ err: error }, 'could not create the rollover schedules');
}
// The directors' weekly digest, likewise created once.
try {
  const schedule = await ensureDirectorDigestSchedule(
    new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    config.TEMPORAL_TASK_QUEUE,
  );
  logger.info({ schedule }, 'director digest schedule in place');
} catch (error) {
  logger.error({ err: error }, 'could not create the director digest schedule');
}
logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
const running = worker.run();
// On SIGTERM/SIGINT the worker stops polling and lets the activities it holds finish (the SDK's own
// signal handler may have asked first); the process exits only once they have reported back, so no
// other worker has to run them again.
onShutdown(logger, async () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
  logger.info('worker drained; closing connections');
  await Promise.allSettled([db.destroy(), connection.close()]);
  await tracing?.shutdown();
});
await running;
