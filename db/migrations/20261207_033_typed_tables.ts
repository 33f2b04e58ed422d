import type { Knex } from 'knex';

/** Reserved slot. Issue 17: typed tables (only if a schema fix is needed). */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
