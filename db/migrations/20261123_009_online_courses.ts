import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (3a3e44d), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const ENROLLMENT_STATUSES = ['awaiting_payment', 'in_progress', 'completed', 'withdrawn'] as const;
const PAYMENT_STATUSES = ['pending', 'paid', 'failed'] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * Online, on-demand courses: modules (text, an image, a captioned video with its transcript, a
 * handout), a knowledge check with a pass mark, enrollments with progress per module, and
 * payments settled by a payment provider (never by a flag set from the UI).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('courses', (t) => {
    t.integer('pass_mark_percent');
    t.check('pass_mark_percent IS NULL OR (pass_mark_percent BETWEEN 1 AND 100)', [], 'courses_pass_mark_range');
  });

  await knex.schema.createTable('course_modules', (t) => {
    t.bigIncrements('id');
    t.bigInteger('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable().defaultTo('');
    t.text('image_url');
    t.text('image_alt');
    t.text('video_url');
    t.text('captions_url');
    t.text('transcript');
    t.uuid('handout_upload_id').references('uploads.id');
    t.check(
      "video_url IS NULL OR (captions_url IS NOT NULL AND coalesce(transcript, '') <> '')",
      [],
      'course_modules_video_captioned',
    );
    t.check("image_url IS NULL OR coalesce(image_alt, '') <> ''", [], 'course_modules_image_described');
    t.index(['course_id', 'position']);
  });

  await knex.schema.createTable('course_questions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('course_id').notNullable().references('courses.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('prompt').notNullable();
    t.jsonb('choices').notNullable();
    t.integer('correct_choice').notNullable();
    t.check(
      'correct_choice >= 0 AND correct_choice < jsonb_array_length(choices)',
      [],
      'course_questions_answer_is_a_choice',
    );
    t.index(['course_id', 'position']);
  });

  await knex.schema.createTable('enrollments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('course_id').notNullable().references('courses.id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.text('status').notNullable();
    t.date('registered_on').notNullable();
    t.timestamp('started_at', { useTz: true });
    t.timestamp('completed_at', { useTz: true });
    t.timestamp('withdrawn_at', { useTz: true });
    t.integer('fee_cents').notNullable().defaultTo(0);
    t.bigInteger('last_module_id').references('course_modules.id').onDelete('SET NULL');
    t.bigInteger('training_record_id').references('training_records.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('status', ENROLLMENT_STATUSES), [], 'enrollments_status_known');
    t.check("(status = 'completed') = (completed_at IS NOT NULL)", [], 'enrollments_completed_has_time');
    t.check(
      "status IN ('awaiting_payment', 'withdrawn') OR started_at IS NOT NULL",
      [],
      'enrollments_started_has_time',
    );
    t.index(['professional_id', 'status']);
  });
  // One open enrollment per person and course: a double click enrolls once.
  await knex.raw(
    "CREATE UNIQUE INDEX enrollments_one_open ON enrollments (professional_id, course_id) WHERE status IN ('awaiting_payment', 'in_progress')",
  );

  await knex.schema.createTable('module_progress', (t) => {
    t.bigInteger('enrollment_id').notNullable().references('enrollments.id').onDelete('CASCADE');
    t.bigInteger('module_id').notNullable().references('course_modules.id').onDelete('CASCADE');
    t.timestamp('completed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['enrollment_id', 'module_id']);
  });

  await knex.schema.createTable('knowledge_check_attempts', (t) => {
    t.bigIncrements('id');
    t.bigInteger('enrollment_id').notNullable().references('enrollments.id').onDelete('CASCADE');
    t.jsonb('answers').notNullable();
    t.integer('score_percent').notNullable();
    t.boolean('passed').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('enrollment_id').notNullable().unique().references('enrollments.id');
    t.text('provider').notNullable();
    t.text('provider_reference').notNullable().unique();
    t.integer('amount_cents').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('settled_at', { useTz: true });
    t.check('amount_cents > 0', [], 'payments_amount_positive');
    t.check(oneOf('status', PAYMENT_STATUSES), [], 'payments_status_known');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'payments',
    'knowledge_check_attempts',
    'module_progress',
    'enrollments',
    'course_questions',
    'course_modules',
  ])
    await knex.schema.dropTable(table);
  await knex.schema.alterTable('courses', (t) => {
    t.dropChecks(['courses_pass_mark_range']);
    t.dropColumn('pass_mark_percent');
  });
}
