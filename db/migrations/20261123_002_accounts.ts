import type { Knex } from 'knex';

// The values of rules/domain.ts when this migration was written (83f9ac4), frozen: a migration must
// mean the same whenever it runs. test/integration/schemaConstraints.test.ts compares the
// migrated constraints with the live unions.
const CLAIM_STATUSES = ['pending', 'approved', 'denied', 'withdrawn'] as const;
const ROLES = ['professional', 'trainer', 'reviewer', 'director', 'inspector', 'policy_staff', 'admin'] as const;
const TOKEN_PURPOSES = ['password_reset', 'email_verification'] as const;
const UPLOAD_PURPOSES = ['cpr_card', 'instructor_certification', 'training_proof', 'document'] as const;

const oneOf = (column: string, values: readonly string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
    t.text('password_hash').notNullable();
    t.text('display_name').notNullable();
    t.bigInteger('professional_id').unique().references('professionals.id');
    t.timestamp('email_verified_at', { useTz: true });
    t.text('mfa_secret');
    t.timestamp('mfa_enabled_at', { useTz: true });
    // The last accepted TOTP time step: a code cannot be used twice.
    t.bigInteger('mfa_last_step');
    t.integer('failed_sign_ins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('disabled_at', { useTz: true });
    t.timestamps(true, true);
    t.check('mfa_enabled_at IS NULL OR mfa_secret IS NOT NULL', [], 'users_mfa_has_secret');
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_unique ON users (lower(email))');

  await knex.schema.createTable('user_roles', (t) => {
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('role').notNullable();
    t.primary(['user_id', 'role']);
    t.check(oneOf('role', ROLES), [], 'user_roles_role_known');
  });

  await knex.schema.createTable('organization_claims', (t) => {
    t.bigIncrements('id');
    t.bigInteger('organization_id').notNullable().references('organizations.id');
    t.bigInteger('director_user_id').notNullable().references('users.id');
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('status', CLAIM_STATUSES), [], 'organization_claims_status_known');
  });
  await knex.raw(
    "CREATE UNIQUE INDEX organization_claims_one_open ON organization_claims (organization_id, director_user_id) WHERE status IN ('pending', 'approved')",
  );

  await knex.schema.createTable('inspector_assignments', (t) => {
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('organization_id').notNullable().references('organizations.id');
    t.primary(['user_id', 'organization_id']);
  });

  await knex.schema.createTable('settings', (t) => {
    t.text('key').primary();
    t.jsonb('value').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex('settings').insert({ key: 'inspectors_see_all_facilities', value: JSON.stringify(false) });

  await knex.schema.createTable('recovery_codes', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('code_hash').notNullable().unique();
    t.timestamp('used_at', { useTz: true });
  });

  await knex.schema.createTable('auth_tokens', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('purpose').notNullable();
    t.text('token_hash').notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('purpose', TOKEN_PURPOSES), [], 'auth_tokens_purpose_known');
  });

  await knex.schema.createTable('uploads', (t) => {
    t.uuid('id').primary();
    t.bigInteger('owner_user_id').notNullable().references('users.id');
    t.text('purpose').notNullable();
    t.text('original_name').notNullable();
    t.text('media_type').notNullable();
    t.integer('size_bytes').notNullable();
    t.text('sha256').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(oneOf('purpose', UPLOAD_PURPOSES), [], 'uploads_purpose_known');
  });

  // Sessions, in the table layout connect-pg-simple reads and writes.
  await knex.raw(`
    CREATE TABLE "session" (
      "sid" varchar NOT NULL PRIMARY KEY,
      "sess" json NOT NULL,
      "expire" timestamp(6) NOT NULL
    );
    CREATE INDEX "session_expire" ON "session" ("expire");
  `);

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Null when the system acted on its own (a workflow's timer, a relay).
    t.bigInteger('actor_user_id').references('users.id');
    t.text('action').notNullable();
    t.text('entity').notNullable();
    t.text('entity_id').notNullable();
    t.jsonb('before');
    t.jsonb('after');
    t.text('request_id');
    t.index(['entity', 'entity_id']);
    t.index(['actor_user_id']);
  });
  // Append-only, whoever is connected: the database refuses to change or remove history.
  await knex.raw(`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS audit_log');
  await knex.raw('DROP FUNCTION IF EXISTS audit_log_append_only()');
  for (const table of [
    'session',
    'uploads',
    'auth_tokens',
    'recovery_codes',
    'settings',
    'inspector_assignments',
    'organization_claims',
    'user_roles',
    'users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
