import type { Knex } from 'knex';
import zipcodes from 'zipcodes';

// The values of rules/domain.ts when this migration was written (541d11c), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const COURSE_LEVELS = ['introductory', 'intermediate', 'advanced'] as const;
const DELIVERY_MODES = ['in_person', 'online', 'blended'] as const;
const REGIONS = ['Kansas City', 'Northwest', 'Northeast', 'Central', 'St. Louis', 'Southwest', 'Southeast'] as const;
const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'cancelled'] as const;
const TRAINING_LANGUAGES = ['en', 'es'] as const;

const oneOf = (column: string, values: readonly string[]) =>
  `${column} IN (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;

/**
 * The training catalog: scheduled events of approved courses with their sessions, registrations,
 * Missouri ZIP code centroids for distance, and a full-text index. Distances are great-circle
 * distances on the earth (PostgreSQL's earthdistance), right at the scale of a state.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS cube');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS earthdistance');

  await knex.schema.createTable('zip_codes', (t) => {
    t.text('zip').primary();
    t.text('city').notNullable();
    t.double('latitude').notNullable();
    t.double('longitude').notNullable();
  });
  const missouri = zipcodes
    .lookupByState('MO')
    .map((z) => ({ zip: z.zip, city: z.city, latitude: z.latitude, longitude: z.longitude }));
  for (let i = 0; i < missouri.length; i += 500)
    await knex('zip_codes')
      .insert(missouri.slice(i, i + 500))
      .onConflict('zip')
      .ignore();

  await knex.schema.alterTable('trainers', (t) => {
    t.specificType('regions', 'text[]').notNullable().defaultTo('{}');
  });

  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('course_id').notNullable().references('courses.id');
    t.bigInteger('trainer_user_id').references('users.id');
    // What search reads, copied from the approved course and its trainer when the event is scheduled.
    t.text('title').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.text('sponsor').notNullable();
    t.text('trainer_name').notNullable().defaultTo('');
    t.text('topic').notNullable();
    t.text('level');
    t.text('delivery').notNullable();
    t.decimal('clock_hours', 5, 2).notNullable();
    t.text('language').notNullable().defaultTo('en');
    // Where: an address (with its ZIP centroid for distance) or an online link.
    t.text('address_line');
    t.text('city');
    t.text('county');
    t.text('region');
    t.text('zip');
    t.double('latitude');
    t.double('longitude');
    t.text('online_url');
    t.integer('capacity').notNullable();
    t.timestamp('registration_deadline', { useTz: true });
    t.integer('fee_cents').notNullable().defaultTo(0);
    t.timestamp('first_session_at', { useTz: true }).notNullable();
    t.timestamp('last_session_at', { useTz: true }).notNullable();
    t.boolean('cancelled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('delivery', DELIVERY_MODES), [], 'events_delivery_known');
    t.check(`level IS NULL OR ${oneOf('level', COURSE_LEVELS)}`, [], 'events_level_known');
    t.check(`region IS NULL OR ${oneOf('region', REGIONS)}`, [], 'events_region_known');
    t.check(oneOf('language', TRAINING_LANGUAGES), [], 'events_language_known');
    t.check('capacity > 0', [], 'events_capacity_positive');
    t.check('fee_cents >= 0', [], 'events_fee_not_negative');
    t.check("(delivery = 'online') = (address_line IS NULL)", [], 'events_place_fits_delivery');
    t.check('first_session_at <= last_session_at', [], 'events_sessions_in_order');
  });
  await knex.raw(`
    ALTER TABLE events ADD COLUMN search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', title), 'A') ||
      setweight(to_tsvector('english', sponsor || ' ' || trainer_name), 'B') ||
      setweight(to_tsvector('english', description || ' ' || replace(topic, '-', ' ') || ' ' || coalesce(city, '') || ' ' || coalesce(county, '')), 'C')
    ) STORED`);
  await knex.raw('CREATE INDEX events_search ON events USING gin (search)');
  await knex.raw('CREATE INDEX events_upcoming ON events (first_session_at) WHERE NOT cancelled');
  await knex.raw('CREATE INDEX events_filters ON events (topic, delivery, region)');
  await knex.raw(
    'CREATE INDEX events_place ON events USING gist (ll_to_earth(latitude, longitude)) WHERE latitude IS NOT NULL',
  );

  await knex.schema.createTable('event_sessions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('event_id').notNullable().references('events.id').onDelete('CASCADE');
    t.text('title').notNullable().defaultTo('');
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.decimal('hours', 5, 2).notNullable();
    t.check('starts_at < ends_at', [], 'event_sessions_start_before_end');
    t.index(['event_id', 'starts_at']);
  });

  await knex.schema.createTable('registrations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('event_id').notNullable().references('events.id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.text('status').notNullable();
    t.bigInteger('registered_by_user_id').references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('cancelled_at', { useTz: true });
    t.unique(['event_id', 'professional_id']);
    t.check(oneOf('status', REGISTRATION_STATUSES), [], 'registrations_status_known');
    t.index(['event_id', 'status', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('registrations');
  await knex.schema.dropTable('event_sessions');
  await knex.schema.dropTable('events');
  await knex.schema.alterTable('trainers', (t) => t.dropColumn('regions'));
  await knex.schema.dropTable('zip_codes');
}
