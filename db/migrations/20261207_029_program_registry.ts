import type { Knex } from 'knex';

/** Reserved slot. Issue 18: program types and roles as registry data; effective-dated program settings. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
