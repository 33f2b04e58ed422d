/** Adding and changing organizations, with the program facts kept consistent and the staff's compliance recomputed. */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { findOrganization } from '../db/employments.js';
import { insertOrganization, professionalsEverEmployedAt, updateOrganization } from '../db/organizations.js';
import type { OrganizationRow } from '../db/rows.js';
import { refreshCompliance } from './compliance.js';
import { DomainError } from './errors.js';

export type OrganizationChanges = Partial<Omit<OrganizationRow, 'id'>>;

/** The facts that make the program (licensing, subsidy): only an admin changes them. */
const PROGRAM_FIELDS = [
  'name',
  'license_number',
  'licensed',
  'license_exempt',
  'subsidized',
  'serves_infants',
  'contract_year_start_month',
];

/** Program facts that must agree with each other, checked on the record as it would be saved. */
function checkProgram(o: {
  licensed: boolean;
  license_exempt: boolean;
  subsidized: boolean;
  contract_year_start_month: number | null;
  license_number: string | null;
}): void {
  if (o.licensed && o.license_exempt)
    throw new DomainError('Invalid', 'a program is either licensed or license-exempt, not both', 'licenseExempt');
  if (o.licensed && !o.license_number)
    throw new DomainError('Invalid', 'is required for a licensed program', 'licenseNumber');
  if (o.subsidized && o.contract_year_start_month === null)
    throw new DomainError(
      'Invalid',
      'is required for a subsidized program (the month its contract year starts)',
      'contractYearStartMonth',
    );
}

/** Adds an organization (with its audit entry) once its program facts agree. */
export async function addOrganization(
  db: Db,
  columns: OrganizationChanges,
  context: { actorUserId: number; requestId?: string },
): Promise<OrganizationRow> {
  return db.transaction(async (trx) => {
    const row = {
      license_number: null,
      license_exempt: false,
      serves_infants: false,
      contract_year_start_month: null,
      ...columns,
    } as OrganizationRow;
    checkProgram(row);
    const organization = await insertOrganization(trx, row);
    await audit(trx, {
      actorUserId: context.actorUserId,
      action: 'organization.created',
      entity: 'organization',
      entityId: organization.id,
      after: organization,
      requestId: context.requestId,
    });
    return organization;
  });
}

/**
 * Changes an organization's facts: a director the address and contact facts, an admin also the
 * program facts, after which everyone ever employed there has their compliance recomputed.
 */
export async function changeOrganization(
  db: Db,
  id: number,
  changes: OrganizationChanges,
  context: { actorUserId: number; isAdmin: boolean; requestId?: string },
): Promise<OrganizationRow> {
  return db.transaction(async (trx) => {
    const before = await findOrganization(trx, id);
    if (!before) throw new DomainError('NotFound', `No organization with id ${id}`, 'id');
    const changedProgram = Object.keys(changes).find((key) => PROGRAM_FIELDS.includes(key));
    if (changedProgram && !context.isAdmin) {
      throw new DomainError(
        'Forbidden',
        'Only an admin changes the license and program facts; directors change the address',
        changedProgram,
      );
    }
    checkProgram({ ...before, ...changes });
    const organization = await updateOrganization(trx, id, changes);
    await audit(trx, {
      actorUserId: context.actorUserId,
      action: 'organization.changed',
      entity: 'organization',
      entityId: id,
      before,
      after: organization,
      requestId: context.requestId,
    });
    if (changedProgram) {
      for (const professionalId of await professionalsEverEmployedAt(trx, id))
        await refreshCompliance(trx, professionalId);
    }
    return organization;
  });
}
