/** The answers of the analytics routes (api/routes/analytics.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** GET /api/analytics/${name} */
export const getAnalyticsReport = z.union([shapes.tablesReport, shapes.demandReport]).optional();
