/** The answers of the uploads routes (api/routes/uploads.ts), as the client reads them. */
import { z } from 'zod';

/** POST /api/uploads */
export const postUploads = z.object({
  upload: z.object({
    id: z.string(),
    purpose: z.enum(['document', 'cpr_card', 'instructor_certification', 'training_proof']),
    mediaType: z.string(),
    sizeBytes: z.number(),
    originalName: z.string(),
  }),
});
