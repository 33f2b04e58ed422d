/** The answers of the microCredentials routes (api/routes/microCredentials.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** GET /api/micro-credentials */
export const getMicroCredentials = z.object({
  version: z.string(),
  title: z.string(),
  introduction: z.string(),
  credentials: z.array(
    z.object({
      areaLabel: z.string(),
      id: z.string(),
      title: z.string(),
      area: shapes.topic,
      competency: z.string(),
      evidence: z.object({
        documents: z.object({
          min: z.number(),
          max: z.number(),
          description: z.string(),
        }),
        reflection: z.object({
          prompt: z.string(),
          minCharacters: z.number(),
          maxCharacters: z.number(),
        }),
      }),
      validForYears: z.number().nullable(),
    }),
  ),
});

/** GET /api/professionals/:id/credentials */
export const getProfessionalsByIdCredentials = z.object({ credentials: z.array(shapes.awardedCredential) });

/** GET /api/credentials/verify/:code */
export const getCredentialsVerifyByCode = z.object({ verification: shapes.credentialVerification });

/** POST /api/credentials/:id/revoke */
export const postCredentialsByIdRevoke = z.object({ credential: shapes.awardedCredential });
