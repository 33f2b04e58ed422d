/**
 * `npm run secrets:rotate`: seals every stored TOTP secret with the first key of SECRETS_KEYS
 * (plain ones from before encryption, and ones sealed with an older key), reporting the counts.
 * Rotating a key: put the new key first in SECRETS_KEYS and keep the old ones after it, restart
 * the API, run this, then remove the old keys. `-- --to-plain` turns every secret back to plain
 * before rolling back migration 20261207_023_secrets_at_rest.
 */
import { createDb } from '../db/connection.js';
import { createSecretBox, parseSecretKeys } from '../api/auth/secretBox.js';
import { describeRotation, rotateSecrets } from '../api/auth/secretRotation.js';
import { configOrExit } from './runtime.js';

const config = configOrExit();
const box = createSecretBox(parseSecretKeys(config.SECRETS_KEYS));
const toPlain = process.argv.includes('--to-plain');
const db = createDb(config.DATABASE_URL);
try {
  const report = await rotateSecrets(db, box, { toPlain });
  process.stdout.write(`${describeRotation(report, box.currentKeyId)}\n`);
  // Secrets no configured key opens, or changed meanwhile, are not done: say so by the exit code.
  if (report.unreadable.length > 0 || report.changedMeanwhile > 0) process.exitCode = 1;
} finally {
  await db.destroy();
}
