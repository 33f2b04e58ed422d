/** Loads the demo data once (a second run sees it is there and does nothing). */
import { createDb } from '../db/connection.js';
import { DEMO_PASSWORD, seedDemo } from './demoSeed.js';
import { hashPassword } from '../api/auth/crypto.js';
import { createTemporalGateway } from '../services/workflowClient.js';
import { localDateOf } from '../rules/dates.js';
import { configOrExit } from './runtime.js';

const config = configOrExit();
const db = createDb(config.DATABASE_URL);
const temporal = createTemporalGateway({
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
});
try {
  const result = await seedDemo(db, {
    today: localDateOf(new Date()),
    demoPasswordHash: await hashPassword(DEMO_PASSWORD),
    startDeadlines: (id) => temporal.startEmploymentDeadlines(id),
    startCredentialRenewal: (id) => temporal.startCredentialRenewal(id),
    startCase: (type, id, workflowId) => temporal.startCase(type, id, workflowId),
    startEventReminders: (id) => temporal.startEventReminders(id),
    publicUrl: config.PUBLIC_URL,
  });
  process.stdout.write(
    result.seeded
      ? `demo data: ${result.professionals} professionals, ${result.trainingRecords} training records, ${result.deadlineWorkflowsStarted} deadline and ${result.renewalWorkflowsStarted} card renewal workflows started, ${result.caseWorkflowsStarted} approval cases in the review queue, ${result.reminderWorkflowsStarted} event reminder workflows\n` +
          `demo accounts (password "${DEMO_PASSWORD}"): admin@, reviewer@, policy@, inspector@, trainer@mopd.example, and the first professionals' own emails\n`
      : 'demo data already present; nothing changed\n',
  );
} finally {
  await Promise.allSettled([db.destroy(), temporal.close()]);
}
