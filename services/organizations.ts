/** Adding and changing organizations, with the program facts kept consistent and the staff's compliance recomputed. */
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { findOrganization } from '../db/employments.js';
import {
  findRegistryEntry,
  insertOrganization,
  insertRegistryEntry,
  listRegistry,
  professionalsEverEmployedAt,
  saveProgramSettings,
  settingsHistories,
  updateOrganization,
  updateRegistryEntry,
  type ProgramSettingsRow,
  type ProgramSettingsValues,
  type RegistryEntryRow,
  type RegistryTable,
} from '../db/organizations.js';
import type { OrganizationRow } from '../db/rows.js';
import { localDateOf, type LocalDate } from '../rules/dates.js';
import { REGISTRY_CODE_PATTERN } from '../rules/domain.js';
import { recomputeCompliance, refreshCompliance } from './compliance.js';
import { DomainError } from './errors.js';

export type OrganizationChanges = Partial<Omit<OrganizationRow, 'id'>>;

/** The facts that make the program (licensing, subsidy): only an admin changes them. */
const PROGRAM_FIELDS = [
  'name',
  'program_type',
  'license_number',
  'licensed',
  'license_exempt',
  'subsidized',
  'serves_infants',
  'contract_year_start_month',
];

/** The program facts that are effective-dated (program_settings). */
const SETTINGS_FIELDS = [
  'licensed',
  'license_exempt',
  'subsidized',
  'serves_infants',
  'contract_year_start_month',
] as const;

const settingsOf = (o: Pick<OrganizationRow, (typeof SETTINGS_FIELDS)[number]>) => ({
  licensed: o.licensed,
  license_exempt: o.license_exempt,
  subsidized: o.subsidized,
  serves_infants: o.serves_infants,
  contract_year_start_month: o.contract_year_start_month,
});

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
  context: { actorUserId: number; requestId?: string; effectiveFrom?: LocalDate },
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
    // The program's settings history begins with these, from the day given (today by default).
    await saveProgramSettings(
      trx,
      organization.id,
      { ...settingsOf(organization), effective_from: context.effectiveFrom ?? localDateOf(new Date()) },
      context.actorUserId,
    );
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
    // A change of program settings made here applies from today; earlier periods keep theirs.
    if (Object.keys(changes).some((key) => (SETTINGS_FIELDS as readonly string[]).includes(key)))
      await saveProgramSettings(
        trx,
        id,
        { ...settingsOf(organization), effective_from: localDateOf(new Date()) },
        context.actorUserId,
      );
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

/** A program's settings history, oldest first (an admin's view). */
export async function programSettingsHistory(db: Db, organizationId: number): Promise<ProgramSettingsRow[]> {
  const organization = await findOrganization(db, organizationId);
  if (!organization) throw new DomainError('NotFound', `No organization with id ${organizationId}`, 'id');
  return (await settingsHistories(db, [organizationId])).get(organizationId) ?? [];
}

/**
 * Records a program's settings from a date: periods before it keep the settings they had. When the
 * date has come, the organization's own columns (what lists and reports read) take the settings in
 * effect today; everyone ever employed there has their compliance recomputed.
 */
export async function changeProgramSettings(
  db: Db,
  organizationId: number,
  values: ProgramSettingsValues,
  context: { actorUserId: number; requestId?: string; today?: LocalDate },
): Promise<{ settings: ProgramSettingsRow; history: ProgramSettingsRow[]; organization: OrganizationRow }> {
  return db.transaction(async (trx) => {
    const before = await findOrganization(trx, organizationId);
    if (!before) throw new DomainError('NotFound', `No organization with id ${organizationId}`, 'id');
    checkProgram({ ...values, license_number: before.license_number });
    const settings = await saveProgramSettings(trx, organizationId, values, context.actorUserId);
    const history = (await settingsHistories(trx, [organizationId])).get(organizationId) ?? [];
    const today = context.today ?? localDateOf(new Date());
    const inEffect = history.filter((r) => r.effective_from <= today).at(-1) ?? history[0]!;
    const organization = await updateOrganization(trx, organizationId, settingsOf(inEffect));
    await audit(trx, {
      actorUserId: context.actorUserId,
      action: 'organization.settings_changed',
      entity: 'organization',
      entityId: organizationId,
      before: settingsOf(before),
      after: settings,
      requestId: context.requestId,
    });
    for (const professionalId of await professionalsEverEmployedAt(trx, organizationId))
      await refreshCompliance(trx, professionalId);
    return { settings, history, organization };
  });
}

