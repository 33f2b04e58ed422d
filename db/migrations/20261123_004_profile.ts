import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (2997634), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const CREDENTIAL_KINDS = ['cpr_first_aid_card'] as const;
const DEGREE_LEVELS = ['high_school', 'cda', 'associate', 'bachelor', 'master', 'doctorate'] as const;
const EDUCATION_KINDS = ['degree', 'coursework', 'credential'] as const;
const REGIONS = ['Kansas City', 'Northwest', 'Northeast', 'Central', 'St. Louis', 'Southwest', 'Southeast'] as const;

const oneOf = (column: string, values: readonly string[]) =>
  `${column} IN (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;

/**
 * The rest of the professional profile (address, region, education, credentials such as the
 * CPR/First Aid card, self-assessments), organizations' address and license-exempt status, and
 * deadlines that follow a credential's expiry instead of an employment's hire date.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['organizations', 'professionals']) {
    await knex.schema.alterTable(table, (t) => {
      t.text('address_line');
      t.text('city');
      t.text('zip');
      t.text('region');
      t.check(`region IS NULL OR ${oneOf('region', REGIONS)}`, [], `${table}_region_known`);
      t.check("zip IS NULL OR zip ~ '^[0-9]{5}$'", [], `${table}_zip_format`);
    });
  }
  await knex.schema.alterTable('professionals', (t) => {
    t.text('phone');
  });
  await knex.schema.alterTable('organizations', (t) => {
    t.boolean('license_exempt').notNullable().defaultTo(false);
    t.check('NOT (licensed AND license_exempt)', [], 'organizations_licensed_or_exempt');
  });

  await knex.schema.createTable('education', (t) => {
    t.bigIncrements('id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.text('kind').notNullable();
    t.text('title').notNullable();
    t.text('institution').notNullable().defaultTo('');
    t.text('field').notNullable().defaultTo('');
    /** For degrees: how far it goes (DEGREE_LEVELS). */
    t.text('degree_level');
    /** For coursework: college credit hours. */
    t.decimal('credit_hours', 5, 2);
    t.date('completed_on');
    t.uuid('upload_id').references('uploads.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('kind', EDUCATION_KINDS), [], 'education_kind_known');
    t.check(
      `(kind = 'degree') = (degree_level IS NOT NULL) AND (degree_level IS NULL OR ${oneOf('degree_level', DEGREE_LEVELS)})`,
      [],
      'education_degree_has_level',
    );
    t.check('credit_hours IS NULL OR (credit_hours > 0 AND credit_hours <= 300)', [], 'education_credit_hours_range');
    t.index(['professional_id']);
  });

  await knex.schema.createTable('credentials', (t) => {
    t.bigIncrements('id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.text('kind').notNullable();
    /** For a CPR/First Aid card, the national model that issued it. */
    t.text('issuer').notNullable();
    t.date('issued_on').notNullable();
    t.date('expires_on').notNullable();
    t.uuid('upload_id').references('uploads.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('kind', CREDENTIAL_KINDS), [], 'credentials_kind_known');
    t.check('expires_on > issued_on', [], 'credentials_expire_after_issue');
    t.index(['professional_id', 'kind', 'expires_on']);
  });

  await knex.schema.createTable('self_assessments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.date('taken_on').notNullable();
    /** Answers by competency area; the instrument arrives with the self-assessment issue. */
    t.jsonb('answers').notNullable().defaultTo('{}');
    t.text('instrument_version').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['professional_id', 'taken_on']);
  });

  // A deadline follows either an employment (hire-date deadlines) or a credential (renewal).
  await knex.schema.alterTable('deadlines', (t) => {
    t.bigInteger('credential_id').references('credentials.id');
    t.setNullable('employment_id');
    t.setNullable('organization_id');
    t.check('(employment_id IS NULL) <> (credential_id IS NULL)', [], 'deadlines_follow_one_thing');
    t.check('employment_id IS NULL OR organization_id IS NOT NULL', [], 'deadlines_employment_has_organization');
    t.unique(['credential_id', 'requirement']);
  });
  await knex.raw('ALTER TABLE deadlines DROP CONSTRAINT deadlines_met_has_record');
  // A renewal is met by the newer credential that replaces the card, not by a training record.
  await knex.schema.alterTable('deadlines', (t) => {
    t.bigInteger('met_by_credential_id').references('credentials.id');
    t.check(
      "(status IN ('met', 'met_late')) = (met_by_training_record_id IS NOT NULL OR met_by_credential_id IS NOT NULL)",
      [],
      'deadlines_met_has_evidence',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE deadlines DROP CONSTRAINT deadlines_met_has_evidence');
  await knex('deadlines').whereNotNull('credential_id').delete();
  await knex.schema.alterTable('deadlines', (t) => {
    t.dropColumn('met_by_credential_id');
    t.dropUnique(['credential_id', 'requirement']);
    t.dropChecks(['deadlines_follow_one_thing', 'deadlines_employment_has_organization']);
    t.dropColumn('credential_id');
    t.dropNullable('employment_id');
    t.dropNullable('organization_id');
    t.check(
      "(status IN ('met', 'met_late')) = (met_by_training_record_id IS NOT NULL)",
      [],
      'deadlines_met_has_record',
    );
  });
  await knex.schema.dropTable('self_assessments');
  await knex.schema.dropTable('credentials');
  await knex.schema.dropTable('education');
  await knex.schema.alterTable('organizations', (t) => {
    t.dropChecks(['organizations_licensed_or_exempt']);
    t.dropColumn('license_exempt');
  });
  await knex.schema.alterTable('professionals', (t) => t.dropColumn('phone'));
  for (const table of ['organizations', 'professionals']) {
    await knex.schema.alterTable(table, (t) => {
      t.dropChecks([`${table}_region_known`, `${table}_zip_format`]);
      t.dropColumns('address_line', 'city', 'zip', 'region');
    });
  }
}
