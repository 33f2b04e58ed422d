import type { Knex } from 'knex';

/**
 * A registration's calendar identity: the invitation emailed with it names each session by a UID
 * made from this random value (never a row id, which a restored or recreated database hands out
 * again to someone else), and each invitation, update or cancellation sent for it carries the next
 * sequence number, so a calendar replaces what it holds instead of keeping an older copy.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('registrations', (t) => {
    t.uuid('calendar_uid').notNullable().defaultTo(knex.raw('gen_random_uuid()'));
    t.integer('calendar_sequence').notNullable().defaultTo(0);
    t.unique(['calendar_uid']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('registrations', (t) => {
    t.dropUnique(['calendar_uid']);
    t.dropColumn('calendar_sequence');
    t.dropColumn('calendar_uid');
  });
}
