/** The answers of the admin routes (api/routes/admin.ts), as the client reads them. */
import { z } from 'zod';
import { CASE_TYPES, CLAIM_STATUSES, REGIONS } from '../../rules/domain.js';
import * as shapes from './shapes.js';

/** A director's claim on an organization, as the admin's user page lists it. */
const organizationClaim = z.object({
  id: z.number(),
  organization_id: z.number(),
  organization_name: z.string(),
  status: z.enum(CLAIM_STATUSES),
});

/** GET /api/admin/users */
export const getAdminUsers = z.object({ users: z.array(shapes.userSummary) });

/** POST /api/admin/users */
export const postAdminUsers = z.object({ user: shapes.userSummary });

/** GET /api/admin/users/:id */
export const getAdminUsersById = z.object({
  inspectorFacilities: z.array(z.number()),
  organizationClaims: z.array(organizationClaim),
  user: shapes.userSummary,
});

/** PUT /api/admin/users/:id/roles */
export const putAdminUsersByIdRoles = z.object({ user: shapes.userSummary });

/** PUT /api/admin/users/:id/inspector-facilities */
export const putAdminUsersByIdInspectorFacilities = z.object({
  inspectorFacilities: z.array(z.number()),
  organizationClaims: z.array(organizationClaim),
});

/** POST /api/admin/users/:id/organization-claims */
export const postAdminUsersByIdOrganizationClaims = z.object({
  inspectorFacilities: z.array(z.number()),
  organizationClaims: z.array(organizationClaim),
});

/** PUT /api/admin/settings/inspectors-see-all-facilities */
export const putAdminSettingsInspectorsSeeAllFacilities = z.object({ value: z.boolean() });

/** PUT /api/admin/users/:id/reviewer-profile */
export const putAdminUsersByIdReviewerProfile = z.object({
  reviewerProfile: z.object({
    isLead: z.boolean(),
    regions: z.array(z.enum(REGIONS)),
    caseTypes: z.array(z.enum(CASE_TYPES)),
    acceptsAutomaticAssignment: z.boolean(),
  }),
});

/** GET /api/admin/case-settings */
export const getAdminCaseSettings = z.record(z.string(), z.unknown().nullable());

/** PUT /api/admin/case-settings */
export const putAdminCaseSettings = z.object({ saved: z.array(z.string()) });

/** GET /api/admin/audit-log */
export const getAdminAuditLog = z.object({ entries: z.array(shapes.auditRow) });
