import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (df12a67), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const CASE_EVENT_KINDS = [
  'submitted',
  'checked',
  'review_started',
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
  'imported',
] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * Legacy import of the workshop calendar's trainer and course applications and events. Imported
 * cases and events carry where they came from like the other imported rows (`legacy_system`,
 * `legacy_id`, `legacy_hash`); a case's legacy id is unique per case type (trainer and course
 * applications are numbered apart in the old system). A case's timeline gains the kind
 * `imported`. An instructor certification imported from the old system has no file in MOPD, so
 * `trainer_certifications.upload_id` may be empty (certifications submitted in MOPD still carry one:
 * the API requires it).
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['cases', 'events'] as const) {
    await knex.schema.alterTable(table, (t) => {
      t.text('legacy_system');
      t.text('legacy_id');
      t.text('legacy_hash');
      t.check('(legacy_system IS NULL) = (legacy_id IS NULL)', [], `${table}_legacy_id_has_system`);
    });
  }
  await knex.raw(
    'CREATE UNIQUE INDEX cases_legacy_id_unique ON cases (legacy_system, type, legacy_id) WHERE legacy_id IS NOT NULL',
  );
  await knex.raw(
    'CREATE UNIQUE INDEX events_legacy_id_unique ON events (legacy_system, legacy_id) WHERE legacy_id IS NOT NULL',
  );
  await knex.raw('ALTER TABLE case_events DROP CONSTRAINT case_events_kind_known');
  await knex.raw(
    `ALTER TABLE case_events ADD CONSTRAINT case_events_kind_known CHECK (${oneOf('kind', CASE_EVENT_KINDS)})`,
  );
  await knex.schema.alterTable('trainer_certifications', (t) => t.uuid('upload_id').nullable().alter());
}

export async function down(knex: Knex): Promise<void> {
  await knex('trainer_certifications').whereNull('upload_id').delete();
  await knex.schema.alterTable('trainer_certifications', (t) => t.uuid('upload_id').notNullable().alter());
  await knex('case_events').where({ kind: 'imported' }).delete();
  await knex.raw('ALTER TABLE case_events DROP CONSTRAINT case_events_kind_known');
  await knex.raw(
    `ALTER TABLE case_events ADD CONSTRAINT case_events_kind_known CHECK (${oneOf(
      'kind',
      CASE_EVENT_KINDS.filter((k) => k !== 'imported'),
    )})`,
  );
  for (const table of ['cases', 'events'] as const) {
    await knex.raw(`DROP INDEX IF EXISTS ${table}_legacy_id_unique`);
    await knex.schema.alterTable(table, (t) => {
      t.dropChecks([`${table}_legacy_id_has_system`]);
      t.dropColumns('legacy_system', 'legacy_id', 'legacy_hash');
    });
  }
}
