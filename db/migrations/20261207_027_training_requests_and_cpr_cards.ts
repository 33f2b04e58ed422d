import type { Knex } from 'knex';

/** Reserved slot. Issue 18: individual request exceptions and CPR card verification. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
