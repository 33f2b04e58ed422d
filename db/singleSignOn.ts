/** The provider identities of accounts and the admin's group → role mapping (issue 23). */
import type { Db } from './connection.js';
import type { Role } from '../rules/domain.js';

export interface SignOnIdentityRow {
  id: number;
  user_id: number;
  issuer: string;
  subject: string;
  created_at: Date;
  last_signed_in_at: Date;
}

export interface GroupRole {
  group: string;
  role: Role;
}

export function findSignOnIdentity(db: Db, issuer: string, subject: string): Promise<SignOnIdentityRow | undefined> {
  return db('sign_on_identities').where({ issuer, subject }).first();
}

export async function recordSignOnIdentity(
  db: Db,
  input: { userId: number; issuer: string; subject: string },
): Promise<SignOnIdentityRow> {
  const [row] = (await db('sign_on_identities')
    .insert({ user_id: input.userId, issuer: input.issuer, subject: input.subject })
    .returning('*')) as SignOnIdentityRow[];
  return row!;
}

export async function touchSignOnIdentity(db: Db, id: number): Promise<void> {
  await db('sign_on_identities').where({ id }).update({ last_signed_in_at: db.fn.now() });
}

/** Whether this account has signed in through a provider before (it then has an identity of that issuer). */
export async function identityOfUser(db: Db, userId: number, issuer: string): Promise<SignOnIdentityRow | undefined> {
  return db('sign_on_identities').where({ user_id: userId, issuer }).first();
}

export async function groupRoles(db: Db): Promise<GroupRole[]> {
  const rows: Array<{ group_name: string; role: Role }> = await db('sign_on_group_roles')
    .orderBy(['group_name', 'role'])
    .select('group_name', 'role');
  return rows.map((r) => ({ group: r.group_name, role: r.role }));
}

export async function replaceGroupRoles(db: Db, mappings: GroupRole[]): Promise<void> {
  await db('sign_on_group_roles').delete();
  if (mappings.length)
    await db('sign_on_group_roles')
      .insert(mappings.map((m) => ({ group_name: m.group, role: m.role })))
      .onConflict(['group_name', 'role'])
      .ignore();
}
