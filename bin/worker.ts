/** The Temporal worker: runs the workflows (from the prebuilt bundle when there is one) and activities. */
import fs from 'node:fs';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { Client } from '@temporalio/client';
import { ensureRolloverSchedules, importWorkflowsOverClient } from '../services/workflowClient.js';
import { createDb } from '../db/connection.js';
import { WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH } from './workflowBundle.js';
import { configOrExit, createLogger, onShutdown } from './runtime.js';

const config = configOrExit();
const logger = createLogger(config, 'worker');
const db = createDb(config.DATABASE_URL);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await Worker.create({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  ...(config.WORKFLOW_BUNDLE_PATH
    ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
    : fs.existsSync(WORKFLOW_BUNDLE_PATH)
      ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: WORKFLOWS_PATH }),
  activities: createActivities({ db, publicUrl: config.PUBLIC_URL, importWorkflows: importWorkflowsOverClient }),
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
onShutdown(logger, async () => worker.shutdown());
logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
await worker.run();
await Promise.allSettled([db.destroy(), connection.close()]);
