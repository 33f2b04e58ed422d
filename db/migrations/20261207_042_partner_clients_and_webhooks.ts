import type { Knex } from 'knex';

/** Reserved slot (partner_clients_and_webhooks): filled by the change that needs it, or left as a no-op. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
