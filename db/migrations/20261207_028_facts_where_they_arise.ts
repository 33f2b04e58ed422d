import type { Knex } from 'knex';

/**
 * Issue 18: facts a credit decision needs, kept where they arise rather than taken from whoever
 * benefits from them.
 *
 * - attendance.in_ratio: the trainer's attendance says, per participant and session, whether the
 *   person was counted in staff-to-child ratio while there (only a present mark can be).
 * - events.held_with_children: the trainer's per-event default for that answer (the training was
 *   held in a classroom with children), which a participant's own answer overrides.
 * - events.online_module_group: the event is a group session of an online module (its course is
 *   an on-demand online course with modules), decided from the catalog when it is scheduled.
 * - enrollments.taken_as_group / group_enrolled_by_user_id: a director enrolled a group of staff
 *   in an online course to take it together; the completion carries the fact to the credit rules.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attendance', (t) => {
    t.boolean('in_ratio').notNullable().defaultTo(false);
    t.check("NOT in_ratio OR status = 'present'", [], 'attendance_in_ratio_only_present');
  });
  await knex.schema.alterTable('events', (t) => {
    t.boolean('held_with_children').notNullable().defaultTo(false);
    t.boolean('online_module_group').notNullable().defaultTo(false);
  });
  // Events already scheduled of an on-demand course are group sessions of its modules too.
  await knex.raw(
    `UPDATE events e SET online_module_group = true
      WHERE e.delivery = 'online' AND EXISTS (SELECT 1 FROM course_modules m WHERE m.course_id = e.course_id)`,
  );
  await knex.schema.alterTable('enrollments', (t) => {
    t.boolean('taken_as_group').notNullable().defaultTo(false);
    t.bigInteger('group_enrolled_by_user_id').references('users.id');
    t.check('taken_as_group = (group_enrolled_by_user_id IS NOT NULL)', [], 'enrollments_group_has_director');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('enrollments', (t) => {
    t.dropChecks(['enrollments_group_has_director']);
    t.dropColumn('group_enrolled_by_user_id');
    t.dropColumn('taken_as_group');
  });
  await knex.schema.alterTable('events', (t) => {
    t.dropColumn('online_module_group');
    t.dropColumn('held_with_children');
  });
  await knex.schema.alterTable('attendance', (t) => {
    t.dropChecks(['attendance_in_ratio_only_present']);
    t.dropColumn('in_ratio');
  });
}
