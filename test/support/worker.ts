/** A worker on the Temporal dev server running the real workflow bundle and activities. */
import { inject } from 'vitest';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { importWorkflowsOverClient } from '../../services/workflowClient.js';
import type { Db } from '../../db/connection.js';
import { workerTracing, type Tracing } from '../../bin/tracing.js';

/** `tracing`: the test's, when it traces (the bundle's workflow interceptors need the worker's sink either way). */
export async function startWorker(
  db: Db,
  taskQueue: string,
  options: { tracing?: Tracing } = {},
): Promise<{ stop(): Promise<void> }> {
  const worker = await Worker.create({
    ...workerTracing(options.tracing),
    connection: await NativeConnection.connect({ address: inject('temporalAddress') }),
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ db, publicUrl: 'http://mopd.test', importWorkflows: importWorkflowsOverClient }),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
