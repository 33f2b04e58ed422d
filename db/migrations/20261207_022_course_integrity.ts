import type { Knex } from 'knex';

/**
 * Online courses: clock hours reflect time spent (issue 16). Each course has a minimum time (the
 * author proposes it in the course approval, the reviewer approves it; unset, its clock hours)
 * and a limit on knowledge-check attempts with a wait between them. The server records engaged
 * time per module from the learner's pings (one clock per enrollment, so parallel tabs do not add
 * up), and the training record keeps the time spent. Literals frozen as of this migration.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('courses', (t) => {
    t.decimal('minimum_minutes', 7, 2);
    t.integer('knowledge_check_attempts').notNullable().defaultTo(3);
    t.integer('knowledge_check_wait_minutes').notNullable().defaultTo(10);
    t.check('minimum_minutes IS NULL OR minimum_minutes > 0', [], 'courses_minimum_minutes_positive');
    t.check('knowledge_check_attempts BETWEEN 1 AND 10', [], 'courses_knowledge_check_attempts_range');
    t.check('knowledge_check_wait_minutes BETWEEN 0 AND 10080', [], 'courses_knowledge_check_wait_range');
  });

  await knex.schema.alterTable('enrollments', (t) => {
    // The enrollment's one engagement clock: the module open at the last ping, and when that was.
    t.bigInteger('engaged_module_id').references('course_modules.id').onDelete('SET NULL');
    t.timestamp('engaged_at', { useTz: true });
  });

  await knex.schema.createTable('module_engagement', (t) => {
    t.bigInteger('enrollment_id').notNullable().references('enrollments.id').onDelete('CASCADE');
    t.bigInteger('module_id').notNullable().references('course_modules.id').onDelete('CASCADE');
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.integer('engaged_ms').notNullable().defaultTo(0);
    t.check('engaged_ms >= 0', [], 'module_engagement_engaged_ms_not_negative');
    t.primary(['enrollment_id', 'module_id']);
  });

  await knex.schema.alterTable('training_records', (t) => {
    // Online courses: the engaged time the completion was built on, shown on the transcript.
    t.decimal('time_spent_minutes', 8, 1);
    t.check('time_spent_minutes IS NULL OR time_spent_minutes >= 0', [], 'training_records_time_spent_not_negative');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('training_records', (t) => {
    t.dropChecks(['training_records_time_spent_not_negative']);
    t.dropColumn('time_spent_minutes');
  });
  await knex.schema.dropTable('module_engagement');
  await knex.schema.alterTable('enrollments', (t) => {
    t.dropColumn('engaged_at');
    t.dropColumn('engaged_module_id');
  });
  await knex.schema.alterTable('courses', (t) => {
    t.dropChecks([
      'courses_minimum_minutes_positive',
      'courses_knowledge_check_attempts_range',
      'courses_knowledge_check_wait_range',
    ]);
    t.dropColumn('knowledge_check_wait_minutes');
    t.dropColumn('knowledge_check_attempts');
    t.dropColumn('minimum_minutes');
  });
}
