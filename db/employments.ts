import type { Db } from './connection.js';
import type { EmploymentRole } from '../rules/domain.js';
import type { EmploymentRow, OrganizationRow, ProfessionalRow } from './rows.js';

export interface NewEmployment {
  professionalId: number;
  organizationId: number;
  role: EmploymentRole;
  hireDate: string;
  endDate?: string | null;
}

export async function createEmployment(db: Db, input: NewEmployment): Promise<EmploymentRow> {
  const [row] = await db('employments')
    .insert({
      professional_id: input.professionalId,
      organization_id: input.organizationId,
      role: input.role,
      hire_date: input.hireDate,
      end_date: input.endDate ?? null,
    })
    .returning('*');
  return row as EmploymentRow;
}

export interface EmploymentWithOrganization extends EmploymentRow {
  organization: OrganizationRow;
}

type EmploymentJoinRow = EmploymentRow & { org: OrganizationRow };

const withOrganization = ({ org, ...employment }: EmploymentJoinRow): EmploymentWithOrganization => ({
  ...employment,
  organization: org,
});

function employmentsQuery(db: Db) {
  return db('employments as e')
    .join('organizations as o', 'o.id', 'e.organization_id')
    .select('e.*', db.raw('to_jsonb(o.*) AS org'));
}

export async function findEmployment(db: Db, id: number): Promise<EmploymentWithOrganization | undefined> {
  const row: EmploymentJoinRow | undefined = await employmentsQuery(db).where('e.id', id).first();
  return row ? withOrganization(row) : undefined;
}

export async function employmentsOf(db: Db, professionalId: number): Promise<EmploymentWithOrganization[]> {
  const rows: EmploymentJoinRow[] = await employmentsQuery(db)
    .where('e.professional_id', professionalId)
    .orderBy('e.hire_date');
  return rows.map(withOrganization);
}

/** The people an organization employs as director on a date, to be told about their staff. */
export function directorsOf(db: Db, organizationId: number, on: string): Promise<ProfessionalRow[]> {
  return db('employments as e')
    .join('professionals as p', 'p.id', 'e.professional_id')
    .where({ 'e.organization_id': organizationId, 'e.role': 'director' })
    .where('e.hire_date', '<=', on)
    .where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>=', on))
    .distinct('p.*');
}

export function findOrganization(db: Db, id: number): Promise<OrganizationRow | undefined> {
  return db('organizations').where({ id }).first();
}

export async function endEmployment(
  db: Db,
  id: number,
  endDate: string,
  reason: string | null = null,
): Promise<EmploymentRow> {
  const [row] = await db('employments')
    .where({ id })
    .update({ end_date: endDate, end_reason: reason, updated_at: db.fn.now() })
    .returning('*');
  return row as EmploymentRow;
}

export interface StaffMember {
  employmentId: number;
  professionalId: number;
  mopdId: string;
  name: string;
  role: EmploymentRole;
  hireDate: string;
  endDate: string | null;
}

/**
 * The people an organization employs on a date (hired by then, not ended before it), with their
 * employment ids, by name: the list a director ends an employment from.
 */
export function staffOn(db: Db, organizationId: number, on: string): Promise<StaffMember[]> {
  return db('employments as e')
    .join('professionals as p', 'p.id', 'e.professional_id')
    .where('e.organization_id', organizationId)
    .where('e.hire_date', '<=', on)
    .where((w) => w.whereNull('e.end_date').orWhere('e.end_date', '>=', on))
    .orderBy([{ column: 'p.last_name' }, { column: 'p.first_name' }, { column: 'e.hire_date' }])
    .select(
      'e.id as employmentId',
      'e.professional_id as professionalId',
      'p.mopd_id as mopdId',
      db.raw("p.first_name || ' ' || p.last_name AS name"),
      'e.role',
      'e.hire_date as hireDate',
      'e.end_date as endDate',
    );
}

/** A professional by MOPD ID (any case), for an admin recording a hire. */
export function professionalByMopdId(db: Db, mopdId: string): Promise<ProfessionalRow | undefined> {
  return db('professionals').where({ mopd_id: mopdId.trim().toUpperCase() }).first();
}
