import type { Knex } from 'knex';

/** Reserved slot. Issue 18: corrections and voids of training records (helper: record corrections). */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
