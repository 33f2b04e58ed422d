import type { Knex } from 'knex';

/**
 * Outbox job ids unique across database restores (issue 16). A database restored from a backup,
 * or recreated, numbers its outbox rows from a lower value again, while Redis keeps a week of
 * finished jobs: a job id made from the row id collided with a kept job and the email was
 * silently never sent. Each row gets a random key of its own, which the job id is made of; the
 * relay gives a row a new key when its job finished without sending it.
 *
 * Uploads are counted per owner (the quota) and swept by age (unattached ones after a day).
 */
export async function up(knex: Knex): Promise<void> {
  // gen_random_uuid() is evaluated per row, so rows already there get keys of their own too.
  await knex.raw('ALTER TABLE outbox ADD COLUMN job_key uuid NOT NULL DEFAULT gen_random_uuid()');
  await knex.raw('ALTER TABLE outbox ADD CONSTRAINT outbox_job_key_unique UNIQUE (job_key)');
  await knex.raw('CREATE INDEX uploads_owner ON uploads (owner_user_id)');
  await knex.raw('CREATE INDEX uploads_created_at ON uploads (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX uploads_created_at');
  await knex.raw('DROP INDEX uploads_owner');
  await knex.raw('ALTER TABLE outbox DROP COLUMN job_key');
}
