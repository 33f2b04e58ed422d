/**
 * Compares PostgreSQL with Temporal and repairs the difference (services/reconcile.ts): rows whose
 * workflow is missing get it started again, workflows whose row is missing or closed are ended.
 *
 *   npm run reconcile                   # repair, print what was done
 *   npm run reconcile -- --dry-run      # print what would be done, change nothing
 *   npm run reconcile -- --after-restore   # the database was restored: take every open row up again
 *   npm run reconcile -- --json         # the report as JSON
 *   npm run reconcile -- --grace-seconds 0   # also end orphans started in the last five minutes
 *
 * Exit code 0 when done (or nothing to do), 1 on an error.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createDb } from '../db/connection.js';
import { describeReconcile, reconcile } from '../services/reconcile.js';
import { configOrExit } from './runtime.js';

const { values } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    'after-restore': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'grace-seconds': { type: 'string', default: '300' },
  },
});
const graceSeconds = Number(values['grace-seconds']);
if (!Number.isFinite(graceSeconds) || graceSeconds < 0) {
  process.stderr.write('--grace-seconds takes a number of seconds (0 or more)\n');
  process.exit(2);
}

const config = configOrExit();
const db = createDb(config.DATABASE_URL, { max: 2 });
const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
try {
  const report = await reconcile(db, new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    dryRun: values['dry-run'],
    afterRestore: values['after-restore'],
    orphanGraceMs: graceSeconds * 1000,
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : describeReconcile(report));
} catch (error) {
  process.stderr.write(
    `reconcile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  await connection.close();
  await db.destroy();
}
