import type { Knex } from 'knex';

/** Reserved slot. Issue 18: in-ratio and group facts captured where they arise. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
