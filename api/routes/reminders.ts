/**
 * Optional deadline reminders: a person turns them on or off on their profile, and an email's
 * one-click unsubscribe link (RFC 8058) turns them off without signing in. The unsubscribe route
 * is called by mail clients, which send no CSRF token: api/app.ts lets it through (the random
 * token in the path is what authorizes it, and all it can do is turn reminders off).
 */
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { remindersWanted, setRemindersWanted, unsubscribeByToken } from '../../services/reminders.js';
import { DomainError } from '../../services/errors.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { idParams } from '../schemas.js';
import * as responses from '../responses/reminders.js';

export const UNSUBSCRIBE_PATH = /^\/api\/unsubscribe\/[^/]+\/?$/;

const reminderChoice = z.object({ remindersWanted: z.boolean({ error: 'must be true or false' }) }).strict();
const tokenParams = z.object({ token: z.string().min(1, 'must be the token from the email link').max(100) }).strict();

export function reminderRoutes({ db }: { db: Db }): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/professionals/:id/reminders',
      summary: 'Whether the person gets the optional reminders about annual hours',
      tags: ['registry'],
      policy: policies.ownProfile('The person themselves, or an admin'),
      params: idParams,
      response: responses.getProfessionalsByIdReminders,
      handle: async ({ params }) => ({ remindersWanted: await remindersWanted(db, params.id) }),
    }),
    route({
      method: 'put',
      path: '/api/professionals/:id/reminders',
      summary: 'Turn the optional reminders about annual hours on or off (required notices always go)',
      tags: ['registry'],
      policy: policies.ownProfile('The person themselves, or an admin'),
      params: idParams,
      body: reminderChoice,
      response: responses.putProfessionalsByIdReminders,
      handle: async ({ params, body }) => {
        await setRemindersWanted(db, params.id, body.remindersWanted);
        return { remindersWanted: body.remindersWanted };
      },
    }),
    route({
      method: 'post',
      path: '/api/unsubscribe/:token',
      summary:
        "One-click unsubscribe from optional reminders (RFC 8058): the token is the email link's; no sign-in needed",
      tags: ['registry'],
      policy: policies.public('Anyone holding the link from a reminder email'),
      params: tokenParams,
      response: responses.postUnsubscribeByToken,
      handle: async ({ params }) => {
        if (!(await unsubscribeByToken(db, params.token)))
          throw new DomainError(
            'NotFound',
            'This unsubscribe link is not valid (copy the whole link from the email)',
            'token',
          );
        return { unsubscribed: true as const };
      },
    }),
  ];
}
