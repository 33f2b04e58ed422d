import type { Knex } from 'knex';

/**
 * Who a director may add as staff and see afterwards (issue 16, access).
 *
 * A hire used to be a way in: a director could record any MOPD ID at their organization and read
 * that person's whole record from then on. Now a director adds an existing person by invitation:
 * a row here, pending until the person accepts it signed in; only acceptance creates the
 * employment that opens their record. One pending invitation per person and organization; the
 * employment an accepted invitation made is kept beside it.
 *
 * The literals below are frozen as written (roles and statuses of 2026-12-07), not imported.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_invitations', (t) => {
    t.bigIncrements('id');
    t.bigInteger('professional_id').notNullable().references('professionals.id');
    t.bigInteger('organization_id').notNullable().references('organizations.id');
    t.text('role').notNullable();
    t.date('hire_date').notNullable();
    t.bigInteger('invited_by_user_id').notNullable().references('users.id');
    t.text('status').notNullable().defaultTo('pending');
    t.bigInteger('employment_id').references('employments.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('answered_at', { useTz: true });
    t.check(
      "role IN ('director', 'teacher', 'assistant_teacher', 'cook', 'support_staff', 'volunteer')",
      [],
      'staff_invitations_role_known',
    );
    t.check("status IN ('pending', 'accepted', 'declined')", [], 'staff_invitations_status_known');
    t.check("(status = 'pending') = (answered_at IS NULL)", [], 'staff_invitations_answered_has_time');
    t.check("(status = 'accepted') = (employment_id IS NOT NULL)", [], 'staff_invitations_accepted_has_employment');
    t.index(['organization_id', 'created_at']);
  });
  await knex.raw(
    "CREATE UNIQUE INDEX staff_invitations_one_pending ON staff_invitations (professional_id, organization_id) WHERE status = 'pending'",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_invitations');
}
