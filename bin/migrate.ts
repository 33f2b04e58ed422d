/**
 * Creates the database if needed, applies migrations, installs the shipped rule sets and seals
 * any TOTP secret still stored plain (from before migration 20261207_023) with SECRETS_KEYS.
 */
import { createDb, ensureDatabase, migrateLatest } from '../db/connection.js';
import { createSecretBox, parseSecretKeys } from '../api/auth/secretBox.js';
import { rotateSecrets } from '../api/auth/secretRotation.js';
import { installShippedRuleSets } from '../db/ruleSets.js';
import { configOrExit } from './runtime.js';

const config = configOrExit();
await ensureDatabase(config.DATABASE_URL);
const db = createDb(config.DATABASE_URL);
try {
  await migrateLatest(db);
  await installShippedRuleSets(db);
  const sealed = await rotateSecrets(db, createSecretBox(parseSecretKeys(config.SECRETS_KEYS)), { onlyPlain: true });
  process.stdout.write(
    `database migrated, rule sets installed${sealed.sealed ? `, ${sealed.sealed} plain TOTP secrets sealed` : ''}\n`,
  );
} finally {
  await db.destroy();
}
