/**
 * The account behind a sign-in through the state's OpenID Connect provider (issue 23): found by the
 * provider's identity (issuer, subject), else linked by a verified email to the account using it,
 * else created. Its roles follow the provider's groups through the admin's group → role mapping at
 * every sign-in: a role the mapping names is held exactly when one of the person's groups maps to
 * it; roles the mapping does not name stay as admins set them.
 */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { createProfessional } from '../db/professionals.js';
import { unclaimedProfessionalByEmail } from '../db/signUpRequests.js';
import {
  findSignOnIdentity,
  groupRoles,
  identityOfUser,
  recordSignOnIdentity,
  replaceGroupRoles,
  touchSignOnIdentity,
  type GroupRole,
} from '../db/singleSignOn.js';
import { createUser, findUser, findUserByEmail, rolesOf, setRoles, updateUser, type UserRow } from '../db/users.js';
import { ROLES, type Role } from '../rules/domain.js';
import type { AdminContext } from './admin.js';
import { DomainError } from './errors.js';

/** What the provider's ID token (and user info) said about the person. */
export interface ProviderIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  groups: string[];
}

export interface SignOnRules {
  /** Who may use the provider: staff only, or everyone (a person no group maps becomes a professional). */
  audience: 'staff' | 'everyone';
  /** Whether these roles may sign in through the provider at all (for `staff`: one role of the staff). */
  mayUse: (roles: readonly Role[]) => boolean;
  /** A password hash nobody knows, for an account the provider creates. */
  unusablePasswordHash: () => Promise<string>;
  requestId?: string;
}

export interface SignedOnAccount {
  user: UserRow;
  roles: Role[];
  /** What this sign-in did to the account: made it, recorded the identity on an existing one, or neither. */
  outcome: 'created' | 'linked' | 'known';
}

const sameRoles = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));
const ordered = (roles: Iterable<Role>) => ROLES.filter((r) => [...roles].includes(r));

/** The roles the mapping gives these groups, and every role the mapping decides. */
function rolesFromGroups(mappings: GroupRole[], groups: readonly string[]): { granted: Role[]; decided: Set<Role> } {
  const decided = new Set(mappings.map((m) => m.role));
  const granted = ordered(new Set(mappings.filter((m) => groups.includes(m.group)).map((m) => m.role)));
  return { granted, decided };
}

export async function signOnAccount(db: Db, identity: ProviderIdentity, rules: SignOnRules): Promise<SignedOnAccount> {
  const passwordHash = await rules.unusablePasswordHash();
  const result = await db.transaction(async (trx) => {
    const { granted, decided } = rolesFromGroups(await groupRoles(trx), identity.groups);
    const known = await findSignOnIdentity(trx, identity.issuer, identity.subject);
    let user: UserRow | undefined;
    let outcome: SignedOnAccount['outcome'] = 'known';
    if (known) {
      user = await findUser(trx, known.user_id, { forUpdate: true });
      await touchSignOnIdentity(trx, known.id);
    } else {
      if (!identity.email || !identity.emailVerified)
        return new DomainError(
          'Forbidden',
          'The identity provider did not confirm an email address for you, so MOPD cannot find or create your account',
        );
      user = await findUserByEmail(trx, identity.email);
      if (user) {
        if (await identityOfUser(trx, user.id, identity.issuer))
          return new DomainError('Conflict', 'Another identity at this provider already signs in to this account');
        outcome = 'linked';
      } else {
        const roles: Role[] = granted.length === 0 && rules.audience === 'everyone' ? ['professional'] : granted;
        if (!rules.mayUse(roles))
          return new DomainError('Forbidden', 'None of your groups at the identity provider gives a role in MOPD');
        user = await createAccount(trx, identity, roles, passwordHash);
        outcome = 'created';
      }
      await recordSignOnIdentity(trx, { userId: user.id, issuer: identity.issuer, subject: identity.subject });
      await audit(trx, {
        actorUserId: user.id,
        action: outcome === 'created' ? 'user.created_by_sign_on' : 'user.sign_on_linked',
        entity: 'user',
        entityId: user.id,
        after: { issuer: identity.issuer, subject: identity.subject, email: identity.email, groups: identity.groups },
        requestId: rules.requestId ?? null,
      });
    }
    if (!user || user.disabled_at) return new DomainError('Forbidden', 'This account is disabled');
    const before = await rolesOf(trx, user.id);
    const after = ordered(new Set([...before.filter((r) => !decided.has(r)), ...granted]));
    if (outcome !== 'created' && !sameRoles(before, after)) {
      await setRoles(trx, user.id, after);
      await audit(trx, {
        actorUserId: null,
        action: 'user.roles_changed',
        entity: 'user',
        entityId: user.id,
        before: { roles: before },
        after: { roles: after, by: 'identity provider groups', groups: identity.groups },
        requestId: rules.requestId ?? null,
      });
    }
    const roles = outcome === 'created' ? await rolesOf(trx, user.id) : after;
    return { user, roles, outcome };
  });
  if (result instanceof DomainError) throw result;
  // Checked after the transaction: a group taken away still takes its role away, sign-in or not.
  if (!rules.mayUse(result.roles))
    throw new DomainError('Forbidden', 'Your roles in MOPD do not sign in through the identity provider');
  return result;
}

async function createAccount(trx: Db, identity: ProviderIdentity, roles: Role[], passwordHash: string) {
  const email = identity.email!;
  const [first, ...rest] = (identity.name ?? email.split('@')[0] ?? email).split(/\s+/);
  const firstName = identity.givenName ?? first ?? email;
  const lastName = identity.familyName ?? (rest.join(' ') || '-');
  let professionalId: number | null = null;
  if (roles.includes('professional')) {
    const existing = await unclaimedProfessionalByEmail(trx, email);
    professionalId = (existing ?? (await createProfessional(trx, { firstName, lastName, email }))).id;
  }
  const user = await createUser(trx, {
    email,
    passwordHash,
    displayName: identity.name ?? `${firstName} ${lastName}`.trim(),
    professionalId,
    roles,
  });
  return updateUser(trx, user.id, { email_verified_at: new Date() });
}

/** The admin setting mapping the provider's groups to roles. */
export const signOnGroupRoles = (db: Db) => groupRoles(db);

/** Replaces the group → role mapping, with before and after in the audit log. */
export async function saveSignOnGroupRoles(db: Db, mappings: GroupRole[], ctx: AdminContext): Promise<GroupRole[]> {
  return db.transaction(async (trx) => {
    const before = await groupRoles(trx);
    await replaceGroupRoles(trx, mappings);
    const after = await groupRoles(trx);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'setting.changed',
      entity: 'setting',
      entityId: 'sign_on_group_roles',
      before,
      after,
      requestId: ctx.requestId,
    });
    return after;
  });
}
