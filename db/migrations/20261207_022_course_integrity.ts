import type { Knex } from 'knex';

/**
 * Online courses: engaged time per module, minimum time per course, knowledge-check attempts (issue 16).
 * (A slot reserved for this change; it does nothing yet.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}
