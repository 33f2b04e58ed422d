import type { Knex } from 'knex';

/**
 * Issue 19, four eyes on publication: a rule-set version keeps everyone who wrote its document
 * (the author and each person who saved it) and when its publication was approved, so the one
 * who approves can be told apart from the ones who drafted it, and the page says who did which.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rule_set_versions', (t) => {
    t.specificType('drafted_by_user_ids', 'bigint[]').notNullable().defaultTo('{}');
    t.timestamp('approved_at', { useTz: true });
  });
  // Versions drafted before: their author drafted them; who saved them is in the audit log.
  await knex.raw(
    `UPDATE rule_set_versions v
        SET drafted_by_user_ids = ARRAY(
              SELECT DISTINCT x FROM unnest(
                array_remove(ARRAY[v.author_user_id], NULL) ||
                ARRAY(SELECT a.actor_user_id FROM audit_log a
                       WHERE a.entity = 'rule_set_version' AND a.entity_id = v.rule_set || '@' || v.version
                         AND a.action IN ('rule_set.draft_created', 'rule_set.draft_saved', 'rule_set.rollback_drafted')
                         AND a.actor_user_id IS NOT NULL)
              ) AS x)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rule_set_versions', (t) => {
    t.dropColumns('drafted_by_user_ids', 'approved_at');
  });
}
