/** The answers of the imports routes (api/routes/imports.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** POST /api/admin/imports */
export const postAdminImports = z.object({ batch: shapes.importBatch });

/** POST /api/admin/imports/:id/apply */
export const postAdminImportsByIdApply = z.object({ batch: shapes.importBatch });

/** GET /api/admin/imports/:id */
export const getAdminImportsById = z.object({ batch: shapes.importBatch });

/** GET /api/admin/imports/formats */
export const getAdminImportsFormats = z.object({
  files: z.array(
    z.object({
      kind: z.string(),
      file: z.string(),
      refersTo: z.array(z.string()),
      columns: z.array(z.object({ name: z.string(), required: z.boolean(), description: z.string() })),
    }),
  ),
});
