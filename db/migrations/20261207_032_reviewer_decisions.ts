import type { Knex } from 'knex';

/** Reserved slot. Issue 19: the reviewer decides with the facts in front of them; four-eyes publication. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
