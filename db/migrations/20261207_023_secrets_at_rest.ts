import type { Knex } from 'knex';

/**
 * Secrets at rest: encrypted second-factor secrets with their key id (issue 16).
 * (A slot reserved for this change; it does nothing yet.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}
