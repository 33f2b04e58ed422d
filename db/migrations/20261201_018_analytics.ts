import type { Knex } from 'knex';

/**
 * Workforce analytics: the smallest group a published figure may describe. A cell counting
 * between 1 and N−1 people is shown as suppressed (services/analytics/tables.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex('settings')
    .insert({ key: 'analytics_small_group_threshold', value: JSON.stringify(5) })
    .onConflict('key')
    .ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex('settings').where({ key: 'analytics_small_group_threshold' }).delete();
}
