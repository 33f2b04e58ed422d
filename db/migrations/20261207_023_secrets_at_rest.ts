import type { Knex } from 'knex';

/**
 * Secrets at rest (issue 16): a user's TOTP secret is kept sealed with AES-256-GCM
 * (`v1:<keyId>:<iv>:<tag>:<ciphertext>`, api/auth/secretBox.ts), and the database refuses any
 * other form.
 *
 * This migration does not encrypt: a migration runs wherever the schema is changed, and the key
 * it would use need not be the one the API is configured with; a row sealed with the wrong key
 * would lock its owner out for good. It marks the secrets stored before as `plain:<secret>`
 * instead (still usable), and `bin/migrate.ts` then seals them with the configured key through
 * the same code as `npm run secrets:rotate`, which can be run again at any time.
 */
const SEALED_OR_MARKED =
  "mfa_secret ~ '^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]*$' OR mfa_secret LIKE 'plain:_%'";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `UPDATE users SET mfa_secret = 'plain:' || mfa_secret WHERE mfa_secret IS NOT NULL AND NOT (${SEALED_OR_MARKED})`,
  );
  await knex.raw(
    `ALTER TABLE users ADD CONSTRAINT users_mfa_secret_sealed CHECK (mfa_secret IS NULL OR ${SEALED_OR_MARKED})`,
  );
}

/**
 * Back to plain secrets. A sealed secret cannot be opened here (a migration holds no key), so
 * this refuses while any remain: first run `npm run secrets:rotate -- --to-plain`.
 */
export async function down(knex: Knex): Promise<void> {
  const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>(
    "SELECT count(*)::int AS n FROM users WHERE mfa_secret LIKE 'v1:%'",
  );
  if (rows[0]!.n > 0) {
    throw new Error(
      `${rows[0]!.n} TOTP secrets are sealed; run \`npm run secrets:rotate -- --to-plain\` with the configured keys before rolling back 20261207_023_secrets_at_rest`,
    );
  }
  await knex.raw('ALTER TABLE users DROP CONSTRAINT IF EXISTS users_mfa_secret_sealed');
  await knex.raw("UPDATE users SET mfa_secret = substr(mfa_secret, 7) WHERE mfa_secret LIKE 'plain:%'");
}
