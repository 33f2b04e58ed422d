import type { Knex } from 'knex';
import { DEFAULT_BUSINESS_CALENDAR } from '../../rules/businessCalendar.js';

// The values of rules/domain.ts when this migration was written (335ec29), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const CASE_EVENT_KINDS = [
  'submitted',
  'checked',
  'assigned',
  'claimed',
  'released',
  'reassigned',
  'information_requested',
  'information_given',
  'reminded',
  'escalated',
  'rechecked',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'lapsed',
  'approval_expiring',
  'approval_expired',
  'message',
] as const;
const CASE_STATUSES = [
  'submitted',
  'in_review',
  'information_requested',
  'approved',
  'denied',
  'refused',
  'withdrawn',
  'lapsed',
] as const;
const CASE_TYPES = ['trainer_application', 'course_approval', 'training_request', 'organization_claim'] as const;
const COURSE_LEVELS = ['introductory', 'intermediate', 'advanced'] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * Approval cases (trainer applications, course approvals, individual training requests,
 * organization claims): the read model the workflows write step by step, with each case's
 * timeline, messages and documents; reviewers' profiles; trainers; in-app notifications; and the
 * configuration of service levels and the business calendar.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cases', (t) => {
    t.bigIncrements('id');
    t.text('type').notNullable();
    t.text('status').notNullable().defaultTo('submitted');
    t.text('workflow_id').notNullable().unique();
    t.bigInteger('applicant_user_id').notNullable().references('users.id');
    t.bigInteger('professional_id').references('professionals.id');
    t.bigInteger('organization_id').references('organizations.id');
    t.text('region');
    /** One line a queue shows, e.g. the course title or the organization's name. */
    t.text('title').notNullable();
    /** What the applicant submitted, by case type. */
    t.jsonb('submission').notNullable();
    t.jsonb('check_results').notNullable().defaultTo('[]');
    /** The rule-set version the case is judged under: the one in force when it was submitted. */
    t.text('rule_set').notNullable();
    t.integer('rule_set_version').notNullable();
    t.bigInteger('assignee_user_id').references('users.id');
    t.timestamp('assigned_at', { useTz: true });
    /** When the current stage should be done by (service level), and what happened past it. */
    t.timestamp('due_at', { useTz: true });
    t.timestamp('reminded_at', { useTz: true });
    t.timestamp('escalated_at', { useTz: true });
    t.timestamp('information_due_at', { useTz: true });
    t.jsonb('decision_reasons').notNullable().defaultTo('[]');
    t.bigInteger('decided_by_user_id').references('users.id');
    t.timestamp('decided_at', { useTz: true });
    /** A trainer approval's last day, and the case it renews. */
    t.date('approval_expires_on');
    t.bigInteger('renews_case_id').references('cases.id');
    t.timestamp('submitted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('type', CASE_TYPES), [], 'cases_type_known');
    t.check(oneOf('status', CASE_STATUSES), [], 'cases_status_known');
    t.foreign(['rule_set', 'rule_set_version']).references(['rule_set', 'version']).inTable('rule_set_versions');
    t.index(['status', 'type', 'due_at']);
    t.index(['assignee_user_id', 'status']);
    t.index(['applicant_user_id']);
  });

  await knex.schema.createTable('case_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('case_id').notNullable().references('cases.id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** Null when the workflow or the automatic checks did it. */
    t.bigInteger('actor_user_id').references('users.id');
    t.text('kind').notNullable();
    t.text('note').notNullable().defaultTo('');
    t.jsonb('detail').notNullable().defaultTo('{}');
    /** What caused it (workflow id and step, or an update id): a retried activity writes it once. */
    t.text('dedupe_key').notNullable().unique();
    t.check(oneOf('kind', CASE_EVENT_KINDS), [], 'case_events_kind_known');
    t.index(['case_id', 'id']);
  });

  await knex.schema.createTable('case_messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('case_id').notNullable().references('cases.id');
    t.bigInteger('author_user_id').notNullable().references('users.id');
    t.text('body').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('dedupe_key').notNullable().unique();
    t.index(['case_id', 'id']);
  });

  await knex.schema.createTable('case_documents', (t) => {
    t.bigInteger('case_id').notNullable().references('cases.id');
    t.uuid('upload_id').notNullable().references('uploads.id');
    t.text('label').notNullable();
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['case_id', 'upload_id']);
  });

  await knex.schema.createTable('reviewer_profiles', (t) => {
    t.bigInteger('user_id').primary().references('users.id').onDelete('CASCADE');
    /** Lead reviewers reassign cases and receive escalations. */
    t.boolean('is_lead').notNullable().defaultTo(false);
    /** Empty means every region / every case type. */
    t.specificType('regions', 'text[]').notNullable().defaultTo('{}');
    t.specificType('case_types', 'text[]').notNullable().defaultTo('{}');
    t.boolean('accepts_automatic_assignment').notNullable().defaultTo(true);
  });

  await knex.schema.createTable('trainers', (t) => {
    t.bigInteger('user_id').primary().references('users.id');
    t.date('approved_until').notNullable();
    /** Null for trainers approved before MOPD ran approvals as cases (e.g. imported). */
    t.bigInteger('approved_by_case_id').references('cases.id');
    t.specificType('specialties', 'text[]').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('trainer_certifications', (t) => {
    t.bigIncrements('id');
    t.bigInteger('trainer_user_id').notNullable().references('users.id');
    /** The national CPR/First Aid model the instructor certification is from. */
    t.text('model').notNullable();
    t.date('expires_on').notNullable();
    t.uuid('upload_id').notNullable().references('uploads.id');
    t.bigInteger('case_id').notNullable().references('cases.id');
    t.unique(['case_id', 'model']);
  });

  await knex.schema.alterTable('courses', (t) => {
    t.bigInteger('trainer_user_id').references('users.id');
    t.text('level');
    t.integer('fee_cents');
    t.text('materials').notNullable().defaultTo('');
    t.bigInteger('approved_by_case_id').references('cases.id');
    t.check(`level IS NULL OR ${oneOf('level', COURSE_LEVELS)}`, [], 'courses_level_known');
    t.check('fee_cents IS NULL OR fee_cents >= 0', [], 'courses_fee_not_negative');
  });

  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('case_id').references('cases.id');
    t.text('title').notNullable();
    t.text('body').notNullable();
    t.text('link').notNullable().defaultTo('');
    t.text('dedupe_key').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('read_at', { useTz: true });
    t.index(['user_id', 'id']);
  });

  // Service levels per case type and the calendar they are counted on: configuration an admin changes.
  await knex('settings')
    .insert([
      { key: 'business_calendar', value: JSON.stringify(DEFAULT_BUSINESS_CALENDAR) },
      {
        key: 'case_service_levels',
        value: JSON.stringify({
          trainer_application: { decideWithinWorkingDays: 10, escalateAfterWorkingDays: 2 },
          course_approval: { decideWithinWorkingDays: 10, escalateAfterWorkingDays: 2 },
          training_request: { decideWithinWorkingDays: 10, escalateAfterWorkingDays: 2 },
          organization_claim: { decideWithinWorkingDays: 5, escalateAfterWorkingDays: 2 },
        }),
      },
      { key: 'case_information_window', value: JSON.stringify({ answerWithinDays: 30, remindDaysBefore: 7 }) },
      { key: 'trainer_approval_term', value: JSON.stringify({ years: 2, remindDaysBefore: 60 }) },
      { key: 'automatic_case_assignment', value: JSON.stringify(true) },
    ])
    .onConflict('key')
    .ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex('settings')
    .whereIn('key', [
      'business_calendar',
      'case_service_levels',
      'case_information_window',
      'trainer_approval_term',
      'automatic_case_assignment',
    ])
    .delete();
  await knex.schema.dropTable('notifications');
  await knex.schema.alterTable('courses', (t) => {
    t.dropChecks(['courses_level_known', 'courses_fee_not_negative']);
    t.dropColumns('trainer_user_id', 'level', 'fee_cents', 'materials', 'approved_by_case_id');
  });
  for (const table of [
    'trainer_certifications',
    'trainers',
    'reviewer_profiles',
    'case_documents',
    'case_messages',
    'case_events',
    'cases',
  ]) {
    await knex.schema.dropTable(table);
  }
}
