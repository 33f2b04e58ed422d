/** The answers of the trainingRecords routes (api/routes/trainingRecords.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** POST /api/training-records */
export const postTrainingRecords = z.object({ record: shapes.trainingRecordRow, compliance: shapes.complianceReport });

/** A record's credit that changed because of a correction or void (the earlier decision kept). */
const recordChange = z.object({
  id: z.number(),
  title: z.string(),
  completedOn: z.string(),
  creditedBefore: z.number(),
  creditedAfter: z.number(),
  reason: z.string(),
});

/** PATCH /api/training-records/:id and POST /api/training-records/:id/void */
export const changedTrainingRecord = z.object({
  record: shapes.trainingRecordRow,
  compliance: shapes.complianceReport,
  /** Other records whose credit was decided again. */
  redecided: z.array(recordChange),
  /** The person's compliance turned (compliant ↔ not) and they were told. */
  complianceTurned: z.boolean(),
});
export const patchTrainingRecordsById = changedTrainingRecord;
export const postTrainingRecordsByIdVoid = changedTrainingRecord;

/** GET /api/training-records/:id/versions */
export const getTrainingRecordsByIdVersions = z.object({
  versions: z.array(
    z.object({
      id: z.number(),
      kind: z.enum(['corrected', 'voided', 'redecided']),
      reason: z.string(),
      actorUserId: z.number().nullable(),
      createdAt: z.string(),
      before: z.object({
        completed_on: z.string(),
        hours: z.number(),
        title: z.string(),
        credited_hours: z.number(),
      }),
    }),
  ),
});
