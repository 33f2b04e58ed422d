import type { Knex } from 'knex';

/** What the credit rules need to know about a training beyond its course: CPR model, timing, circumstances. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('courses', (t) => {
    t.text('cpr_model');
  });
  await knex.schema.alterTable('training_records', (t) => {
    t.date('registered_on');
    t.timestamp('started_at', { useTz: true });
    t.timestamp('completed_at', { useTz: true });
    t.text('cpr_model');
    t.boolean('trainer_has_instructor_certification');
    t.boolean('in_ratio').notNullable().defaultTo(false);
    t.boolean('used_for_group').notNullable().defaultTo(false);
    t.check(
      'started_at IS NULL OR completed_at IS NULL OR started_at <= completed_at',
      [],
      'training_records_started_before_completed',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('training_records', (t) => {
    t.dropChecks(['training_records_started_before_completed']);
    t.dropColumns(
      'registered_on',
      'started_at',
      'completed_at',
      'cpr_model',
      'trainer_has_instructor_certification',
      'in_ratio',
      'used_for_group',
    );
  });
  await knex.schema.alterTable('courses', (t) => {
    t.dropColumn('cpr_model');
  });
}
