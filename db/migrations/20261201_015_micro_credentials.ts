import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (4405f93), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const CASE_TYPES = [
  'trainer_application',
  'course_approval',
  'training_request',
  'organization_claim',
  'micro_credential',
] as const;
const TOPIC_CODES = [
  'health-safety',
  'infant-safe-sleep',
  'cpr-first-aid',
  'child-development',
  'curriculum',
  'guidance',
  'assessment',
  'family-engagement',
  'professionalism',
] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * Micro-credentials: a fifth case type (`micro_credential`, evidence reviewed by an assessor on the
 * approval life cycle) and the credentials awarded by it, each with a random verification code
 * that a public page reads. An award is revoked by marking it, never by deleting it, so a link
 * once given out keeps answering.
 */
export async function up(knex: Knex): Promise<void> {
  // Migration 005's check names the four types of its day; the fifth is added by replacing it.
  await knex.raw('ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_type_known');
  await knex.raw(`ALTER TABLE cases ADD CONSTRAINT cases_type_known CHECK (${oneOf('type', CASE_TYPES)})`);

  await knex.schema.createTable('awarded_credentials', (t) => {
    t.bigIncrements('id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    /** The case that awarded it: one award per case, whatever retries happen. */
    t.bigInteger('case_id').notNullable().unique().references('cases.id');
    /** The credential's id in the catalog and the catalog version it was judged under. */
    t.text('credential_id').notNullable();
    t.text('catalog_version').notNullable();
    /** Copied from the catalog at the award, so the page reads the same if the catalog changes. */
    t.text('title').notNullable();
    t.text('area').notNullable();
    t.text('competency').notNullable();
    /** Random, unguessable (144 bits, base64url); the only key the public page accepts. */
    t.text('verification_code').notNullable().unique();
    t.date('awarded_on').notNullable();
    /** Last day valid; null when the credential does not expire. */
    t.date('expires_on');
    t.timestamp('revoked_at', { useTz: true });
    t.bigInteger('revoked_by_user_id').references('users.id');
    t.text('revoked_reason').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('area', TOPIC_CODES), [], 'awarded_credentials_area_known');
    t.check('length(verification_code) >= 22', [], 'awarded_credentials_code_long_enough');
    t.check('expires_on IS NULL OR expires_on >= awarded_on', [], 'awarded_credentials_expiry_after_award');
    t.check(
      "(revoked_at IS NULL) = (revoked_by_user_id IS NULL) AND (revoked_at IS NULL OR revoked_reason <> '')",
      [],
      'awarded_credentials_revocation_complete',
    );
    t.index(['professional_id', 'awarded_on']);
  });

  // Assessors decide within the same service level as other reviews unless an admin changes it.
  await knex.raw(
    `UPDATE settings SET value = value || '{"micro_credential": {"decideWithinWorkingDays": 15, "escalateAfterWorkingDays": 3}}'::jsonb
      WHERE key = 'case_service_levels' AND value -> 'micro_credential' IS NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("UPDATE settings SET value = value - 'micro_credential' WHERE key = 'case_service_levels'");
  await knex.schema.dropTable('awarded_credentials');
  await knex.raw('ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_type_known');
  await knex.raw(
    `ALTER TABLE cases ADD CONSTRAINT cases_type_known CHECK (${oneOf(
      'type',
      CASE_TYPES.filter((type) => type !== 'micro_credential'),
    )})`,
  );
}
