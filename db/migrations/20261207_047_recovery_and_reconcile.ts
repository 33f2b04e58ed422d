import type { Knex } from 'knex';

/** Reserved slot (recovery_and_reconcile): filled by the change that needs it, or left as a no-op. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
