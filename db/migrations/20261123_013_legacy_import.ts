import type { Knex } from 'knex';

/**
 * Legacy import (the OPEN Initiative Toolbox and the Missouri Workshop Calendar). Each imported
 * registry row carries where it came from as columns of its own rather than a mapping table:
 * `legacy_system` + `legacy_id` (unique together, so a second run finds the row instead of
 * creating it again) and `legacy_hash`, a digest of the CSV row as last imported (equal digest:
 * unchanged, nothing written). One write per imported row, which keeps a million-row training
 * file near the speed of COPY. Professionals also get the birth date the old registry kept
 * (used to tell one person under two spellings of a name).
 */
const IMPORTED_TABLES = [
  'organizations',
  'professionals',
  'courses',
  'education',
  'employments',
  'training_records',
] as const;

// The values of rules/domain.ts when this migration was written (5952f25), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const IMPORT_BATCH_STATUSES = ['previewed', 'applying', 'applied', 'failed'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of IMPORTED_TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.text('legacy_system');
      t.text('legacy_id');
      t.text('legacy_hash');
      t.check('(legacy_system IS NULL) = (legacy_id IS NULL)', [], `${table}_legacy_id_has_system`);
    });
    await knex.raw(
      `CREATE UNIQUE INDEX ${table}_legacy_id_unique ON ${table} (legacy_system, legacy_id) WHERE legacy_id IS NOT NULL`,
    );
  }
  await knex.schema.alterTable('professionals', (t) => {
    t.date('birth_date');
  });
  await knex.raw('CREATE INDEX professionals_birth_date ON professionals (birth_date) WHERE birth_date IS NOT NULL');

  await knex.schema.createTable('import_batches', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    /** Which old system the files come from; legacy ids are unique within it. */
    t.text('system').notNullable();
    t.text('status').notNullable().defaultTo('previewed');
    t.bigInteger('uploaded_by_user_id').references('users.id');
    /** file name → { kind, rows, create, update, unchanged, rejected: [{ line, column, reason }] }. */
    t.jsonb('report').notNullable().defaultTo('{}');
    /** The same, as the apply found it (it plans again inside each file's transaction). */
    t.jsonb('applied_report');
    t.integer('progress_done').notNullable().defaultTo(0);
    t.integer('progress_total').notNullable().defaultTo(0);
    t.text('current_file');
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.check(`status IN (${IMPORT_BATCH_STATUSES.map((s) => `'${s}'`).join(', ')})`, [], 'import_batches_status_known');
    t.check('progress_done >= 0 AND progress_done <= progress_total', [], 'import_batches_progress_range');
  });
  /** The uploaded files, kept until the batch is applied (the CLI reads its folder instead). */
  await knex.schema.createTable('import_batch_files', (t) => {
    t.bigInteger('batch_id').notNullable().references('import_batches.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('content').notNullable();
    t.primary(['batch_id', 'name']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_batch_files');
  await knex.schema.dropTable('import_batches');
  await knex.raw('DROP INDEX IF EXISTS professionals_birth_date');
  await knex.schema.alterTable('professionals', (t) => t.dropColumn('birth_date'));
  for (const table of IMPORTED_TABLES) {
    await knex.raw(`DROP INDEX IF EXISTS ${table}_legacy_id_unique`);
    await knex.schema.alterTable(table, (t) => {
      t.dropChecks([`${table}_legacy_id_has_system`]);
      t.dropColumns('legacy_system', 'legacy_id', 'legacy_hash');
    });
  }
}
