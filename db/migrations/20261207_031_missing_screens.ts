import type { Knex } from 'knex';

/** Reserved slot. Issue 19: screens the API has but the UI lacks. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
