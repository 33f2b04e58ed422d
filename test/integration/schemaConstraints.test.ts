/**
 * The database's CHECK constraints against the live unions of rules/domain.ts. Migrations freeze the
 * literals they were written with, so a union that grows (or shrinks) without a migration to match
 * shows up here rather than as a 23514 in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as domain from '../../rules/domain.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** Each union-backed column: its table, the constraint naming its values, and the live union. */
const UNION_COLUMNS: { table: string; column: string; constraint: string; union: readonly string[] }[] = [
  { table: 'organizations', column: 'region', constraint: 'organizations_region_known', union: domain.REGIONS },
  { table: 'professionals', column: 'region', constraint: 'professionals_region_known', union: domain.REGIONS },
  { table: 'courses', column: 'delivery', constraint: 'courses_delivery_known', union: domain.DELIVERY_MODES },
  { table: 'courses', column: 'level', constraint: 'courses_level_known', union: domain.COURSE_LEVELS },
  {
    table: 'rule_set_versions',
    column: 'status',
    constraint: 'rule_set_versions_status_known',
    union: domain.RULE_SET_STATUSES,
  },
  {
    table: 'training_records',
    column: 'source',
    constraint: 'training_records_source_known',
    union: domain.TRAINING_SOURCES,
  },
  { table: 'deadlines', column: 'status', constraint: 'deadlines_status_known', union: domain.DEADLINE_STATUSES },
  { table: 'outbox', column: 'status', constraint: 'outbox_status_known', union: domain.OUTBOX_STATUSES },
  { table: 'users', column: 'language', constraint: 'users_language_known', union: domain.LANGUAGES },
  {
    table: 'sign_up_requests',
    column: 'language',
    constraint: 'sign_up_requests_language_known',
    union: domain.LANGUAGES,
  },
  { table: 'user_roles', column: 'role', constraint: 'user_roles_role_known', union: domain.ROLES },
  {
    table: 'sign_on_group_roles',
    column: 'role',
    constraint: 'sign_on_group_roles_role_known',
    union: domain.ROLES,
  },
  {
    table: 'organization_claims',
    column: 'status',
    constraint: 'organization_claims_status_known',
    union: domain.CLAIM_STATUSES,
  },
  { table: 'auth_tokens', column: 'purpose', constraint: 'auth_tokens_purpose_known', union: domain.TOKEN_PURPOSES },
  { table: 'uploads', column: 'purpose', constraint: 'uploads_purpose_known', union: domain.UPLOAD_PURPOSES },
  { table: 'education', column: 'kind', constraint: 'education_kind_known', union: domain.EDUCATION_KINDS },
  { table: 'education', column: 'degree_level', constraint: 'education_degree_has_level', union: domain.DEGREE_LEVELS },
  { table: 'credentials', column: 'kind', constraint: 'credentials_kind_known', union: domain.CREDENTIAL_KINDS },
  {
    table: 'credentials',
    column: 'verification',
    constraint: 'credentials_verification_known',
    union: domain.CARD_VERIFICATIONS,
  },
  { table: 'cases', column: 'type', constraint: 'cases_type_known', union: domain.CASE_TYPES },
  { table: 'cases', column: 'status', constraint: 'cases_status_known', union: domain.CASE_STATUSES },
  { table: 'case_events', column: 'kind', constraint: 'case_events_kind_known', union: domain.CASE_EVENT_KINDS },
  { table: 'events', column: 'delivery', constraint: 'events_delivery_known', union: domain.DELIVERY_MODES },
  { table: 'events', column: 'level', constraint: 'events_level_known', union: domain.COURSE_LEVELS },
  { table: 'events', column: 'region', constraint: 'events_region_known', union: domain.REGIONS },
  { table: 'events', column: 'language', constraint: 'events_language_known', union: domain.TRAINING_LANGUAGES },
  {
    table: 'registrations',
    column: 'status',
    constraint: 'registrations_status_known',
    union: domain.REGISTRATION_STATUSES,
  },
  { table: 'attendance', column: 'status', constraint: 'attendance_status_known', union: domain.ATTENDANCE_STATUSES },
  {
    table: 'event_messages',
    column: 'sent_by',
    constraint: 'event_messages_sent_by_known',
    union: domain.EVENT_MESSAGE_SENDERS,
  },
  { table: 'course_requests', column: 'region', constraint: 'course_requests_region_known', union: domain.REGIONS },
  {
    table: 'course_requests',
    column: 'status',
    constraint: 'course_requests_status_known',
    union: domain.COURSE_REQUEST_STATUSES,
  },
  { table: 'enrollments', column: 'status', constraint: 'enrollments_status_known', union: domain.ENROLLMENT_STATUSES },
  { table: 'payments', column: 'status', constraint: 'payments_status_known', union: domain.PAYMENT_STATUSES },
  {
    table: 'rule_set_publications',
    column: 'status',
    constraint: 'rule_set_publications_status_known',
    union: domain.PUBLICATION_STATUSES,
  },
  {
    table: 'rule_set_simulations',
    column: 'status',
    constraint: 'rule_set_simulations_status_known',
    union: domain.SIMULATION_STATUSES,
  },
  {
    table: 'import_batches',
    column: 'status',
    constraint: 'import_batches_status_known',
    union: domain.IMPORT_BATCH_STATUSES,
  },
  {
    table: 'awarded_credentials',
    column: 'area',
    constraint: 'awarded_credentials_area_known',
    union: Object.keys(domain.TOPICS),
  },
  {
    table: 'training_record_versions',
    column: 'kind',
    constraint: 'training_record_versions_kind_known',
    union: domain.TRAINING_RECORD_CHANGE_KINDS,
  },
];

