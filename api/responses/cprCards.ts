/** The answers of the CPR/First Aid card and training request routes (api/routes/cprCards.ts), as the client reads them. */
import { z } from 'zod';
import * as shapes from './shapes.js';

/** GET /api/cpr-cards/accepted-issuers */
export const getCprCardsAcceptedIssuers = z.object({
  /** The national models the rule set in effect today accepts, in its order. */
  issuers: z.array(z.string()),
  /** How many days before expiry a card shows as expiring (the renewal rule's), or null. */
  expiringWithinDays: z.number().nullable(),
  ruleSetVersion: z.number(),
});

/** GET /api/cpr-cards/queue */
export const getCprCardsQueue = z.object({
  cards: z.array(
    shapes.credentialRow.extend({
      mopd_id: z.string(),
      first_name: z.string(),
      last_name: z.string(),
    }),
  ),
});

/** POST /api/cpr-cards/:id/verification */
export const postCprCardsByIdVerification = z.object({ credential: shapes.credentialRow });

/** GET /api/training-requests/categories */
export const getTrainingRequestsCategories = z.object({
  /** The exceptions a person may submit, labelled in their language. */
  categories: z.array(z.object({ category: z.string(), label: z.string() })),
  ruleSetVersion: z.number(),
});
