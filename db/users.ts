import type { Db } from './connection.js';
import type { Language, Role } from '../rules/domain.js';

export interface UserRow {
  id: number;
  email: string;
  password_hash: string;
  display_name: string;
  professional_id: number | null;
  email_verified_at: Date | null;
  mfa_secret: string | null;
  mfa_enabled_at: Date | null;
  mfa_last_step: number | null;
  /** Wrong second-factor codes in a row, and the wait they earned (issue 16). */
  mfa_failures: number;
  mfa_blocked_until: Date | null;
  failed_sign_ins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  language: Language;
  created_at: Date;
}

/** What may leave the server about a user: never hashes or secrets. */
export interface UserSummary {
  id: number;
  email: string;
  displayName: string;
  professionalId: number | null;
  emailVerified: boolean;
  mfaEnabled: boolean;
  disabled: boolean;
  roles: Role[];
}

export const summarize = (user: UserRow, roles: Role[]): UserSummary => ({
  id: user.id,
  email: user.email,
  displayName: user.display_name,
  professionalId: user.professional_id,
  emailVerified: user.email_verified_at !== null,
  mfaEnabled: user.mfa_enabled_at !== null,
  disabled: user.disabled_at !== null,
  roles,
});

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db('users').whereRaw('lower(email) = lower(?)', [email]).first();
}

export function findUser(db: Db, id: number, options: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
  const query = db('users').where({ id }).first();
  return (options.forUpdate ? query.forUpdate() : query) as Promise<UserRow | undefined>;
}

export async function rolesOf(db: Db, userId: number): Promise<Role[]> {
  const rows: Array<{ role: Role }> = await db('user_roles').where({ user_id: userId }).orderBy('role').select('role');
  return rows.map((r) => r.role);
}

export async function createUser(
  db: Db,
  input: {
    email: string;
    passwordHash: string;
    displayName: string;
    professionalId?: number | null;
    roles: Role[];
    language?: Language;
  },
): Promise<UserRow> {
  const [user] = (await db('users')
    .insert({
      email: input.email,
      password_hash: input.passwordHash,
      display_name: input.displayName,
      professional_id: input.professionalId ?? null,
      language: input.language ?? 'en',
    })
    .returning('*')) as UserRow[];
  if (input.roles.length) await db('user_roles').insert(input.roles.map((role) => ({ user_id: user!.id, role })));
  return user!;
}

export async function updateUser(db: Db, id: number, changes: Partial<Omit<UserRow, 'id'>>): Promise<UserRow> {
  const [row] = await db('users')
    .where({ id })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning('*');
  return row as UserRow;
}

/**
 * The language to write to an email address in: that of the account using the address, English
 * when no account does (a registry record without a sign-in, a typed-in address).
 */
export async function languageOfAddress(db: Db, email: string): Promise<Language> {
  return (await languagesOfAddresses(db, [email])).get(email.toLowerCase()) ?? 'en';
}

/** The language of the account behind each address, keyed by the address in lower case; addresses of no account are left out. */
export async function languagesOfAddresses(db: Db, emails: string[]): Promise<Map<string, Language>> {
  if (emails.length === 0) return new Map();
  const rows: Array<{ address: string; language: Language }> = await db('users')
    .whereRaw('lower(email) = ANY(?)', [[...new Set(emails.map((e) => e.toLowerCase()))]])
    .select(db.raw('lower(email) AS address'), 'language');
  return new Map(rows.map((r) => [r.address, r.language]));
}

export async function setRoles(db: Db, userId: number, roles: Role[]): Promise<void> {
  await db('user_roles').where({ user_id: userId }).delete();
  if (roles.length) await db('user_roles').insert(roles.map((role) => ({ user_id: userId, role })));
}

export async function listUsers(
  db: Db,
  options: { search?: string; limit: number; offset: number },
): Promise<UserSummary[]> {
  const query = db('users').orderBy('email').limit(options.limit).offset(options.offset);
  if (options.search) {
    const term = `%${options.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    void query.where((w) => w.whereILike('email', term).orWhereILike('display_name', term));
  }
  const users: UserRow[] = await query;
  const roles: Array<{ user_id: number; role: Role }> = await db('user_roles')
    .whereIn(
      'user_id',
      users.map((u) => u.id),
    )
    .orderBy('role');
  return users.map((u) =>
    summarize(
      u,
      roles.filter((r) => r.user_id === u.id).map((r) => r.role),
    ),
  );
}

/** The account of a professional (their id and language), when they have one. */
export function accountOfProfessional(
  db: Db,
  professionalId: number,
): Promise<{ id: number; language: Language } | undefined> {
  return db('users')
    .where({ professional_id: professionalId })
    .first<{ id: number; language: Language } | undefined>('id', 'language');
}

/** A user's id and display name, when the user exists. */
export function displayNameOf(db: Db, userId: number): Promise<{ id: number; display_name: string } | undefined> {
  return db('users')
    .where({ id: userId })
    .first<{ id: number; display_name: string } | undefined>('id', 'display_name');
}
