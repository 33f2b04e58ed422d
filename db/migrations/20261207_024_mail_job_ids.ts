import type { Knex } from 'knex';

/**
 * Outbox: job ids unique across database restores; links dropped after delivery; upload quotas (issue 16).
 * (A slot reserved for this change; it does nothing yet.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('SELECT 1');
}
