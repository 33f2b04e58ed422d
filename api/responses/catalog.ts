/** The answers of the catalog routes (api/routes/catalog.ts), as the client reads them. */
import { z } from 'zod';
import { REGIONS } from '../../rules/domain.js';
import * as shapes from './shapes.js';

/** GET /api/catalog */
export const getCatalog = shapes.catalogAnswer;

/** GET /api/catalog/cpr-trainers */
export const getCatalogCprTrainers = z.object({
  trainers: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      /** Empty: anywhere in the state. */
      regions: z.array(z.enum(REGIONS)),
      models: z.array(z.string()),
    }),
  ),
});

/** GET /api/admin/courses */
export const getAdminCourses = z.object({
  courses: z.array(
    z.object({
      id: z.number(),
      title: z.string(),
      sponsor: z.string(),
      topic: z.string(),
      delivery: z.string(),
      clockHours: z.number(),
      feeCents: z.number().nullable(),
      approved: z.boolean(),
      approvedByCaseId: z.number().nullable(),
      ownerName: z.string().nullable(),
      ownerEmail: z.string().nullable(),
      upcomingEvents: z.number(),
    }),
  ),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
