import type { Knex } from 'knex';

// rules/domain.ts ROLES when this migration was written, frozen: a migration must mean the same whenever it runs.
const ROLES = ['professional', 'trainer', 'reviewer', 'director', 'inspector', 'policy_staff', 'admin'] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/**
 * Single sign-on through the state's OpenID Connect provider (issue 23).
 *
 * - `sign_on_identities`: the provider's identity (issuer, subject) of an account, recorded at its
 *   first sign-in through the provider; one account per identity, one identity per issuer and account.
 * - `sign_on_group_roles`: the admin setting that maps the provider's groups to MOPD roles. The roles
 *   named here are the ones the provider decides at each sign-in; other roles stay as admins set them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sign_on_identities', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('issuer').notNullable();
    t.text('subject').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_signed_in_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['issuer', 'subject']);
    t.unique(['issuer', 'user_id']);
  });
  await knex.schema.createTable('sign_on_group_roles', (t) => {
    t.bigIncrements('id');
    t.text('group_name').notNullable();
    t.text('role').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['group_name', 'role']);
    t.check(oneOf('role', ROLES), [], 'sign_on_group_roles_role_known');
    t.check('length(group_name) BETWEEN 1 AND 200', [], 'sign_on_group_roles_group_named');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sign_on_group_roles');
  await knex.schema.dropTableIfExists('sign_on_identities');
}
