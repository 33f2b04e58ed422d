import type { Knex } from 'knex';

/** The language each person uses MOPD in: the UI applies it after sign-in and their emails are written in it. */
// The values of rules/domain.ts when this migration was written (d8ba36f), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const LANGUAGES = ['en', 'es'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.text('language').notNullable().defaultTo('en');
    t.check(`language IN (${LANGUAGES.map((l) => `'${l}'`).join(', ')})`, [], 'users_language_known');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropChecks('users_language_known');
    t.dropColumn('language');
  });
}
