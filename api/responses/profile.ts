/** The answers of the profile routes (api/routes/profile.ts), as the client reads them. */
import { z } from 'zod';
import { isoDateTime } from './json.js';
import * as shapes from './shapes.js';

/** GET /api/professionals/:id/profile */
export const getProfessionalsByIdProfile = z.object({
  career: shapes.careerProgression,
  credentials: z.array(z.object({
    standing: shapes.credentialStanding,
    id: z.number(),
    professional_id: z.number(),
    kind: z.literal('cpr_first_aid_card'),
    issuer: z.string(),
    issued_on: z.string(),
    expires_on: z.string(),
    upload_id: z.string().nullable(),
    created_at: isoDateTime,
  })),
  selfAssessments: z.array(shapes.selfAssessmentRow),
  professional: shapes.professionalRow,
  employments: z.array(shapes.employmentWithOrganization),
  education: z.array(shapes.educationRow),
});

/** PATCH /api/professionals/:id */
export const patchProfessionalsById = z.object({ professional: shapes.professionalRow });

/** POST /api/professionals/:id/education */
export const postProfessionalsByIdEducation = z.object({ education: shapes.educationRow });

/** POST /api/professionals/:id/credentials */
export const postProfessionalsByIdCredentials = z.object({ credential: shapes.credentialRow, renewalWorkflowId: z.string() });
