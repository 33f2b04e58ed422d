import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (b41b4b3), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const PUBLICATION_STATUSES = ['scheduled', 'recomputing', 'completed', 'cancelled'] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * Policy staff change the rules: each version keeps who wrote it, what it was based on, who
 * approved its publication (or which version it rolls back to, and why); worked cases belong to
 * the rule set; a publication is scheduled for an effective date and followed by a workflow.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rule_set_versions', (t) => {
    t.bigInteger('author_user_id').references('users.id');
    t.integer('based_on_version');
    t.bigInteger('approved_by_user_id').references('users.id');
    t.integer('rollback_of_version');
    t.text('rollback_reason');
    t.timestamp('validated_at', { useTz: true });
    t.timestamp('published_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('rule_set_cases', (t) => {
    t.bigIncrements('id');
    t.text('rule_set').notNullable();
    t.text('case_id').notNullable();
    t.jsonb('definition').notNullable();
    t.bigInteger('author_user_id').references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['rule_set', 'case_id']);
  });

  await knex.schema.createTable('rule_set_publications', (t) => {
    t.bigIncrements('id');
    t.text('rule_set').notNullable();
    t.integer('version').notNullable();
    t.date('effective_from').notNullable();
    t.text('status').notNullable().defaultTo('scheduled');
    t.text('workflow_id').notNullable().unique();
    t.bigInteger('requested_by_user_id').references('users.id');
    t.integer('total').notNullable().defaultTo(0);
    t.integer('done').notNullable().defaultTo(0);
    t.integer('changed').notNullable().defaultTo(0);
    /** The last professional recomputed: a restarted recompute carries on after them. */
    t.bigInteger('last_professional_id').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.foreign(['rule_set', 'version']).references(['rule_set', 'version']).inTable('rule_set_versions');
    t.check(oneOf('status', PUBLICATION_STATUSES), [], 'rule_set_publications_status_known');
  });
  // One publication under way per rule set at a time.
  await knex.raw(
    "CREATE UNIQUE INDEX rule_set_publications_one_open ON rule_set_publications (rule_set) WHERE status IN ('scheduled', 'recomputing')",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rule_set_publications');
  await knex.schema.dropTable('rule_set_cases');
  await knex.schema.alterTable('rule_set_versions', (t) => {
    t.dropColumns(
      'author_user_id',
      'based_on_version',
      'approved_by_user_id',
      'rollback_of_version',
      'rollback_reason',
      'validated_at',
      'published_at',
      'updated_at',
    );
  });
}
