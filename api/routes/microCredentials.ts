/**
 * Micro-credentials over HTTP: the catalog (data, rules/instruments/micro-credentials.v*.json), a
 * person's awarded credentials, the public verification of one by its code, and revocation.
 * Evidence is submitted as a case (`POST /api/cases/micro-credentials`, api/routes/cases.ts) and
 * lives on the case page, which only the holder, reviewers (the assessors) and admins read.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { awardedCredentialsOf, presentAward, verifyCredential } from '../../db/microCredentials.js';
import { revokeCredential } from '../../services/microCredentials.js';
import { DomainError } from '../../services/errors.js';
import { TOPICS } from '../../rules/domain.js';
import { localDateOf } from '../../rules/dates.js';
import { catalogIn, CURRENT_MICRO_CREDENTIALS } from '../../rules/microCredentials.js';
import { CURRENT_INSTRUMENT, instrumentIn } from '../../rules/selfAssessment.js';
import { policies, recordViewOf } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import * as responses from '../responses/microCredentials.js';

/** 18 random bytes in base64url are 24 characters; anything else cannot be a code. */
const codeParams = z
  .object({ code: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'must be a verification code') })
  .strict();

export function microCredentialRoutes({ db, publicUrl }: { db: Db; publicUrl: string }): RouteDefinition[] {
  const today = () => localDateOf(new Date());
  return [
    route({
      method: 'get',
      path: '/api/micro-credentials',
      summary:
        "The micro-credentials on offer: each with its competency area, the evidence asked for and how long an award stays valid; in the person's language (English for any text not yet translated)",
      tags: ['micro-credentials'],
      policy: policies.signedIn('Any signed-in person'),
      response: responses.getMicroCredentials,
      handle: async ({ principal }) => {
        const catalog = catalogIn(CURRENT_MICRO_CREDENTIALS, principal.language);
        // The competency areas' names in the person's language are the self-assessment's section names.
        const areaLabels = new Map(
          instrumentIn(CURRENT_INSTRUMENT, principal.language).sections.map((s) => [s.area, s.label]),
        );
        return {
          version: catalog.version,
          title: catalog.title,
          introduction: catalog.introduction,
          credentials: catalog.credentials.map((c) => ({ ...c, areaLabel: areaLabels.get(c.area) ?? TOPICS[c.area] })),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/professionals/:id/credentials',
      summary: "A professional's awarded micro-credentials with their standing and public verification links",
      tags: ['micro-credentials', 'registry'],
      policy: policies.professionalHistory(
        'The person themselves, someone whose scope includes them, or a former employer: those awarded up to the last day worked, standing as they stood then',
      ),
      params: idParams,
      response: responses.getProfessionalsByIdCredentials,
      handle: async ({ params, principal }) => {
        const until = (await recordViewOf(db, principal, params.id))?.until ?? null;
        return {
          credentials: (await awardedCredentialsOf(db, params.id))
            .filter((row) => until === null || row.awarded_on <= until)
            .map((row) => presentAward(row, publicUrl, until ?? today())),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/credentials/verify/:code',
      summary:
        'Verify an awarded micro-credential by its code: holder, credential, date awarded and whether it is valid, expired or revoked (nothing private)',
      tags: ['micro-credentials'],
      policy: policies.public('Anyone with the link; no sign-in'),
      params: codeParams,
      response: responses.getCredentialsVerifyByCode,
      handle: async ({ params, res }) => {
        const found = await verifyCredential(db, params.code, today());
        if (!found) throw new DomainError('NotFound', 'No credential has this verification code', 'code');
        // A credential's standing changes (expiry, revocation): never serve a kept copy.
        res.setHeader('cache-control', 'no-store');
        return { verification: found };
      },
    }),
    route({
      method: 'post',
      path: '/api/credentials/:id/revoke',
      summary: 'Revoke an awarded micro-credential, with the reason (its verification page then says revoked)',
      tags: ['micro-credentials'],
      policy: policies.admin('Admins'),
      params: idParams,
      body: z
        .object({
          reason: z
            .string({ error: 'must be text' })
            .trim()
            .min(1, 'must say why')
            .max(2000, 'must be at most 2000 characters'),
        })
        .strict(),
      response: responses.postCredentialsByIdRevoke,
      handle: async ({ params, body, principal, requestId }) => ({
        credential: presentAward(
          await revokeCredential(
            db,
            { id: params.id, reason: body.reason },
            { actorUserId: principal.userId, requestId },
          ),
          publicUrl,
          today(),
        ),
      }),
    }),
  ];
}
