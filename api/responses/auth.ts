/** The answers of the auth routes (api/routes/auth.ts), as the client reads them. */
import { z } from 'zod';
import { LANGUAGES } from '../../rules/domain.js';
import { noContent } from './json.js';
import * as shapes from './shapes.js';

/** GET /api/auth/csrf */
export const getAuthCsrf = z.object({ csrfToken: z.string() });

/** POST /api/auth/sign-up */
export const postAuthSignUp = z.object({ message: z.string() });

/** POST /api/auth/sign-in */
export const postAuthSignIn = z.union([
  z.object({ status: z.string(), csrfToken: z.string() }),
  z.object({
    status: z.string(),
    user: shapes.userSummary,
    mfaEnrollmentRequired: z.boolean(),
    csrfToken: z.string(),
  }),
]);

/** POST /api/auth/sign-in/second-factor */
export const postAuthSignInSecondFactor = z.object({
  status: z.string(),
  user: shapes.userSummary,
  mfaEnrollmentRequired: z.boolean(),
  csrfToken: z.string(),
});

/** POST /api/auth/sign-out */
export const postAuthSignOut = noContent;

/** GET /api/auth/me */
export const getAuthMe = z.object({ user: shapes.principal, mfaEnrollmentRequired: z.boolean() });

/** PUT /api/me/language */
export const putMeLanguage = z.object({ language: z.enum(LANGUAGES) });

/** POST /api/auth/password-reset */
export const postAuthPasswordReset = z.object({ message: z.string() });

/** POST /api/auth/password-reset/confirm */
export const postAuthPasswordResetConfirm = noContent;

/** POST /api/auth/verify-email */
export const postAuthVerifyEmail = noContent;

/** POST /api/auth/verify-email/resend */
export const postAuthVerifyEmailResend = z.object({ message: z.string() });

/** POST /api/auth/mfa/setup */
export const postAuthMfaSetup = z.object({
  qrCodeDataUrl: z.string(),
  secret: z.string(),
  otpauthUri: z.string(),
});

/** POST /api/auth/mfa/enable */
export const postAuthMfaEnable = z.object({ recoveryCodes: z.array(z.string()) });
