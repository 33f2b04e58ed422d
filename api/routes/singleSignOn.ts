/**
 * Single sign-on through the state's OpenID Connect provider (issue 23): the two legs of the
 * authorization code flow (to the provider, and back), what the sign-in page needs to know, and the
 * admin setting mapping the provider's groups to roles.
 */
import { z } from 'zod';
import type { Request } from 'express';
import type { Db } from '../../db/connection.js';
import { DomainError } from '../../services/errors.js';
import { saveSignOnGroupRoles, signOnAccount, signOnGroupRoles } from '../../services/singleSignOn.js';
import { ROLES } from '../../rules/domain.js';
import { hashPassword, newOneTimeToken } from '../auth/crypto.js';
import { rotateInto } from '../auth/session.js';
import type { SingleSignOn } from '../auth/singleSignOn.js';
import { requiresMfa } from '../access/principal.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import * as responses from '../responses/singleSignOn.js';

/** Why a sign-in through the provider did not happen, as the sign-in page names it (never free text in a URL). */
export const SIGN_ON_ERRORS = ['refused', 'conflict', 'unavailable', 'failed', 'cancelled', 'not_configured'] as const;
type SignOnError = (typeof SIGN_ON_ERRORS)[number];

const errorOf = (error: unknown): SignOnError => {
  if (!(error instanceof DomainError)) return 'failed';
  if (error.type === 'Forbidden') return 'refused';
  if (error.type === 'Conflict') return 'conflict';
  if (error.type === 'Unavailable') return 'unavailable';
  return 'failed';
};

/** A page of MOPD to come back to: a path of this site only, never another site. */
const safeNext = (value: unknown) =>
  typeof value === 'string' && /^\/(?![/\\])/.test(value) && value.length <= 500 ? value : '/';

const startQuery = z.object({ next: z.string().max(500).optional() });
const callbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  iss: z.string().max(500).optional(),
  session_state: z.string().max(500).optional(),
});
const groupRolesBody = z
  .object({
    mappings: z
      .array(
        z
          .object({
            group: z.string().trim().min(1, 'name the group').max(200),
            role: z.enum(ROLES),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();

const save = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));

export interface SingleSignOnRouteDeps {
  db: Db;
  /** The provider, when configured (`SSO_ISSUER` and the rest); without it the routes say so. */
  singleSignOn?: SingleSignOn;
  /** The sessions' clock, which dates a sign-in for the absolute limit (Date.now by default). */
  now?: () => number;
}

export function singleSignOnRoutes({ db, singleSignOn, now }: SingleSignOnRouteDeps): RouteDefinition[] {
  const configured = () => {
    if (!singleSignOn) throw new DomainError('NotFound', 'Single sign-on is not configured');
    return singleSignOn;
  };
  return [
    route({
      method: 'get',
      path: '/api/auth/sso',
      summary:
        'Whether people sign in through the identity provider (its name for the button), who still may use a password, and where to end the provider’s session at sign-out',
      tags: ['auth'],
      policy: policies.public('Anyone'),
      response: responses.getAuthSso,
      handle: async ({ req }) => {
        const idToken = req.session?.signOnIdToken;
        return {
          enabled: Boolean(singleSignOn),
          label: singleSignOn?.config.label ?? null,
          localPasswords: singleSignOn?.config.localPasswords ?? 'all',
          endSessionUrl: singleSignOn && idToken && req.principal ? await singleSignOn.endSessionUrl(idToken) : null,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/auth/sso/start',
      summary: 'Send the browser to the identity provider to sign in (authorization code flow with PKCE)',
      tags: ['auth'],
      policy: policies.public('Anyone'),
      query: startQuery,
      produces: 'text/html',
      handle: async ({ query, req, res }) => {
        const provider = configured();
        const { url, pending } = await provider.start(safeNext(query.next));
        req.session.signOnPending = pending;
        await save(req);
        res.redirect(303, url);
      },
    }),
    route({
      method: 'get',
      path: '/api/auth/sso/callback',
      summary:
        'The identity provider sends the browser back here: the account is found, linked by verified email or created, its roles follow the groups, and the browser goes on to MOPD (or to the second factor)',
      tags: ['auth'],
      policy: policies.public('Whoever the identity provider sends back with the state this session was given'),
      query: callbackQuery,
      produces: 'text/html',
      handle: async ({ query, req, res, requestId }) => {
        const pending = req.session?.signOnPending;
        const back = (error: SignOnError) => res.redirect(303, `/sign-in?sso_error=${error}`);
        if (!singleSignOn) return back('not_configured');
        if (!pending) return back('failed');
        delete req.session.signOnPending;
        if (query.error) {
          await save(req);
          return back('cancelled');
        }
        try {
          const callback = new URL(singleSignOn.config.redirectUri);
          callback.search = new URL(req.originalUrl, 'http://callback.invalid').search;
          const signedOn = await singleSignOn.finish(callback, pending);
          const { user } = await signOnAccount(db, signedOn.identity, {
            audience: singleSignOn.config.audience,
            mayUse: (roles) => (singleSignOn.config.audience === 'everyone' ? roles.length > 0 : requiresMfa(roles)),
            unusablePasswordHash: () => hashPassword(newOneTimeToken().token),
            requestId,
          });
          if (!signedOn.secondFactorAtProvider && user.mfa_enabled_at) {
            // MOPD's own second factor, as after a password: the sign-in page asks for the code.
            await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
            req.session.pendingMfaUserId = user.id;
            req.session.pendingMfaFailures = 0;
            req.session.signOnIdToken = signedOn.idToken;
            await save(req);
            return res.redirect(303, `/sign-in?step=second-factor&next=${encodeURIComponent(pending.next)}`);
          }
          await rotateInto(req, user.id, now, {
            signOnIdToken: signedOn.idToken,
            secondFactorAtProvider: signedOn.secondFactorAtProvider,
          });
          return res.redirect(303, pending.next);
        } catch (error) {
          await save(req).catch(() => undefined);
          return back(errorOf(error));
        }
      },
    }),
    route({
      method: 'get',
      path: '/api/admin/sso/group-roles',
      summary: 'Which MOPD role each group at the identity provider gives',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      response: responses.getAdminSsoGroupRoles,
      handle: async () => ({
        enabled: Boolean(singleSignOn),
        label: singleSignOn?.config.label ?? null,
        groupsClaim: singleSignOn?.config.groupsClaim ?? null,
        mappings: await signOnGroupRoles(db),
      }),
    }),
    route({
      method: 'put',
      path: '/api/admin/sso/group-roles',
      summary:
        'Set which role each group gives (audited); a role named here follows the groups at each person’s next sign-in through the provider',
      tags: ['admin'],
      policy: policies.admin('Admins'),
      body: groupRolesBody,
      response: responses.putAdminSsoGroupRoles,
      handle: async ({ body, principal, requestId }) => ({
        mappings: await saveSignOnGroupRoles(db, body.mappings, { actorUserId: principal.userId, requestId }),
      }),
    }),
  ];
}