/** `*_known` constraints whose values no union in rules/domain.ts names (yet). */
const NOT_UNION_BACKED = ['staff_invitations_status_known'];

/**
 * The values a constraint allows in a column, read from PostgreSQL's own rendering of it:
 * `col IN ('a', 'b')` comes back as `(col = ANY (ARRAY['a'::text, 'b'::text]))`, and a list of
 * one as `(col = 'a'::text)`.
 */
function allowedValues(definition: string, column: string): string[] | undefined {
  const literals = (text: string) =>
    [...text.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => m[1]!.replaceAll("''", "'"));
  const list = new RegExp(`\\(${column} = ANY \\(ARRAY\\[([^\\]]*)\\]\\)\\)`).exec(definition);
  if (list) return literals(list[1]!);
  const single = new RegExp(`\\(${column} = ('(?:[^']|'')*'::text)\\)`).exec(definition);
  return single ? literals(single[1]!) : undefined;
}

let database: TestDatabase;
let definitions: Map<string, { table: string; definition: string }>;

beforeAll(async () => {
  database = await createTestDatabase();
  const { rows } = await database.db.raw<{ rows: { table: string; name: string; definition: string }[] }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint
      WHERE contype = 'c' AND connamespace = 'public'::regnamespace`,
  );
  definitions = new Map(rows.map((row) => [row.name, { table: row.table, definition: row.definition }]));
});

afterAll(async () => {
  await database?.drop();
});

describe('the migrated CHECK constraints', () => {
  it.each(UNION_COLUMNS)('allow exactly the live values of $table.$column', ({ table, column, constraint, union }) => {
    const found = definitions.get(constraint);
    expect(found, `constraint ${constraint}`).toBeDefined();
    expect(found!.table).toBe(table);
    const allowed = allowedValues(found!.definition, column);
    expect(allowed, `values of ${column} in ${found!.definition}`).toBeDefined();
    expect([...allowed!].sort()).toEqual([...union].sort());
  });

  it('name every constraint that lists known values here', () => {
    const listed = new Set([...UNION_COLUMNS.map((c) => c.constraint), ...NOT_UNION_BACKED]);
    const known = [...definitions.keys()].filter((name) => name.endsWith('_known'));
    expect(known.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('check roles and program types against their registry tables, seeded with the values the unions had', async () => {
    // Issue 18: the role constraints became foreign keys to registry data an admin adds to.
    expect(definitions.has('employments_role_known')).toBe(false);
    expect(definitions.has('staff_invitations_role_known')).toBe(false);
    const { rows } = await database.db.raw<{ rows: { name: string; definition: string }[] }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE contype = 'f' AND conname IN ('employments_role_registered', 'staff_invitations_role_registered',
                                            'organizations_program_type_registered')`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.definition]))).toEqual({
      employments_role_registered: 'FOREIGN KEY (role) REFERENCES professional_roles(code)',
      staff_invitations_role_registered: 'FOREIGN KEY (role) REFERENCES professional_roles(code)',
      organizations_program_type_registered: 'FOREIGN KEY (program_type) REFERENCES program_types(code)',
    });
    const roles: string[] = await database.db('professional_roles').orderBy('code').pluck('code');
    expect(roles).toEqual([...domain.EMPLOYMENT_ROLES].sort());
    const types: string[] = await database.db('program_types').orderBy('code').pluck('code');
    expect(types).toEqual([...domain.SEEDED_PROGRAM_TYPES].sort());
  });

  it('reads the values of a constraint that drifted from its union', () => {
    // The parser itself: a list PostgreSQL renders must come back as its values, so a drift fails.
    const drifted = "CHECK ((status = ANY (ARRAY['pending'::text, 'queued'::text, 'sent'::text, 'failed'::text])))";
    expect(allowedValues(drifted, 'status')?.sort()).not.toEqual([...domain.OUTBOX_STATUSES].sort());
    expect(allowedValues("CHECK ((kind = 'cpr_first_aid_card'::text))", 'kind')).toEqual(['cpr_first_aid_card']);
  });
});
