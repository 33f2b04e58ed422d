/** The answers of the organizations routes (api/routes/organizations.ts), as the client reads them. */
import { z } from 'zod';
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
