/** Creates the database if needed, applies migrations and installs the shipped rule sets. */
import { createDb, ensureDatabase, migrateLatest } from '../db/connection.js';
import { installShippedRuleSets } from '../db/ruleSets.js';
import { configOrExit } from './runtime.js';

const config = configOrExit();
await ensureDatabase(config.DATABASE_URL);
const db = createDb(config.DATABASE_URL);
try {
  await migrateLatest(db);
  await installShippedRuleSets(db);
  process.stdout.write('database migrated, rule sets installed\n');
} finally {
  await db.destroy();
}
