import type { Knex } from 'knex';

/**
 * Issue 18: a CPR/First Aid card is verified by a reviewer before staff reports show it as valid.
 * Each card carries its verification (unverified until a reviewer looks at the scan, then verified
 * or rejected with a note), who gave it and when. Cards already in the registry were never looked
 * at, so they start unverified. The literals are frozen here as written (rules/domain's
 * CARD_VERIFICATIONS); a later change to that list needs a migration of its own.
 *
 * Individual training requests need nothing here: the exception category and the in-ratio answer
 * live in the case's submission, and the record's `in_ratio` column already exists.
 */
const VERIFICATIONS = ['unverified', 'verified', 'rejected'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('credentials', (t) => {
    t.text('verification').notNullable().defaultTo('unverified');
    t.bigInteger('verified_by_user_id').references('users.id');
    t.timestamp('verified_at', { useTz: true });
    /** The reviewer's words, required when the card is rejected (shown to its holder). */
    t.text('verification_note');
    t.check(`verification IN (${VERIFICATIONS.map((v) => `'${v}'`).join(', ')})`, [], 'credentials_verification_known');
    t.check(
      "(verification = 'unverified') = (verified_by_user_id IS NULL AND verified_at IS NULL)",
      [],
      'credentials_verification_has_reviewer',
    );
    t.check(
      "verification <> 'rejected' OR coalesce(btrim(verification_note), '') <> ''",
      [],
      'credentials_rejection_has_note',
    );
  });
  // The reviewers' queue: cards waiting for a look, oldest first.
  await knex.raw(
    "CREATE INDEX credentials_awaiting_verification ON credentials (created_at) WHERE verification = 'unverified'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX credentials_awaiting_verification');
  await knex.schema.alterTable('credentials', (t) => {
    t.dropChecks([
      'credentials_verification_known',
      'credentials_verification_has_reviewer',
      'credentials_rejection_has_note',
    ]);
    t.dropColumns('verification', 'verified_by_user_id', 'verified_at', 'verification_note');
  });
}
