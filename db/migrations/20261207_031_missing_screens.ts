import type { Knex } from 'knex';

/**
 * Issue 19, screens the API had but the UI lacked:
 * - an employment ended by a director or admin keeps why it ended (`end_reason`);
 * - an event's fee (events.fee_cents, since migration 006) is paid through the payment provider
 *   like an online course's: a payment belongs to an enrollment or to a registration, exactly one.
 *   A registration cancelled and taken again keeps its row, so it may have several payments over
 *   time; at most one of them is paid or pending at once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('employments', (t) => {
    t.text('end_reason');
    t.check('end_reason IS NULL OR end_date IS NOT NULL', [], 'employments_end_reason_with_end_date');
  });
  await knex.schema.alterTable('payments', (t) => {
    t.bigInteger('registration_id').references('registrations.id');
    t.index(['registration_id']);
  });
  await knex.raw('ALTER TABLE payments ALTER COLUMN enrollment_id DROP NOT NULL');
  await knex.raw(
    'ALTER TABLE payments ADD CONSTRAINT payments_for_one_thing CHECK ((enrollment_id IS NULL) <> (registration_id IS NULL))',
  );
  await knex.raw(
    "CREATE UNIQUE INDEX payments_one_open_per_registration ON payments (registration_id) WHERE status IN ('pending', 'paid') AND registration_id IS NOT NULL",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX payments_one_open_per_registration');
  await knex.raw('ALTER TABLE payments DROP CONSTRAINT payments_for_one_thing');
  await knex('payments').whereNotNull('registration_id').delete();
  await knex.raw('ALTER TABLE payments ALTER COLUMN enrollment_id SET NOT NULL');
  await knex.schema.alterTable('payments', (t) => t.dropColumn('registration_id'));
  await knex.schema.alterTable('employments', (t) => {
    t.dropChecks(['employments_end_reason_with_end_date']);
    t.dropColumn('end_reason');
  });
}
