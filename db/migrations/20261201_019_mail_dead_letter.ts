import type { Knex } from 'knex';

/**
 * Mail that keeps failing ends as a dead letter an admin can see and send again:
 * - status 'dead' (instead of 'failed') with when it died, beside the last error and the attempts;
 * - a generation, raised by each retry of an admin, which is part of the queue's job id so the
 *   retried email is a new job rather than the old failed one;
 * - an index on the queued rows, which the relay checks against the queue (a Redis that lost
 *   its data lost their jobs: they are queued again).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE outbox DROP CONSTRAINT outbox_status_known');
  // In SQL: the outbox's row type (db/types/tables.ts) knows the statuses of today, not 'failed'.
  await knex.raw("UPDATE outbox SET status = 'dead' WHERE status = 'failed'");
  await knex.schema.alterTable('outbox', (t) => {
    t.timestamp('last_attempt_at', { useTz: true });
    t.timestamp('dead_at', { useTz: true });
    t.integer('generation').notNullable().defaultTo(0);
    t.check("status IN ('pending', 'queued', 'sent', 'dead')", [], 'outbox_status_known');
    t.check("(status = 'dead') = (dead_at IS NOT NULL)", [], 'outbox_dead_has_time');
  });
  await knex.raw("UPDATE outbox SET dead_at = now() WHERE status = 'dead' AND dead_at IS NULL");
  await knex.raw("CREATE INDEX outbox_queued ON outbox (queued_at) WHERE status = 'queued'");
  await knex.raw("CREATE INDEX outbox_dead ON outbox (dead_at DESC) WHERE status = 'dead'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX outbox_dead');
  await knex.raw('DROP INDEX outbox_queued');
  await knex.raw('ALTER TABLE outbox DROP CONSTRAINT outbox_dead_has_time');
  await knex.raw('ALTER TABLE outbox DROP CONSTRAINT outbox_status_known');
  await knex.raw("UPDATE outbox SET status = 'failed' WHERE status = 'dead'");
  await knex.schema.alterTable('outbox', (t) => {
    t.dropColumn('generation');
    t.dropColumn('dead_at');
    t.dropColumn('last_attempt_at');
    t.check("status IN ('pending', 'queued', 'sent', 'failed')", [], 'outbox_status_known');
  });
}
