/** Organizations of the registry: their public facts, adding and changing them. */
import type { Db } from './connection.js';
import type { OrganizationRow } from './rows.js';

/** The columns the API answers for an organization (all its public facts). */
export const ORGANIZATION_COLUMNS = [
  'id',
  'name',
  'license_number',
  'licensed',
  'license_exempt',
  'subsidized',
  'serves_infants',
  'contract_year_start_month',
  'address_line',
  'city',
  'zip',
  'county',
  'region',
];

/** Every organization, by name. */
export function listOrganizations(db: Db): Promise<OrganizationRow[]> {
  return db('organizations').select(ORGANIZATION_COLUMNS).orderBy('name');
}

export async function insertOrganization(db: Db, row: Omit<OrganizationRow, 'id'>): Promise<OrganizationRow> {
  const [organization] = await db('organizations').insert(row).returning(ORGANIZATION_COLUMNS);
  return organization as OrganizationRow;
}

export async function updateOrganization(
  db: Db,
  id: number,
  changes: Partial<Omit<OrganizationRow, 'id'>>,
): Promise<OrganizationRow> {
  const [organization] = await db('organizations')
    .where({ id })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning(ORGANIZATION_COLUMNS);
  return organization as OrganizationRow;
}

/** Everyone ever employed at an organization (past and present), once each. */
export async function professionalsEverEmployedAt(db: Db, organizationId: number): Promise<number[]> {
  const staff: Array<{ professional_id: number }> = await db('employments')
    .where({ organization_id: organizationId })
    .distinct('professional_id');
  return staff.map((s) => s.professional_id);
}
