/** Organizations of the registry: their public facts, adding and changing them. */
import type { Db } from './connection.js';
import type { OrganizationRow } from './rows.js';
import type { ProgramSettingTableRow, RegistryEntryTableRow } from './types/tableRows.js';

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
  'program_type',
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

/** Registry data an admin adds to: program types and professional roles. */
export type RegistryTable = 'program_types' | 'professional_roles';

export type RegistryEntryRow = Pick<RegistryEntryTableRow, 'code' | 'label_en' | 'label_es' | 'active'>;

const REGISTRY_COLUMNS = ['code', 'label_en', 'label_es', 'active'];

/** Every entry of a registry table, by code. */
export function listRegistry(db: Db, table: RegistryTable): Promise<RegistryEntryRow[]> {
  return db(table).select('code', 'label_en', 'label_es', 'active').orderBy('code');
}

/** The registry's program types with their English labels, by code: what reports and forecasts head columns with. */
export async function programTypeLabels(db: Db): Promise<Array<{ key: string; label: string }>> {
  const rows: Array<{ code: string; label_en: string }> = await db('program_types')
    .orderBy('code')
    .select('code', 'label_en');
  return rows.map((r) => ({ key: r.code, label: r.label_en }));
}

export async function findRegistryEntry(db: Db, table: RegistryTable, code: string): Promise<RegistryEntryRow | null> {
  return ((await db(table).where({ code }).first(REGISTRY_COLUMNS)) as RegistryEntryRow | undefined) ?? null;
}

export async function insertRegistryEntry(
  db: Db,
  table: RegistryTable,
  row: RegistryEntryRow,
): Promise<RegistryEntryRow> {
  const [entry] = await db(table).insert(row).returning(REGISTRY_COLUMNS);
  return entry as RegistryEntryRow;
}

export async function updateRegistryEntry(
  db: Db,
  table: RegistryTable,
  code: string,
  changes: Partial<Omit<RegistryEntryRow, 'code'>>,
): Promise<RegistryEntryRow | null> {
  const [entry] = await db(table)
    .where({ code })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning(REGISTRY_COLUMNS);
  return (entry as RegistryEntryRow | undefined) ?? null;
}

/** One row of a program's settings history: the settings in effect from a date. */
export type ProgramSettingsRow = ProgramSettingTableRow;

export type ProgramSettingsValues = Pick<
  ProgramSettingsRow,
  'effective_from' | 'licensed' | 'license_exempt' | 'subsidized' | 'serves_infants' | 'contract_year_start_month'
>;

/** The settings histories of some organizations, oldest first, by organization. */
export async function settingsHistories(db: Db, organizationIds: number[]): Promise<Map<number, ProgramSettingsRow[]>> {
  const histories = new Map<number, ProgramSettingsRow[]>();
  if (organizationIds.length === 0) return histories;
  const rows: ProgramSettingsRow[] = await db('program_settings')
    .whereIn('organization_id', [...new Set(organizationIds)])
    .orderBy([{ column: 'organization_id' }, { column: 'effective_from' }]);
  for (const row of rows) {
    const id = Number(row.organization_id);
    (histories.get(id) ?? histories.set(id, []).get(id)!).push(row);
  }
  return histories;
}

/** Records the settings in effect from a date (replacing a row of the same date). */
export async function saveProgramSettings(
  db: Db,
  organizationId: number,
  values: ProgramSettingsValues,
  recordedByUserId: number | null,
): Promise<ProgramSettingsRow> {
  const [row] = await db('program_settings')
    .insert({
      organization_id: organizationId,
      ...values,
      recorded_by_user_id: recordedByUserId,
      recorded_at: db.fn.now(),
    })
    .onConflict(['organization_id', 'effective_from'])
    .merge()
    .returning('*');
  return row as ProgramSettingsRow;
}

/** One organization, with all its columns (null when there is none). */
export async function organizationById(db: Db, id: number): Promise<OrganizationRow | null> {
  return (
    ((await db('organizations')
      .where({ id })
      .first([...ORGANIZATION_COLUMNS, 'program_type'])) as OrganizationRow | undefined) ?? null
  );
}
