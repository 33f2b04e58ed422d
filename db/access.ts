/** The scope facts access decisions read: approved claims, inspector assignments, settings. */
import type { Db } from './connection.js';

export async function approvedOrganizationsOf(db: Db, directorUserId: number): Promise<number[]> {
  const rows: Array<{ organization_id: number }> = await db('organization_claims')
    .where({ director_user_id: directorUserId, status: 'approved' })
    .select('organization_id');
  return rows.map((r) => r.organization_id);
}

export async function assignedFacilitiesOf(db: Db, inspectorUserId: number): Promise<number[]> {
  const rows: Array<{ organization_id: number }> = await db('inspector_assignments').where({ user_id: inspectorUserId }).select('organization_id');
  return rows.map((r) => r.organization_id);
}

export async function setting<T>(db: Db, key: string, fallback: T): Promise<T> {
  const row = await db('settings').where({ key }).first<{ value: T } | undefined>('value');
  return row ? row.value : fallback;
}

/** Whether a professional has ever been employed at one of the organizations. */
export async function employedAtAny(db: Db, professionalId: number, organizationIds: number[]): Promise<boolean> {
  if (organizationIds.length === 0) return false;
  const row = await db('employments').where({ professional_id: professionalId }).whereIn('organization_id', organizationIds).first('id');
  return row !== undefined;
}
