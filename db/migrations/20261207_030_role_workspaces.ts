import type { Knex } from 'knex';

/** Reserved slot. Issue 19: home per role and the UI shell. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
