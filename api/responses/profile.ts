/** The answers of the profile routes (api/routes/profile.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** GET /api/professionals/:id/profile */
export const getProfessionalsByIdProfile = z.object({
  career: shapes.careerProgression,
  credentials: z.array(shapes.credentialRow.extend({ standing: shapes.credentialStanding })),
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
export const postProfessionalsByIdCredentials = z.object({
  credential: shapes.credentialRow,
  renewalWorkflowId: z.string(),
});
