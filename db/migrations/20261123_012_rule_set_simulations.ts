import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (ea42042), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const SIMULATION_STATUSES = ['running', 'completed', 'failed'] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/** What-if runs of a draft against the live registry as of a date, with their progress and result. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rule_set_simulations', (t) => {
    t.bigIncrements('id');
    t.text('rule_set').notNullable();
    t.integer('version').notNullable();
    t.integer('compared_with_version');
    t.date('as_of').notNullable();
    t.text('status').notNullable().defaultTo('running');
    t.text('workflow_id').notNullable().unique();
    t.bigInteger('requested_by_user_id').references('users.id');
    t.integer('total').notNullable().defaultTo(0);
    t.integer('done').notNullable().defaultTo(0);
    t.jsonb('result');
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.foreign(['rule_set', 'version']).references(['rule_set', 'version']).inTable('rule_set_versions');
    t.check(oneOf('status', SIMULATION_STATUSES), [], 'rule_set_simulations_status_known');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rule_set_simulations');
}
