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
