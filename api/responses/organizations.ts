/** The answers of the organizations routes (api/routes/organizations.ts), as the client reads them. */
import { z } from 'zod';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** GET /api/organizations */
export const getOrganizations = z.object({ organizations: z.array(shapes.organizationRow) });

/** POST /api/organizations */
export const postOrganizations = z.object({ organization: shapes.organizationRow });

/** PATCH /api/organizations/:id */
export const patchOrganizationsById = z.object({ organization: shapes.organizationRow });

/** GET /api/reports/organizations */
export const getReportsOrganizations = z.object({ organizations: z.array(shapes.organizationRow) });

/** GET /api/organizations/:id/staff-report */
export const getOrganizationsByIdStaffReport = z.object({ report: shapes.staffReport }).optional();

/** A program type or professional role. */
const registryEntry = z.object({ code: z.string(), labelEn: z.string(), labelEs: z.string(), active: z.boolean() });

/** GET /api/program-types, GET /api/professional-roles */
export const registryEntries = z.object({ entries: z.array(registryEntry) });

/** POST /api/admin/program-types, PATCH /api/admin/program-types/:code (and professional roles) */
export const registryEntryAnswer = z.object({ entry: registryEntry });

/** One row of a program's settings history. */
export const programSettingsRow = z.object({
  id: z.number(),
  organization_id: z.number(),
  effective_from: z.string(),
  licensed: z.boolean(),
  license_exempt: z.boolean(),
  subsidized: z.boolean(),
  serves_infants: z.boolean(),
  contract_year_start_month: z.number().nullable(),
  recorded_by_user_id: z.number().nullable(),
  recorded_at: isoDateTime,
});

/** GET /api/admin/organizations/:id/program-settings */
export const programSettingsHistory = z.object({ history: z.array(programSettingsRow) });

/** POST /api/admin/organizations/:id/program-settings */
export const programSettingsChanged = z.object({
  settings: programSettingsRow,
  history: z.array(programSettingsRow),
  organization: shapes.organizationRow,
});

/** POST /api/admin/compliance/recompute */
export const recomputed = z.object({ asOf: z.string(), recomputed: z.number() });
