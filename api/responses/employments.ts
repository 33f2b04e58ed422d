/** The answers of the employments routes (api/routes/employments.ts), as the client reads them. */
import { z } from 'zod';
import { EMPLOYMENT_ROLES } from '../../rules/domain.js';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** An organization's invitation to a professional to join its staff. */
export const staffInvitation = z.object({
  id: z.number(),
  mopdId: z.string(),
  organizationId: z.number(),
  role: z.enum(EMPLOYMENT_ROLES),
  hireDate: z.string(),
  status: shapes.staffInvitationStatus,
  createdAt: isoDateTime,
  answeredAt: isoDateTime.nullable(),
});

/** POST /api/employments */
export const postEmployments = z.object({
  employment: shapes.employmentRow,
  deadlinesWorkflowId: z.string(),
  compliant: z.boolean(),
});

/** POST /api/organizations/:id/staff */
export const postOrganizationsByIdStaff = z.object({
  professional: z.object({ id: z.number(), mopdId: z.string() }),
  employment: shapes.employmentRow,
  deadlinesWorkflowId: z.string(),
});

/** POST /api/organizations/:id/staff-invitations */
export const postOrganizationsByIdStaffInvitations = z.object({ invitation: staffInvitation });

/** GET /api/organizations/:id/staff-invitations */
export const getOrganizationsByIdStaffInvitations = z.object({ invitations: z.array(staffInvitation) });

/** GET /api/my/staff-invitations */
export const getMyStaffInvitations = z.object({ invitations: z.array(shapes.pendingInvitation) });

/** POST /api/staff-invitations/:id/accept */
export const postStaffInvitationsByIdAccept = z.object({
  invitation: z.object({ id: z.number(), status: shapes.staffInvitationStatus }),
  employment: shapes.employmentRow.nullable(),
  deadlinesWorkflowId: z.string(),
});

/** POST /api/staff-invitations/:id/decline */
export const postStaffInvitationsByIdDecline = z.object({
  invitation: z.object({ id: z.number(), status: shapes.staffInvitationStatus }),
});

/** POST /api/employments/:id/end */
export const postEmploymentsByIdEnd = z.object({ employment: shapes.employmentRow });
