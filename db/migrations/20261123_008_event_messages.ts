import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (c4c6a7b), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const COURSE_REQUEST_STATUSES = ['open', 'answered', 'declined'] as const;
const EVENT_MESSAGE_SENDERS = ['trainer', 'participant'] as const;
const REGIONS = ['Kansas City', 'Northwest', 'Northeast', 'Central', 'St. Louis', 'Southwest', 'Southeast'] as const;

const oneOf = (column: string, values: readonly string[]) =>
  `${column} IN (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;

/**
 * Messages between an event's trainer and its participants, and requests to CPR/First Aid
 * trainers for a course in a region.
 *
 * An event message is either the trainer's to everyone (to_professional_id null) or part of the
 * conversation between the trainer and one participant (to_professional_id that participant),
 * written by either side: `sent_by` says which. A participant's message is never to everyone, and
 * a reply belongs to the same event as what it answers (a composite foreign key).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('event_messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('event_id').notNullable().references('events.id');
    t.bigInteger('author_user_id').notNullable().references('users.id');
    t.text('sent_by').notNullable();
    t.bigInteger('to_professional_id').references('professionals.id');
    t.bigInteger('in_reply_to_id');
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['event_id', 'id']);
    t.check(oneOf('sent_by', EVENT_MESSAGE_SENDERS), [], 'event_messages_sent_by_known');
    t.check(
      "sent_by = 'trainer' OR to_professional_id IS NOT NULL",
      [],
      'event_messages_participant_writes_own_conversation',
    );
    t.check('char_length(body) BETWEEN 1 AND 5000', [], 'event_messages_body_length');
    t.index(['event_id', 'to_professional_id', 'id']);
  });
  await knex.schema.alterTable('event_messages', (t) => {
    t.foreign(['event_id', 'in_reply_to_id'], 'event_messages_reply_in_same_event')
      .references(['event_id', 'id'])
      .inTable('event_messages');
  });

  await knex.schema.createTable('course_requests', (t) => {
    t.bigIncrements('id');
    t.bigInteger('trainer_user_id').notNullable().references('users.id');
    t.bigInteger('requested_by_user_id').notNullable().references('users.id');
    t.bigInteger('professional_id').references('professionals.id');
    t.text('region').notNullable();
    t.text('message').notNullable();
    /** YYYY-MM */
    t.text('preferred_month');
    t.integer('seats');
    t.text('status').notNullable().defaultTo('open');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('answered_at', { useTz: true });
    t.text('answer');
    t.check(oneOf('region', REGIONS), [], 'course_requests_region_known');
    t.check(oneOf('status', COURSE_REQUEST_STATUSES), [], 'course_requests_status_known');
    t.check('char_length(message) BETWEEN 1 AND 2000', [], 'course_requests_message_length');
    t.check(
      "preferred_month IS NULL OR preferred_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'",
      [],
      'course_requests_preferred_month_form',
    );
    t.check('seats IS NULL OR seats > 0', [], 'course_requests_seats_positive');
    // Open until the trainer answers or declines, once, with words.
    t.check(
      "(status = 'open') = (answered_at IS NULL) AND (status = 'open') = (answer IS NULL)",
      [],
      'course_requests_answer_fits_status',
    );
    t.check('answer IS NULL OR char_length(answer) BETWEEN 1 AND 2000', [], 'course_requests_answer_length');
    t.index(['trainer_user_id', 'status', 'created_at']);
    t.index(['requested_by_user_id']);
  });
  // One open request per person, trainer and region: a second click asks nothing new.
  await knex.raw(
    "CREATE UNIQUE INDEX course_requests_one_open ON course_requests (trainer_user_id, requested_by_user_id, region) WHERE status = 'open'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('course_requests');
  await knex.schema.dropTable('event_messages');
}
