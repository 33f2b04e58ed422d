/** Admins' changes to accounts, scopes and settings: each written with its audit entry in one transaction. */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { assignedFacilitiesOf, insertApprovedClaim, replaceInspectorAssignments } from '../db/access.js';
import { findReviewerProfile, isReviewer, upsertReviewerProfile, type ReviewerProfileRow } from '../db/cases.js';
import { findSettingRow, upsertSetting, type SettingKey } from '../db/settings.js';
import { createUser, rolesOf, setRoles, type UserRow } from '../db/users.js';
import type { Role } from '../rules/domain.js';
import { DomainError } from './errors.js';

export interface AdminContext {
  actorUserId: number;
  requestId?: string;
}

/** Saves a setting with its before and after in the audit log; answers the value. */
export async function saveSetting<T>(db: Db, key: SettingKey, value: T, ctx: AdminContext): Promise<T> {
  await db.transaction(async (trx) => {
    const before = await findSettingRow(trx, key);
    await upsertSetting(trx, key, value);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'setting.changed',
      entity: 'setting',
      entityId: key,
      before: before?.value,
      after: value,
      requestId: ctx.requestId,
    });
  });
  return value;
}

/** Creates a staff account with these roles (the password hash is one nobody knows), with its audit entry. */
export async function createStaffUser(
  db: Db,
  input: { email: string; passwordHash: string; displayName: string; roles: Role[] },
  ctx: AdminContext,
): Promise<UserRow> {
  return db.transaction(async (trx) => {
    const created = await createUser(trx, input);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'user.created',
      entity: 'user',
      entityId: created.id,
      after: { email: created.email, roles: input.roles },
      requestId: ctx.requestId,
    });
    return created;
  });
}

/** Sets a user's roles, with the roles before and after in the audit log. */
export async function changeRoles(db: Db, userId: number, roles: Role[], ctx: AdminContext): Promise<void> {
  const before = await rolesOf(db, userId);
  await db.transaction(async (trx) => {
    await setRoles(trx, userId, roles);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'user.roles_changed',
      entity: 'user',
      entityId: userId,
      before: { roles: before },
      after: { roles },
      requestId: ctx.requestId,
    });
  });
}

/** Sets the facilities an inspector is assigned to, with the audit entry. */
export async function assignInspectorFacilities(
  db: Db,
  userId: number,
  organizationIds: number[],
  ctx: AdminContext,
): Promise<void> {
  const before = await assignedFacilitiesOf(db, userId);
  await db.transaction(async (trx) => {
    await replaceInspectorAssignments(trx, userId, organizationIds);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'user.inspector_facilities_changed',
      entity: 'user',
      entityId: userId,
      before: { organizationIds: before },
      after: { organizationIds },
      requestId: ctx.requestId,
    });
  });
}

/** Records an approved claim of a director on an organization, with the audit entry. */
export async function approveOrganizationClaim(
  db: Db,
  directorUserId: number,
  organizationId: number,
  ctx: AdminContext,
): Promise<void> {
  if (!(await rolesOf(db, directorUserId)).includes('director'))
    throw new DomainError('Conflict', 'Give this user the director role first', 'organizationId');
  await db.transaction(async (trx) => {
    const claim = await insertApprovedClaim(trx, organizationId, directorUserId);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'organization_claim.approved',
      entity: 'organization_claim',
      entityId: claim.id,
      after: claim,
      requestId: ctx.requestId,
    });
  });
}

/** Saves what a reviewer takes (lead, regions, case types, automatic assignment), with the audit entry. */
export async function saveReviewerProfile(db: Db, row: ReviewerProfileRow, ctx: AdminContext): Promise<void> {
  if (!(await isReviewer(db, row.user_id)))
    throw new DomainError('Invalid', 'Give the person the reviewer role first', 'id');
  await db.transaction(async (trx) => {
    const before = await findReviewerProfile(trx, row.user_id);
    await upsertReviewerProfile(trx, row);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'reviewer_profile.changed',
      entity: 'user',
      entityId: row.user_id,
      before,
      after: row,
      requestId: ctx.requestId,
    });
  });
}
