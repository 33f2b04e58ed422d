import type { RequestHandler } from 'express';
import QRCode from 'qrcode';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Db } from '../../db/connection.js';
import { DomainError } from '../../services/errors.js';
import { MAX_SECOND_FACTOR_FAILURES_PER_SIGN_IN, type Accounts } from '../auth/accounts.js';
import { rotateInto } from '../auth/session.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import {
  languageChoice,
  mfaCode,
  passwordResetConfirm,
  passwordResetRequest,
  secondFactor,
  signIn,
  signUp,
  verifyEmail,
} from '../schemas.js';
import { requiresMfa } from '../access/principal.js';
import { rolesOf } from '../../db/users.js';
import type { Role } from '../../rules/domain.js';
import * as responses from '../responses/auth.js';

export interface AuthRouteDeps {
  db: Db;
  accounts: Accounts;
  /** Issues a CSRF token bound to the current session; `fresh` replaces a still-valid one. */
  csrfToken: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1], fresh?: boolean) => string;
  signInLimiter: RequestHandler;
  /** Emails a stranger can cause, per client address (sign-up, confirmation again, reset). */
  emailLimiter: RequestHandler;
  /**
   * Runs work after the answer has left, its failure logged: what differs between an email with
   * an account and one without (a link, an outbox row) must not show in how long the answer takes.
   */
  afterAnswer: (what: string, work: () => Promise<unknown>) => void;
  /** The sessions' clock, which dates a sign-in for the absolute limit (Date.now by default). */
  now?: () => number;
  /** Whether a person with these roles may sign in with a MOPD password (single sign-on may say no); all may by default. */
  passwordAllowed?: (roles: Role[]) => boolean;
}

const SIGN_UP_ANSWER =
  'Check your email: we sent a message to this address about your MOPD account. Follow its link within 24 hours.';

