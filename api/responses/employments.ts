/** The answers of the employments routes (api/routes/employments.ts), as the client reads them. */
import { z } from 'zod';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** An organization's invitation to a professional to join its staff. */
export const staffInvitation = z.object({
  id: z.number(),
  mopdId: z.string(),
  organizationId: z.number(),
  role: z.string(),
  hireDate: z.string(),
  status: shapes.staffInvitationStatus,
  createdAt: isoDateTime,
  answeredAt: isoDateTime.nullable(),
});

/** What a hire obliges the person to do: a deadline with its date, or training before working alone. */
export const hireObligation = z.object({
  requirement: z.string(),
  label: z.string(),
  dueOn: z.string().nullable(),
  kind: z.enum(['deadline', 'before-sole-supervision']),
});

/** POST /api/employments */
export const postEmployments = z.object({
  employment: shapes.employmentRow,
  deadlinesWorkflowId: z.string(),
  compliant: z.boolean(),
  deadlines: z.array(hireObligation),
});

/** POST /api/organizations/:id/hires */
export const postOrganizationsByIdHires = z.object({
  professional: z.object({ id: z.number(), mopdId: z.string(), name: z.string() }),
  employment: shapes.employmentRow,
  deadlinesWorkflowId: z.string(),
  deadlines: z.array(hireObligation),
});

/** POST /api/organizations/:id/staff */
export const postOrganizationsByIdStaff = z.object({
  professional: z.object({ id: z.number(), mopdId: z.string() }),
  employment: shapes.employmentRow,
  deadlinesWorkflowId: z.string(),
  deadlines: z.array(hireObligation),
});

/** POST /api/organizations/:id/staff-invitations */
export const postOrganizationsByIdStaffInvitations = z.object({
  invitation: staffInvitation,
  /** What the hire will bring once the person accepts. */
  deadlines: z.array(hireObligation),
});

/** GET /api/organizations/:id/employments */
export const getOrganizationsByIdEmployments = z.object({
  asOf: z.string(),
  staff: z.array(
    z.object({
      employmentId: z.number(),
      professionalId: z.number(),
      mopdId: z.string(),
      name: z.string(),
      role: z.string(),
      hireDate: z.string(),
      endDate: z.string().nullable(),
    }),
  ),
});

/** POST /api/admin/professionals */
export const postAdminProfessionals = z.object({
  professional: z.object({ id: z.number(), mopdId: z.string(), name: z.string(), email: z.string() }),
});

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
