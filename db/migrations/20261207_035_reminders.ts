import type { Knex } from 'knex';

/**
 * Whether a professional wants the optional deadline reminders, and the token of their one-click
 * unsubscribe link. The token is a random uuid (not the row id, not derived from it): an email's
 * link can only turn off the reminders of the person it was sent to. A row is made the first time
 * a reminder goes to the person; no row means reminders are on.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reminder_preferences', (t) => {
    t.integer('professional_id').primary().references('professionals.id').onDelete('CASCADE');
    t.uuid('unsubscribe_token').notNullable().unique().defaultTo(knex.raw('gen_random_uuid()'));
    // Set when the person turned optional reminders off; required notices ignore it.
    t.timestamp('opted_out_at', { useTz: true }).nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reminder_preferences');
}
