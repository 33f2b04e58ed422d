/** Loads the demo data once (a second run sees it is there and does nothing). */
import { createDb } from '../db/connection.js';
import { seedDemo } from '../db/seeds/demo.js';
import { createTemporalGateway } from '../api/temporal.js';
import { localDateOf } from '../rules/dates.js';
import { configOrExit } from './runtime.js';

const config = configOrExit();
const db = createDb(config.DATABASE_URL);
const temporal = createTemporalGateway({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE });
try {
  const result = await seedDemo(db, { today: localDateOf(new Date()), startDeadlines: (id) => temporal.startEmploymentDeadlines(id) });
  process.stdout.write(
    result.seeded
      ? `demo data: ${result.professionals} professionals, ${result.trainingRecords} training records, ${result.deadlineWorkflowsStarted} deadline workflows started\n`
      : 'demo data already present; nothing changed\n',
  );
} finally {
  await Promise.allSettled([db.destroy(), temporal.close()]);
}
