import type { Knex } from 'knex';

/**
 * Faster where people wait (issue 22).
 * - Catalog facets: the search counts totals and facets over a copy of the upcoming events kept
 *   in memory (db/catalogFacets.ts), read whenever `catalog_changes` moves. The index covering
 *   what counting reads of upcoming events now also holds the id and the place, so that copy is
 *   read from the index alone; it replaces `events_upcoming_counts` (a subset of it), which the
 *   SQL counting, still used until a copy is read, uses as before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE INDEX events_upcoming_facets ON events (last_session_at)
    INCLUDE (id, first_session_at, topic, delivery, region, level, language, county, fee_cents, capacity, seats_taken, latitude, longitude)
    WHERE NOT cancelled`);
  await knex.raw('DROP INDEX events_upcoming_counts');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE INDEX events_upcoming_counts ON events (last_session_at)
    INCLUDE (first_session_at, topic, delivery, region, level, language, county, fee_cents, capacity, seats_taken)
    WHERE NOT cancelled`);
  await knex.raw('DROP INDEX events_upcoming_facets');
}