const REGISTRY_NAMES: Record<RegistryTable, string> = {
  program_types: 'program type',
  professional_roles: 'professional role',
};

/** The entries of a registry (program types, professional roles). */
export function registryEntries(db: Db, table: RegistryTable): Promise<RegistryEntryRow[]> {
  return listRegistry(db, table);
}

/** Adds a program type or professional role, with its English and Spanish labels. */
export async function addRegistryEntry(
  db: Db,
  table: RegistryTable,
  entry: RegistryEntryRow,
  context: { actorUserId: number; requestId?: string },
): Promise<RegistryEntryRow> {
  if (!REGISTRY_CODE_PATTERN.test(entry.code))
    throw new DomainError('Invalid', 'lower-case letters, digits and _, starting with a letter', 'code');
  return db.transaction(async (trx) => {
    if (await findRegistryEntry(trx, table, entry.code))
      throw new DomainError(
        'Conflict',
        `There is already a ${REGISTRY_NAMES[table]} with the code ${entry.code}`,
        'code',
      );
    const added = await insertRegistryEntry(trx, table, entry);
    await audit(trx, {
      actorUserId: context.actorUserId,
      action: `${table}.created`,
      entity: table,
      entityId: entry.code,
      after: added,
      requestId: context.requestId,
    });
    return added;
  });
}

/** Changes a registry entry's labels or whether it is offered (its code stays: rules and records name it). */
export async function changeRegistryEntry(
  db: Db,
  table: RegistryTable,
  code: string,
  changes: Partial<Omit<RegistryEntryRow, 'code'>>,
  context: { actorUserId: number; requestId?: string },
): Promise<RegistryEntryRow> {
  return db.transaction(async (trx) => {
    const before = await findRegistryEntry(trx, table, code);
    if (!before) throw new DomainError('NotFound', `No ${REGISTRY_NAMES[table]} with the code ${code}`, 'code');
    const after = (await updateRegistryEntry(trx, table, code, changes))!;
    await audit(trx, {
      actorUserId: context.actorUserId,
      action: `${table}.changed`,
      entity: table,
      entityId: code,
      before,
      after,
      requestId: context.requestId,
    });
    return after;
  });
}

/**
 * Recomputes everyone's stored compliance (the directory's compliant column, analytics) as of a
 * date, e.g. the first day of a year or a contract year, when periods move on their own; and first
 * brings each organization's own columns to the program settings in effect on that date.
 */
export async function recomputeAsOf(db: Db, asOf: LocalDate): Promise<{ asOf: LocalDate; recomputed: number }> {
  await applySettingsInEffect(db, asOf);
  const recomputed = await recomputeCompliance(db, { asOf });
  return { asOf, recomputed };
}

/**
 * Brings each organization's own columns to the program settings in effect on a date (a dated
 * change whose day has come); the first step of a rollover. Returns how many organizations it read.
 */
export async function applySettingsInEffect(db: Db, asOf: LocalDate): Promise<number> {
  const organizations: Array<Pick<OrganizationRow, 'id' | (typeof SETTINGS_FIELDS)[number]>> = await db(
    'organizations',
  ).select('id', ...SETTINGS_FIELDS);
  const current = new Map(organizations.map((o) => [Number(o.id), JSON.stringify(settingsOf(o))]));
  const histories = await settingsHistories(
    db,
    organizations.map((o) => Number(o.id)),
  );
  for (const [id, history] of histories) {
    const inEffect = history.filter((r) => r.effective_from <= asOf).at(-1) ?? history[0];
    // Only a change is written (run again on the same date, it changes nothing).
    if (inEffect && JSON.stringify(settingsOf(inEffect)) !== current.get(id))
      await updateOrganization(db, id, settingsOf(inEffect));
  }
  return organizations.length;
}
