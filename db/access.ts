/** The scope facts access decisions read: approved claims, inspector assignments, staff standing (settings: db/settings.ts). */
import type { Db } from './connection.js';
import type { OrganizationClaimTableRow } from './types/tableRows.js';

export async function approvedOrganizationsOf(db: Db, directorUserId: number): Promise<number[]> {
  const rows: Array<{ organization_id: number }> = await db('organization_claims')
    .where({ director_user_id: directorUserId, status: 'approved' })
    .select('organization_id');
  return rows.map((r) => r.organization_id);
}

export async function assignedFacilitiesOf(db: Db, inspectorUserId: number): Promise<number[]> {
  const rows: Array<{ organization_id: number }> = await db('inspector_assignments')
    .where({ user_id: inspectorUserId })
    .select('organization_id');
  return rows.map((r) => r.organization_id);
}

/**
 * Where a professional stands with the organizations: 'current' while an employment there has not
 * ended by `today` (or starts later), else the last day they worked at any of them, or null when
 * they never did. Only employments count: an invitation the person has not accepted is none.
 */
export async function staffStandingAt(
  db: Db,
  professionalId: number,
  organizationIds: number[],
  today: string,
): Promise<'current' | { lastDay: string } | null> {
  if (organizationIds.length === 0) return null;
  const row: { employed: number; current: boolean; last_day: string | null } | undefined = await db('employments')
    .where({ professional_id: professionalId })
    .whereIn('organization_id', organizationIds)
    .first(
      db.raw('count(*)::int AS employed'),
      db.raw('coalesce(bool_or(end_date IS NULL OR end_date >= ?::date), false) AS current', [today]),
      db.raw("to_char(max(end_date), 'YYYY-MM-DD') AS last_day"),
    );
  if (!row || row.employed === 0) return null;
  return row.current ? 'current' : { lastDay: row.last_day! };
}

/** Whether the professional holds a seat at the event (registered, not waitlisted or cancelled). */
export async function holdsSeatAt(db: Db, eventId: number, professionalId: number): Promise<boolean> {
  return (
    (await db('registrations')
      .where({ event_id: eventId, professional_id: professionalId, status: 'registered' })
      .first('id')) !== undefined
  );
}

/** Who a registration is for and who made it. */
export function partiesOfRegistration(
  db: Db,
  registrationId: number,
): Promise<{ professional_id: number; registered_by_user_id: number | null } | undefined> {
  return db('registrations')
    .where({ id: registrationId })
    .first<{ professional_id: number; registered_by_user_id: number | null } | undefined>(
      'professional_id',
      'registered_by_user_id',
    );
}

/** Who an online-course enrollment is for. */
export function holderOfEnrollment(db: Db, enrollmentId: number): Promise<{ professional_id: number } | undefined> {
  return db('enrollments')
    .where({ id: enrollmentId })
    .first<{ professional_id: number } | undefined>('professional_id');
}

/** A course's author (its trainer), when the course exists. */
export function authorOfCourse(db: Db, courseId: number): Promise<{ trainer_user_id: number | null } | undefined> {
  return db('courses').where({ id: courseId }).first<{ trainer_user_id: number | null } | undefined>('trainer_user_id');
}

/** An event's trainer, when the event exists. */
export function trainerOfEvent(db: Db, eventId: number): Promise<{ trainer_user_id: number | null } | undefined> {
  return db('events').where({ id: eventId }).first<{ trainer_user_id: number | null } | undefined>('trainer_user_id');
}

export interface OrganizationClaimListing {
  id: number;
  organization_id: number;
  organization_name: string;
  status: string;
}

/** A director's claims on organizations, with each organization's name. */
export function organizationClaimsOf(db: Db, directorUserId: number): Promise<OrganizationClaimListing[]> {
  return db('organization_claims as c')
    .join('organizations as o', 'o.id', 'c.organization_id')
    .where('c.director_user_id', directorUserId)
    .select('c.id', 'c.organization_id', 'o.name as organization_name', 'c.status');
}

/** Replaces the facilities an inspector is assigned to. Call it inside a transaction. */
export async function replaceInspectorAssignments(
  trx: Db,
  inspectorUserId: number,
  organizationIds: number[],
): Promise<void> {
  await trx('inspector_assignments').where({ user_id: inspectorUserId }).delete();
  if (organizationIds.length)
    await trx('inspector_assignments').insert(
      [...new Set(organizationIds)].map((organization_id) => ({ user_id: inspectorUserId, organization_id })),
    );
}

/** Records a director's claim on an organization as approved now, and answers the row. */
export async function insertApprovedClaim(
  db: Db,
  organizationId: number,
  directorUserId: number,
): Promise<OrganizationClaimTableRow> {
  const [claim] = await db('organization_claims')
    .insert({
      organization_id: organizationId,
      director_user_id: directorUserId,
      status: 'approved',
      decided_at: db.fn.now(),
    })
    .returning('*');
  // An insert answers the row it inserted.
  return claim!;
}
