import type { Knex } from 'knex';

/**
 * Corrections and voids of training records (issue 18). A record can be voided with a reason (it
 * stays, earns nothing and is shown as voided), and every earlier version of a record is kept in
 * `training_record_versions`: the row as it was before a correction, a void or a re-decision of
 * its credit, with the reason. The versions table has no foreign key to the record, so the history
 * of a record withdrawn by attendance outlives it. The kinds are frozen here as written.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('training_records', (t) => {
    t.timestamp('voided_at', { useTz: true });
    t.bigInteger('voided_by_user_id').references('id').inTable('users');
    t.text('void_reason');
    t.check(
      '(voided_at IS NULL) = (void_reason IS NULL) AND (voided_at IS NULL OR credited_hours = 0)',
      [],
      'training_records_void_has_reason',
    );
  });
  await knex.schema.createTable('training_record_versions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('training_record_id').notNullable().index();
    t.bigInteger('professional_id').notNullable().index();
    t.text('kind').notNullable();
    /** The record as it was before the change. */
    t.jsonb('before').notNullable();
    t.text('reason').notNullable();
    t.bigInteger('actor_user_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check("kind IN ('corrected', 'voided', 'redecided')", [], 'training_record_versions_kind_known');
    t.check('length(trim(reason)) > 0', [], 'training_record_versions_reason_given');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('training_record_versions');
  await knex.schema.alterTable('training_records', (t) => {
    t.dropChecks(['training_records_void_has_reason']);
    t.dropColumns('voided_at', 'voided_by_user_id', 'void_reason');
  });
}
