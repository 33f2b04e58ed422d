import type { Knex } from 'knex';
import { LANGUAGES } from '../../rules/domain.js';

/** The language each person uses MOPD in: the UI applies it after sign-in and their emails are written in it. */
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
