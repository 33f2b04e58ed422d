import type { Knex } from 'knex';

/**
 * Counting sign-in and second-factor failures; sign-ups waiting for their email to be confirmed
 * (issue 16).
 *
 * - `sign_in_failures`: wrong passwords per email (hashed, known or not) and client address, with
 *   the back-off they earned. Keyed by address too, so nobody elsewhere can lock a person out.
 * - `users.mfa_failures` / `mfa_blocked_until`: wrong second-factor codes of an account in a row,
 *   and the back-off they earned (only someone who had the password can make them).
 * - `sign_up_requests`: what a person typed at sign-up, kept until the emailed link confirms the
 *   address; only then is the account created (or linked to the registry record of that email).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sign_in_failures', (t) => {
    // sha256 of the lower-cased email: unknown emails are counted like known ones.
    t.text('account_key').notNullable();
    t.text('address').notNullable();
    t.integer('failures').notNullable().defaultTo(0);
    t.timestamp('blocked_until', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_key', 'address']);
    t.index(['updated_at']);
  });
  await knex.schema.alterTable('users', (t) => {
    t.integer('mfa_failures').notNullable().defaultTo(0);
    t.timestamp('mfa_blocked_until', { useTz: true });
  });
  await knex.schema.createTable('sign_up_requests', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('county');
    t.text('language').notNullable();
    t.text('password_hash').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("language IN ('en', 'es')", [], 'sign_up_requests_language_known');
  });
  await knex.raw('CREATE INDEX sign_up_requests_email ON sign_up_requests (lower(email))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sign_up_requests');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('mfa_blocked_until');
    t.dropColumn('mfa_failures');
  });
  await knex.schema.dropTableIfExists('sign_in_failures');
}
