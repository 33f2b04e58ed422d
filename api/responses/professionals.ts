/** The answers of the professionals routes (api/routes/professionals.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** GET /api/professionals */
export const getProfessionals = z.object({ professionals: z.array(shapes.professionalListing) });

/** GET /api/professionals/:id */
export const getProfessionalsById = z.object({
  professional: shapes.professionalRow,
  employments: z.array(shapes.employmentWithOrganization),
});

/** GET /api/professionals/:id/compliance */
export const getProfessionalsByIdCompliance = z.object({
  professional: z.object({
    id: z.number(),
    mopd_id: z.string(),
    first_name: z.string(),
    last_name: z.string(),
  }),
  compliance: shapes.complianceReport,
});

/** GET /api/professionals/:id/deadlines */
export const getProfessionalsByIdDeadlines = z.object({ deadlines: z.array(shapes.deadlineRow) });

/** GET /api/professionals/:id/training-records */
export const getProfessionalsByIdTrainingRecords = z.object({ trainingRecords: z.array(shapes.trainingRecordRow) });

/** GET /api/professionals/:id/transcript */
export const getProfessionalsByIdTranscript = z
  .object({
    professional: z.object({
      id: z.number(),
      mopd_id: z.string(),
      first_name: z.string(),
      last_name: z.string(),
    }),
    trainingRecords: z.array(shapes.trainingRecordRow),
    credentials: z.array(shapes.awardedCredential),
  })
  .optional();
