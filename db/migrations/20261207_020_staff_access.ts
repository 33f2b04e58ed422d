import type { Knex } from 'knex';

/**
 * Who a director may add as staff and see afterwards (issue 16, access).
 * (A slot reserved for this change; it does nothing yet.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}
