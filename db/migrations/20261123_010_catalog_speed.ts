import type { Knex } from 'knex';

/**
 * Catalog search at statewide size (200,000 events; test/bench/catalog.ts):
 * - `events.seats_taken`, the count of its registrations whose status is 'registered', kept by
 *   the database itself on every insert, update and delete of registrations (statement triggers,
 *   so a bulk load updates each event once). Seats left is `capacity - seats_taken`: search no
 *   longer counts registrations for every event it shows or filters.
 * - An index of the span each event runs over, which finds the events running right now: every
 *   upcoming event (last session not yet over) starts at or after the earliest of those, or
 *   after now, so date-ordered searches start reading the date index there instead of at the
 *   first event ever held.
 * - An index that covers what counting results and facets reads of upcoming events, so counts
 *   read that narrow index instead of the wide rows.
 * - `catalog_changes`, a sequence moved on by every statement that changes events (a new event, a
 *   seat taken or freed, a cancellation): an answer the search keeps is reused only while it has
 *   not moved (db/catalog.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE events ADD COLUMN seats_taken integer NOT NULL DEFAULT 0');
  await knex.raw(`
    UPDATE events e SET seats_taken = r.taken
    FROM (SELECT event_id, count(*)::int AS taken FROM registrations WHERE status = 'registered' GROUP BY event_id) r
    WHERE r.event_id = e.id`);
  await knex.raw('ALTER TABLE events ADD CONSTRAINT events_seats_taken_not_negative CHECK (seats_taken >= 0)');
  await knex.raw(`
    CREATE FUNCTION registrations_count_seats() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        UPDATE events e SET seats_taken = e.seats_taken + d.change
        FROM (SELECT event_id, count(*)::int AS change FROM new_rows WHERE status = 'registered' GROUP BY event_id) d
        WHERE e.id = d.event_id;
      ELSIF TG_OP = 'DELETE' THEN
        UPDATE events e SET seats_taken = e.seats_taken - d.change
        FROM (SELECT event_id, count(*)::int AS change FROM old_rows WHERE status = 'registered' GROUP BY event_id) d
        WHERE e.id = d.event_id;
      ELSE
        UPDATE events e SET seats_taken = e.seats_taken + d.change
        FROM (
          SELECT event_id, sum(change)::int AS change FROM (
            SELECT event_id, 1 AS change FROM new_rows WHERE status = 'registered'
            UNION ALL
            SELECT event_id, -1 FROM old_rows WHERE status = 'registered'
          ) c GROUP BY event_id HAVING sum(change) <> 0
        ) d
        WHERE e.id = d.event_id;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(
    'CREATE TRIGGER registrations_count_seats_insert AFTER INSERT ON registrations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_seats()',
  );
  await knex.raw(
    'CREATE TRIGGER registrations_count_seats_update AFTER UPDATE ON registrations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_seats()',
  );
  await knex.raw(
    'CREATE TRIGGER registrations_count_seats_delete AFTER DELETE ON registrations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_seats()',
  );

  await knex.raw('CREATE SEQUENCE catalog_changes');
  await knex.raw(
    "CREATE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('catalog_changes'); RETURN NULL; END $$",
  );
  await knex.raw(
    'CREATE TRIGGER events_catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed()',
  );

  await knex.raw(
    "CREATE INDEX events_running ON events USING gist (tstzrange(first_session_at, last_session_at, '[]')) WHERE NOT cancelled",
  );
  await knex.raw(`
    CREATE INDEX events_upcoming_counts ON events (last_session_at)
    INCLUDE (first_session_at, topic, delivery, region, level, language, county, fee_cents, capacity, seats_taken)
    WHERE NOT cancelled`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX events_upcoming_counts');
  await knex.raw('DROP INDEX events_running');
  await knex.raw('DROP TRIGGER events_catalog_changed ON events');
  await knex.raw('DROP FUNCTION catalog_changed()');
  await knex.raw('DROP SEQUENCE catalog_changes');
  await knex.raw('DROP TRIGGER registrations_count_seats_delete ON registrations');
  await knex.raw('DROP TRIGGER registrations_count_seats_update ON registrations');
  await knex.raw('DROP TRIGGER registrations_count_seats_insert ON registrations');
  await knex.raw('DROP FUNCTION registrations_count_seats()');
  await knex.raw('ALTER TABLE events DROP COLUMN seats_taken');
}
