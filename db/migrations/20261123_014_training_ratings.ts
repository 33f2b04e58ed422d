import type { Knex } from 'knex';

/** Participants rate a training they completed (one rating per training record, changeable). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('training_ratings', (t) => {
    t.bigIncrements('id');
    t.bigInteger('training_record_id').notNullable().unique().references('training_records.id').onDelete('CASCADE');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.bigInteger('course_id').notNullable().references('courses.id');
    t.bigInteger('event_id').references('events.id');
    t.smallint('stars').notNullable();
    t.text('comment').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check('stars BETWEEN 1 AND 5', [], 'training_ratings_stars_range');
    t.check('length(comment) <= 1000', [], 'training_ratings_comment_length');
    t.index(['course_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('training_ratings');
}
