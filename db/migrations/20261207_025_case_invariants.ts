import type { Knex } from 'knex';

/**
 * The case invariants the code relied on, stated by the database (issue 17): at most one decision
 * per case, one open organization claim per person and organization, one open micro-credential
 * case per person and credential. Until now a SELECT before the INSERT kept the last two, and two
 * requests at once could both pass it. The literals are frozen here as they were when this was
 * written (the open statuses of rules/domain's OPEN_CASE_STATUSES, the decisions 'approved' and
 * 'denied'); a later change to those lists needs a migration of its own.
 */
const OPEN = "('submitted', 'in_review', 'information_requested')";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    "CREATE UNIQUE INDEX case_events_one_decision ON case_events (case_id) WHERE kind IN ('approved', 'denied')",
  );
  await knex.raw(
    `CREATE UNIQUE INDEX cases_one_open_organization_claim ON cases (applicant_user_id, organization_id) WHERE type = 'organization_claim' AND status IN ${OPEN}`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX cases_one_open_micro_credential ON cases (applicant_user_id, (submission->>'credentialId')) WHERE type = 'micro_credential' AND status IN ${OPEN}`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX cases_one_open_micro_credential');
  await knex.raw('DROP INDEX cases_one_open_organization_claim');
  await knex.raw('DROP INDEX case_events_one_decision');
}
