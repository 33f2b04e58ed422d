/** The answers of the catalog routes (api/routes/catalog.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** GET /api/catalog */
export const getCatalog = shapes.catalogAnswer;

/** GET /api/catalog/cpr-trainers */
export const getCatalogCprTrainers = z.object({ trainers: z.array(z.unknown()) });
