import type { Knex } from 'knex';

/**
 * Who the rules apply to, as data (issue 18).
 *
 * Professional roles were a closed list in check constraints (employments_role_known,
 * staff_invitations_role_known), and programs had no type at all: every program was a child-care
 * program, told apart only by its licensing and subsidy flags. Both become registry tables an admin
 * adds to (code, English and Spanish labels, active), and the columns that named them become
 * foreign keys. The seed rows are today's values, frozen here as written (2026-12-07).
 *
 * Program settings that rules read (licensed, subsidized, license-exempt, serves infants, the
 * contract year's start month) become effective-dated rows: a change applies from a date, earlier
 * periods keep the settings they had. The organizations' own columns stay, as the settings in
 * effect today (what lists and reports read); each organization's current settings are copied in
 * as its first row, effective from the day it was recorded.
 */
const ROLES: Array<[code: string, en: string, es: string]> = [
  ['director', 'Director', 'Director/a'],
  ['teacher', 'Teacher', 'Maestro/a'],
  ['assistant_teacher', 'Assistant teacher', 'Maestro/a asistente'],
  ['cook', 'Cook', 'Cocinero/a'],
  ['support_staff', 'Support staff', 'Personal de apoyo'],
  ['volunteer', 'Volunteer', 'Voluntario/a'],
];
const PROGRAM_TYPES: Array<[code: string, en: string, es: string]> = [
  ['child_care', 'Child care program', 'Programa de cuidado infantil'],
];

const registryTable = (t: Knex.CreateTableBuilder) => {
  t.text('code').primary();
  t.text('label_en').notNullable();
  t.text('label_es').notNullable();
  t.boolean('active').notNullable().defaultTo(true);
  t.timestamps(true, true);
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('professional_roles', (t) => {
    registryTable(t);
  });
  await knex.raw(
    "ALTER TABLE professional_roles ADD CONSTRAINT professional_roles_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$')",
  );
  await knex.schema.createTable('program_types', (t) => {
    registryTable(t);
  });
  await knex.raw(
    "ALTER TABLE program_types ADD CONSTRAINT program_types_code_format CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$')",
  );
  await knex('professional_roles').insert(ROLES.map(([code, label_en, label_es]) => ({ code, label_en, label_es })));
  await knex('program_types').insert(PROGRAM_TYPES.map(([code, label_en, label_es]) => ({ code, label_en, label_es })));

  await knex.raw('ALTER TABLE employments DROP CONSTRAINT employments_role_known');
  await knex.raw(
    'ALTER TABLE employments ADD CONSTRAINT employments_role_registered FOREIGN KEY (role) REFERENCES professional_roles (code)',
  );
  await knex.raw('ALTER TABLE staff_invitations DROP CONSTRAINT staff_invitations_role_known');
  await knex.raw(
    'ALTER TABLE staff_invitations ADD CONSTRAINT staff_invitations_role_registered FOREIGN KEY (role) REFERENCES professional_roles (code)',
  );

  await knex.schema.alterTable('organizations', (t) => {
    t.text('program_type').notNullable().defaultTo('child_care');
  });
  await knex.raw(
    'ALTER TABLE organizations ADD CONSTRAINT organizations_program_type_registered FOREIGN KEY (program_type) REFERENCES program_types (code)',
  );

  await knex.schema.createTable('program_settings', (t) => {
    t.bigIncrements('id');
    t.bigInteger('organization_id').notNullable().references('organizations.id');
    t.date('effective_from').notNullable();
    t.boolean('licensed').notNullable();
    t.boolean('license_exempt').notNullable();
    t.boolean('subsidized').notNullable();
    t.boolean('serves_infants').notNullable();
    t.smallint('contract_year_start_month');
    t.bigInteger('recorded_by_user_id').references('users.id');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // One row per organization and date: a second change on the same date replaces the first.
    t.unique(['organization_id', 'effective_from']);
    t.check('contract_year_start_month BETWEEN 1 AND 12', [], 'program_settings_contract_month_range');
    t.check(
      'NOT subsidized OR contract_year_start_month IS NOT NULL',
      [],
      'program_settings_subsidized_has_contract_year',
    );
    t.check('NOT (licensed AND license_exempt)', [], 'program_settings_licensed_or_exempt');
  });
  // Each organization's settings until now, from the day it was recorded (or its earliest hire,
  // when staff were hired before it was entered): the history begins with what is known.
  await knex.raw(`
    INSERT INTO program_settings (organization_id, effective_from, licensed, license_exempt, subsidized,
                                  serves_infants, contract_year_start_month, recorded_at)
    SELECT o.id,
           LEAST(o.created_at::date, COALESCE((SELECT min(e.hire_date) FROM employments e WHERE e.organization_id = o.id), o.created_at::date)),
           o.licensed, o.license_exempt, o.subsidized, o.serves_infants, o.contract_year_start_month, o.created_at
      FROM organizations o`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('program_settings');
  await knex.raw('ALTER TABLE organizations DROP CONSTRAINT organizations_program_type_registered');
  await knex.schema.alterTable('organizations', (t) => {
    t.dropColumn('program_type');
  });
  await knex.raw('ALTER TABLE staff_invitations DROP CONSTRAINT staff_invitations_role_registered');
  await knex.raw(
    "ALTER TABLE staff_invitations ADD CONSTRAINT staff_invitations_role_known CHECK (role IN ('director', 'teacher', 'assistant_teacher', 'cook', 'support_staff', 'volunteer'))",
  );
  await knex.raw('ALTER TABLE employments DROP CONSTRAINT employments_role_registered');
  await knex.raw(
    "ALTER TABLE employments ADD CONSTRAINT employments_role_known CHECK (role IN ('director', 'teacher', 'assistant_teacher', 'cook', 'support_staff', 'volunteer'))",
  );
  await knex.schema.dropTable('program_types');
  await knex.schema.dropTable('professional_roles');
}
