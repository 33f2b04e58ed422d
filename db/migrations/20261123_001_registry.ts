import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (6c30f8a), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const DEADLINE_STATUSES = ['open', 'met', 'overdue', 'met_late', 'cancelled'] as const;
const DELIVERY_MODES = ['in_person', 'online', 'blended'] as const;
const EMPLOYMENT_ROLES = ['director', 'teacher', 'assistant_teacher', 'cook', 'support_staff', 'volunteer'] as const;
const OUTBOX_STATUSES = ['pending', 'queued', 'sent', 'failed'] as const;
const RULE_SET_STATUSES = ['draft', 'validated', 'published', 'superseded'] as const;
const TRAINING_SOURCES = ['attendance', 'online_course', 'individual_request', 'legacy_import'] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organizations', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    t.text('license_number').unique();
    t.boolean('licensed').notNullable();
    t.boolean('subsidized').notNullable();
    t.boolean('serves_infants').notNullable().defaultTo(false);
    // Subsidy requirements count in contract years, which start on the 1st of this month.
    t.smallint('contract_year_start_month');
    t.text('county').notNullable();
    t.timestamps(true, true);
    t.check('contract_year_start_month BETWEEN 1 AND 12', [], 'organizations_contract_month_range');
    t.check(
      'NOT subsidized OR contract_year_start_month IS NOT NULL',
      [],
      'organizations_subsidized_has_contract_year',
    );
  });

  await knex.schema.createTable('professionals', (t) => {
    t.bigIncrements('id');
    t.text('mopd_id').notNullable().unique();
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('email').notNullable();
    t.text('county');
    t.timestamps(true, true);
    t.check("mopd_id ~ '^MO[0-9]{7}$'", [], 'professionals_mopd_id_format');
  });
  await knex.raw('CREATE UNIQUE INDEX professionals_email_unique ON professionals (lower(email))');
  await knex.raw('CREATE SEQUENCE mopd_id_seq START 1000001');

  await knex.schema.createTable('employments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.bigInteger('organization_id').notNullable().references('organizations.id');
    t.text('role').notNullable();
    t.date('hire_date').notNullable();
    t.date('end_date');
    t.timestamps(true, true);
    t.check(oneOf('role', EMPLOYMENT_ROLES), [], 'employments_role_known');
    t.check('end_date IS NULL OR end_date >= hire_date', [], 'employments_end_after_hire');
    t.index(['professional_id']);
    t.index(['organization_id']);
  });

  await knex.schema.createTable('courses', (t) => {
    t.bigIncrements('id');
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('sponsor').notNullable();
    t.text('topic').notNullable();
    t.text('delivery').notNullable();
    t.decimal('clock_hours', 5, 2).notNullable();
    t.decimal('in_person_hours', 5, 2);
    t.boolean('approved').notNullable().defaultTo(false);
    t.timestamps(true, true);
    t.check(oneOf('delivery', DELIVERY_MODES), [], 'courses_delivery_known');
    t.check('clock_hours > 0 AND clock_hours <= 100', [], 'courses_clock_hours_range');
    t.check(
      "(delivery = 'blended') = (in_person_hours IS NOT NULL) AND (in_person_hours IS NULL OR in_person_hours <= clock_hours)",
      [],
      'courses_blended_has_in_person_hours',
    );
  });

  await knex.schema.createTable('rule_set_versions', (t) => {
    t.bigIncrements('id');
    t.text('rule_set').notNullable();
    t.integer('version').notNullable();
    t.text('status').notNullable();
    t.date('effective_from');
    t.jsonb('document').notNullable();
    t.text('change_note').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['rule_set', 'version']);
    t.check(oneOf('status', RULE_SET_STATUSES), [], 'rule_set_versions_status_known');
    t.check("status <> 'published' OR effective_from IS NOT NULL", [], 'rule_set_versions_published_dated');
  });

  await knex.schema.createTable('training_records', (t) => {
    t.bigIncrements('id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.bigInteger('course_id').references('courses.id');
    t.text('title').notNullable();
    t.text('topic').notNullable();
    t.date('completed_on').notNullable();
    t.decimal('hours', 5, 2).notNullable();
    t.text('source').notNullable();
    // The credit decision: what counts, under which rule-set version, and why anything was cut.
    t.decimal('credited_hours', 5, 2).notNullable();
    t.text('credit_rule_set').notNullable();
    t.integer('credit_rule_set_version').notNullable();
    t.jsonb('credit_reasons').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('source', TRAINING_SOURCES), [], 'training_records_source_known');
    t.check('hours > 0 AND hours <= 100', [], 'training_records_hours_range');
    t.check('credited_hours >= 0 AND credited_hours <= hours', [], 'training_records_credit_within_hours');
    t.foreign(['credit_rule_set', 'credit_rule_set_version'])
      .references(['rule_set', 'version'])
      .inTable('rule_set_versions');
    t.index(['professional_id', 'completed_on']);
  });

  await knex.schema.createTable('compliance_results', (t) => {
    t.bigInteger('professional_id').primary().references('professionals.id');
    t.date('as_of').notNullable();
    t.text('rule_set').notNullable();
    t.integer('rule_set_version').notNullable();
    t.boolean('compliant').notNullable();
    t.jsonb('result').notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.foreign(['rule_set', 'rule_set_version']).references(['rule_set', 'version']).inTable('rule_set_versions');
  });

  await knex.schema.createTable('deadlines', (t) => {
    t.bigIncrements('id');
    t.bigInteger('employment_id').notNullable().references('employments.id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.bigInteger('organization_id').notNullable().references('organizations.id');
    t.text('requirement').notNullable();
    t.text('label').notNullable();
    t.text('satisfied_by_topic').notNullable();
    t.date('starts_on').notNullable();
    t.date('due_on').notNullable();
    t.timestamp('remind_at', { useTz: true }).notNullable();
    t.timestamp('overdue_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('open');
    t.bigInteger('met_by_training_record_id').references('training_records.id');
    t.timestamp('reminded_at', { useTz: true });
    t.timestamp('became_overdue_at', { useTz: true });
    t.timestamp('met_at', { useTz: true });
    t.text('workflow_id').notNullable();
    t.text('rule_set').notNullable();
    t.integer('rule_set_version').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // One deadline of a kind per employment: a retried activity cannot open a second one.
    t.unique(['employment_id', 'requirement']);
    t.check(oneOf('status', DEADLINE_STATUSES), [], 'deadlines_status_known');
    t.check(
      "(status IN ('met', 'met_late')) = (met_by_training_record_id IS NOT NULL)",
      [],
      'deadlines_met_has_record',
    );
    t.index(['professional_id', 'status']);
  });

  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    // What caused the message, e.g. 'employment-deadlines-12-infant-safe-sleep-reminder'. A second
    // insert for the same cause is refused, so a retried activity never writes a second email.
    t.text('dedupe_key').notNullable().unique();
    t.text('template').notNullable();
    t.text('to_address').notNullable();
    t.text('subject').notNullable();
    t.text('body_text').notNullable();
    t.text('body_html').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('queued_at', { useTz: true });
    t.timestamp('sent_at', { useTz: true });
    t.check(oneOf('status', OUTBOX_STATUSES), [], 'outbox_status_known');
  });
  await knex.raw("CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending'");
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'outbox',
    'deadlines',
    'compliance_results',
    'training_records',
    'rule_set_versions',
    'courses',
    'employments',
    'professionals',
    'organizations',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP SEQUENCE IF EXISTS mopd_id_seq');
}
