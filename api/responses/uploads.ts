/** The answers of the uploads routes (api/routes/uploads.ts), as the client reads them. */
import { z } from 'zod';
import { UPLOAD_PURPOSES } from '../../rules/domain.js';

/** POST /api/uploads */
export const postUploads = z.object({
  upload: z.object({
    id: z.string(),
    purpose: z.enum(UPLOAD_PURPOSES),
    mediaType: z.string(),
    sizeBytes: z.number(),
    originalName: z.string(),
  }),
});
