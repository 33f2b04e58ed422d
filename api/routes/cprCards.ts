/**
 * CPR/First Aid cards beyond adding one (api/routes/profile.ts): the national models the rule set
 * accepts, and the reviewers' queue of cards to verify from their scans. Also the exception
 * categories an individual training request may name, as the rule set lists them.
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { ruleSetInEffect } from '../../db/ruleSets.js';
import { cardVerificationQueue, verifyCard } from '../../services/profile.js';
import { localDateOf } from '../../rules/dates.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import * as responses from '../responses/cprCards.js';

const verification = z
  .object({
    decision: z.enum(['verified', 'rejected'], {
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be verified or rejected'),
    }),
    /** Why it is rejected, for the holder to read (required then). */
    note: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  })
  .strict();

export function cprCardRoutes({ db, publicUrl }: { db: Db; publicUrl?: string }): RouteDefinition[] {
  const currentRules = () => ruleSetInEffect(db, COMPLIANCE_RULE_SET, localDateOf(new Date()));
  return [
    route({
      method: 'get',
      path: '/api/cpr-cards/accepted-issuers',
      summary:
        'The CPR/First Aid national models a card may come from, and how early a card shows as expiring (the rule set in effect today)',
      tags: ['registry'],
      policy: policies.signedIn('Any signed-in person'),
      response: responses.getCprCardsAcceptedIssuers,
      handle: async () => {
        const rules = await currentRules();
        const renewal = rules.document.rules.find((r) => r.event.type === 'credential-renewal');
        return {
          issuers: rules.acceptedIssuers('cpr_first_aid_card'),
          expiringWithinDays:
            renewal?.event.type === 'credential-renewal' ? renewal.event.params.remindDaysBefore : null,
          ruleSetVersion: rules.version,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/cpr-cards/queue',
      summary: 'CPR/First Aid cards no reviewer has verified yet, oldest first, each with its scan',
      tags: ['registry', 'cases'],
      policy: policies.roles(['reviewer', 'admin'], 'Reviewers and admins'),
      response: responses.getCprCardsQueue,
      handle: async () => ({ cards: await cardVerificationQueue(db) }),
    }),
    route({
      method: 'post',
      path: '/api/cpr-cards/:id/verification',
      summary:
        'Verify a CPR/First Aid card from its scan (it then counts on staff reports), or reject it with a note for its holder',
      tags: ['registry', 'cases'],
      policy: policies.roles(['reviewer', 'admin'], 'Reviewers and admins, not for their own card'),
      params: idParams,
      body: verification,
      response: responses.postCprCardsByIdVerification,
      handle: async ({ params, body, principal, requestId }) => ({
        credential: await verifyCard(db, params.id, body, {
          actorUserId: principal.userId,
          actorProfessionalId: principal.professionalId,
          requestId,
          publicUrl,
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/api/training-requests/categories',
      summary:
        "The exceptions that may be submitted as an individual training request (the rule set in effect today), labelled in the person's language",
      tags: ['cases'],
      policy: policies.signedIn('Any signed-in person'),
      response: responses.getTrainingRequestsCategories,
      handle: async ({ principal }) => {
        const rules = await currentRules();
        return {
          categories: rules.requestCategories().map((c) => ({
            category: c.category,
            label: principal.language === 'es' ? c.labelEs : c.label,
          })),
          ruleSetVersion: rules.version,
        };
      },
    }),
  ];
}
