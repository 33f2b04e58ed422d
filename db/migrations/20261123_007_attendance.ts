import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (c42bb09), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const ATTENDANCE_STATUSES = ['present', 'absent'] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * Conferences and attendance. A conference is one event whose sessions run in parallel tracks;
 * its registrants choose their sessions (without clashes). Trainers mark attendance per session;
 * completing it issues one training record per attendee, tied to the event, so issuing again (or
 * correcting) changes that record instead of adding another.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('events', (t) => {
    t.boolean('session_choice').notNullable().defaultTo(false);
    t.timestamp('attendance_completed_at', { useTz: true });
    t.bigInteger('attendance_completed_by_user_id').references('users.id');
  });
  await knex.schema.alterTable('event_sessions', (t) => {
    t.text('track');
  });

  await knex.schema.createTable('registration_sessions', (t) => {
    t.bigInteger('registration_id').notNullable().references('registrations.id').onDelete('CASCADE');
    t.bigInteger('event_session_id').notNullable().references('event_sessions.id').onDelete('CASCADE');
    t.primary(['registration_id', 'event_session_id']);
  });

  await knex.schema.createTable('attendance', (t) => {
    t.bigIncrements('id');
    t.bigInteger('event_session_id').notNullable().references('event_sessions.id');
    t.bigInteger('registration_id').notNullable().references('registrations.id');
    t.text('status').notNullable();
    /** Hours attended when present; less than the session's hours for a partial attendance. */
    t.decimal('hours', 5, 2).notNullable().defaultTo(0);
    t.bigInteger('recorded_by_user_id').references('users.id');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['event_session_id', 'registration_id']);
    t.check(oneOf('status', ATTENDANCE_STATUSES), [], 'attendance_status_known');
    t.check(
      "(status = 'present' AND hours > 0) OR (status = 'absent' AND hours = 0)",
      [],
      'attendance_hours_fit_status',
    );
    t.index(['registration_id']);
  });

  await knex.schema.alterTable('training_records', (t) => {
    t.bigInteger('event_id').references('events.id');
  });
  await knex.raw(
    'CREATE UNIQUE INDEX training_records_one_per_event_attendee ON training_records (event_id, professional_id) WHERE event_id IS NOT NULL',
  );

  await knex('settings')
    .insert({ key: 'event_reminders', value: JSON.stringify({ remindHoursBefore: 48 }) })
    .onConflict('key')
    .ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex('settings').where({ key: 'event_reminders' }).delete();
  await knex.raw('DROP INDEX training_records_one_per_event_attendee');
  await knex.schema.alterTable('training_records', (t) => t.dropColumn('event_id'));
  await knex.schema.dropTable('attendance');
  await knex.schema.dropTable('registration_sessions');
  await knex.schema.alterTable('event_sessions', (t) => t.dropColumn('track'));
  await knex.schema.alterTable('events', (t) => {
    t.dropColumns('session_choice', 'attendance_completed_at', 'attendance_completed_by_user_id');
  });
}
