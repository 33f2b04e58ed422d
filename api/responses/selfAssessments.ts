/** The answers of the selfAssessments routes (api/routes/selfAssessments.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** GET /api/self-assessment/instrument */
export const getSelfAssessmentInstrument = z.object({ instrument: shapes.instrumentText });

/** POST /api/professionals/:id/self-assessments */
export const postProfessionalsByIdSelfAssessments = z.object({ selfAssessment: shapes.assessmentTaken });

/** GET /api/professionals/:id/self-assessments */
export const getProfessionalsByIdSelfAssessments = z.object({ selfAssessments: z.array(shapes.assessmentTaken) });

/** GET /api/professionals/:id/recommendations */
export const getProfessionalsByIdRecommendations = shapes.recommendationAnswer;
