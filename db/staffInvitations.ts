/** Invitations to join an organization's staff, pending until the invited person answers. */
import type { Db } from './connection.js';
import type { EmploymentRole } from '../rules/domain.js';

export type StaffInvitationStatus = 'pending' | 'accepted' | 'declined';

export interface StaffInvitationRow {
  id: number;
  professional_id: number;
  organization_id: number;
  role: EmploymentRole;
  hire_date: string;
  invited_by_user_id: number;
  status: StaffInvitationStatus;
  employment_id: number | null;
  created_at: Date;
  answered_at: Date | null;
}

export async function createStaffInvitation(
  db: Db,
  input: {
    professionalId: number;
    organizationId: number;
    role: EmploymentRole;
    hireDate: string;
    invitedByUserId: number;
  },
): Promise<StaffInvitationRow> {
  const [row] = await db('staff_invitations')
    .insert({
      professional_id: input.professionalId,
      organization_id: input.organizationId,
      role: input.role,
      hire_date: input.hireDate,
      invited_by_user_id: input.invitedByUserId,
    })
    .returning('*');
  return row as StaffInvitationRow;
}

/** The invitation, locked for the answer: two answers at once decide once. */
export function lockStaffInvitation(db: Db, id: number): Promise<StaffInvitationRow | undefined> {
  return db('staff_invitations').where({ id }).forUpdate().first();
}

export async function answerStaffInvitation(
  db: Db,
  id: number,
  status: 'accepted' | 'declined',
  employmentId: number | null,
): Promise<StaffInvitationRow> {
  const [row] = await db('staff_invitations')
    .where({ id, status: 'pending' })
    .update({ status, employment_id: employmentId, answered_at: db.fn.now() })
    .returning('*');
  return row as StaffInvitationRow;
}

export interface PendingInvitation {
  id: number;
  organizationId: number;
  organizationName: string;
  role: EmploymentRole;
  hireDate: string;
  createdAt: Date;
}

/** A person's invitations waiting for their answer, with the organization's name. */
export function pendingInvitationsOf(db: Db, professionalId: number): Promise<PendingInvitation[]> {
  return db('staff_invitations as i')
    .join('organizations as o', 'o.id', 'i.organization_id')
    .where({ 'i.professional_id': professionalId, 'i.status': 'pending' })
    .orderBy('i.created_at')
    .select(
      'i.id',
      'i.organization_id as organizationId',
      'o.name as organizationName',
      'i.role',
      'i.hire_date as hireDate',
      'i.created_at as createdAt',
    );
}

/** An organization's invitations, newest first, with the MOPD ID each was sent to. */
export function invitationsOfOrganization(
  db: Db,
  organizationId: number,
): Promise<Array<StaffInvitationRow & { mopd_id: string }>> {
  return db('staff_invitations as i')
    .join('professionals as p', 'p.id', 'i.professional_id')
    .where('i.organization_id', organizationId)
    .orderBy([
      { column: 'i.created_at', order: 'desc' },
      { column: 'i.id', order: 'desc' },
    ])
    .limit(200)
    .select('i.*', 'p.mopd_id');
}

/** Who an invitation was sent to, when it exists. */
export function inviteeOf(db: Db, invitationId: number): Promise<{ professional_id: number } | undefined> {
  return db('staff_invitations')
    .where({ id: invitationId })
    .first<{ professional_id: number } | undefined>('professional_id');
}
