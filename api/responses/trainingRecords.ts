/** The answers of the trainingRecords routes (api/routes/trainingRecords.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** POST /api/training-records */
export const postTrainingRecords = z.object({ record: shapes.trainingRecordRow, compliance: shapes.complianceReport });
