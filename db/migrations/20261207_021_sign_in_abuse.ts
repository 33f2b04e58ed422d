import type { Knex } from 'knex';

/**
 * Counting sign-in and second-factor failures; limits on email a stranger can trigger (issue 16).
 * (A slot reserved for this change; it does nothing yet.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}
