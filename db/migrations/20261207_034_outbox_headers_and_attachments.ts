import type { Knex } from 'knex';

/**
 * An outbox email carries its own extra headers (List-Unsubscribe on optional reminders) and
 * attachments (a calendar invitation for a registration), written with the row like its words, so
 * a retry or an admin's resend sends exactly what was queued. Attachments are text (an .ics file).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE outbox ADD COLUMN headers jsonb NOT NULL DEFAULT '{}'::jsonb`);
  await knex.raw(`ALTER TABLE outbox ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]'::jsonb`);
  await knex.raw(`ALTER TABLE outbox ADD CONSTRAINT outbox_headers_object CHECK (jsonb_typeof(headers) = 'object')`);
  await knex.raw(
    `ALTER TABLE outbox ADD CONSTRAINT outbox_attachments_array CHECK (jsonb_typeof(attachments) = 'array')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE outbox DROP COLUMN attachments');
  await knex.raw('ALTER TABLE outbox DROP COLUMN headers');
}