export function authRoutes({
  db,
  accounts,
  csrfToken,
  signInLimiter,
  emailLimiter,
  afterAnswer,
  now,
  passwordAllowed,
}: AuthRouteDeps): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/auth/csrf',
      summary: 'A CSRF token for this session; send it as X-CSRF-Token with every change',
      tags: ['auth'],
      policy: policies.public('Anyone'),
      // Stores no session: until someone signs in, the token is bound to a cookie (see auth/csrf.ts).
      response: responses.getAuthCsrf,
      handle: async ({ req, res }) => ({ csrfToken: csrfToken(req, res, false) }),
    }),
    route({
      method: 'post',
      path: '/api/auth/sign-up',
      summary:
        'A professional signs up: the same answer for every email; the address is sent a link that creates the account (linked to their registry record, if MOPD has one) or, when it has one, a note saying so',
      tags: ['auth'],
      policy: policies.public('Anyone (rate-limited per address and per email)'),
      body: signUp,
      status: 202,
      before: [signInLimiter, emailLimiter],
      response: responses.postAuthSignUp,
      handle: async ({ body, requestId }) => {
        afterAnswer('sign-up', () => accounts.requestSignUp(body, requestId));
        return { message: SIGN_UP_ANSWER };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/sign-in',
      summary: 'Sign in with email and password; answers mfa_required when a second factor is due',
      tags: ['auth'],
      policy: policies.public(
        'Anyone (rate-limited; from the fifth wrong password for an email, that email waits from that address)',
      ),
      body: signIn,
      before: [signInLimiter],
      response: responses.postAuthSignIn,
      handle: async ({ body, req, res, requestId }) => {
        // An IPv6 client is counted by its /56, as the rate limit counts it: one host has many addresses.
        const { user, mfaRequired } = await accounts.checkPassword(
          body.email,
          body.password,
          ipKeyGenerator(req.ip ?? '', 56),
          requestId,
        );
        if (passwordAllowed && !passwordAllowed(await rolesOf(db, user.id)))
          throw new DomainError('Forbidden', 'Sign in through the identity provider: passwords are not used for you');
        if (mfaRequired) {
          await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
          req.session.pendingMfaUserId = user.id;
          req.session.pendingMfaFailures = 0;
          return { status: 'mfa_required', csrfToken: csrfToken(req, res) };
        }
        await rotateInto(req, user.id, now);
        const roles = await rolesOf(db, user.id);
        return {
          status: 'signed_in',
          user: await accounts.summary(user),
          mfaEnrollmentRequired: requiresMfa(roles),
          csrfToken: csrfToken(req, res),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/sign-in/second-factor',
      summary: 'Finish signing in with the 6-digit code of the authenticator app, or a recovery code',
      tags: ['auth'],
      policy: policies.public('Whoever just gave the right password in this session'),
      body: secondFactor,
      before: [signInLimiter],
      response: responses.postAuthSignInSecondFactor,
      handle: async ({ body, req, res, requestId }) => {
        const userId = req.session.pendingMfaUserId;
        if (!userId) throw new DomainError('Unauthenticated', 'Sign in with your password first');
        let user;
        try {
          user = await accounts.checkSecondFactor(userId, body, requestId);
        } catch (error) {
          // A few wrong codes end this sign-in: the next guesses need the password again.
          if (error instanceof DomainError && error.type === 'Unauthenticated') {
            const failures = (req.session.pendingMfaFailures ?? 0) + 1;
            if (failures >= MAX_SECOND_FACTOR_FAILURES_PER_SIGN_IN) {
              await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
              throw new DomainError('Unauthenticated', 'Too many wrong codes: sign in with your password again');
            }
            req.session.pendingMfaFailures = failures;
          }
          throw error;
        }
        // A sign-in that came from the identity provider keeps its ID token, to end that session too.
        const signOnIdToken = req.session.signOnIdToken;
        await rotateInto(req, user.id, now, signOnIdToken ? { signOnIdToken } : {});
        return {
          status: 'signed_in',
          user: await accounts.summary(user),
          mfaEnrollmentRequired: false,
          csrfToken: csrfToken(req, res),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/sign-out',
      summary: 'End this session',
      tags: ['auth'],
      policy: policies.public('Anyone; ends whatever session the cookie names'),
      response: responses.postAuthSignOut,
      handle: async ({ req, res }) => {
        await new Promise<void>((resolve) => (req.session ? req.session.destroy(() => resolve()) : resolve()));
        res.clearCookie('mopd.sid', { path: '/' });
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/api/auth/me',
      summary: 'The signed-in person, their roles, and whether they must set up two-step sign-in',
      tags: ['auth'],
      policy: policies.signedIn('Any signed-in person', { duringMfaEnrollment: true }),
      response: responses.getAuthMe,
      handle: async ({ principal }) => ({ user: principal, mfaEnrollmentRequired: principal.mfaEnrollmentRequired }),
    }),
    route({
      method: 'put',
      path: '/api/me/language',
      summary: 'Choose the language of the UI after sign-in and of every email sent to you (en or es)',
      tags: ['auth'],
      policy: policies.signedIn('Any signed-in person, for themselves', { duringMfaEnrollment: true }),
      body: languageChoice,
      response: responses.putMeLanguage,
      handle: async ({ body, principal, requestId }) => ({
        language: await accounts.setLanguage(principal.userId, body.language, requestId),
      }),
    }),
    route({
      method: 'post',
      path: '/api/auth/password-reset',
      summary:
        'Email a one-time link to choose a new password (answers the same whether or not the email has an account)',
      tags: ['auth'],
      policy: policies.public('Anyone (rate-limited per address and per email)'),
      body: passwordResetRequest,
      status: 202,
      before: [signInLimiter, emailLimiter],
      response: responses.postAuthPasswordReset,
      handle: async ({ body }) => {
        afterAnswer('password reset', () => accounts.requestPasswordReset(body.email));
        return { message: 'If an account uses this email, a link to reset its password is on its way.' };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/password-reset/confirm',
      summary: 'Choose a new password with the emailed link; ends every session of the account',
      tags: ['auth'],
      policy: policies.public('Whoever holds the emailed link'),
      body: passwordResetConfirm,
      response: responses.postAuthPasswordResetConfirm,
      handle: async ({ body, requestId }) => {
        await accounts.resetPassword(body.token, body.password, requestId);
        return undefined;
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/verify-email',
      summary: 'Confirm the email address with the emailed link',
      tags: ['auth'],
      policy: policies.public('Whoever holds the emailed link'),
      body: verifyEmail,
      response: responses.postAuthVerifyEmail,
      handle: async ({ body, requestId }) => {
        await accounts.verifyEmail(body.token, requestId);
        return undefined;
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/verify-email/resend',
      summary: 'Send the confirmation email again (a few times an hour at most)',
      tags: ['auth'],
      policy: policies.signedIn('Any signed-in person', { duringMfaEnrollment: true }),
      status: 202,
      before: [emailLimiter],
      response: responses.postAuthVerifyEmailResend,
      handle: async ({ principal }) => {
        await accounts.resendVerification(principal.userId);
        return { message: 'If your email is not confirmed yet, a new link is on its way.' };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/mfa/setup',
      summary: 'Start setting up an authenticator app: a secret and its QR code',
      tags: ['auth'],
      policy: policies.signedIn('Any signed-in person', { duringMfaEnrollment: true }),
      response: responses.postAuthMfaSetup,
      handle: async ({ principal }) => {
        const setup = await accounts.beginMfaSetup(principal.userId);
        return { ...setup, qrCodeDataUrl: await QRCode.toDataURL(setup.otpauthUri, { margin: 1, width: 220 }) };
      },
    }),
    route({
      method: 'post',
      path: '/api/auth/mfa/enable',
      summary: 'Confirm the authenticator app with a code; returns ten one-time recovery codes, shown once',
      tags: ['auth'],
      policy: policies.signedIn('Any signed-in person', { duringMfaEnrollment: true }),
      body: mfaCode,
      response: responses.postAuthMfaEnable,
      handle: async ({ body, principal, requestId }) => accounts.enableMfa(principal.userId, body.code, requestId),
    }),
  ];
}
