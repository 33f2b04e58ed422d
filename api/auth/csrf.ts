/**
 * CSRF protection for every state-changing request: a token bound to the session (csrf-csrf's
 * signed double-submit cookie), sent back by the UI in the X-CSRF-Token header.
 *
 * A visitor who has not signed in has no stored session (storing one for every anonymous request
 * would let anyone fill the session table): their token is bound instead to a random visitor
 * cookie set with it. Signing in starts a stored session and a token bound to it.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';

export const CSRF_HEADER = 'x-csrf-token';

const hasStoredSession = (req: Request) => Boolean(req.session?.userId ?? req.session?.pendingMfaUserId);

export function csrfProtection(options: { secret: string; secure: boolean }) {
  const visitorCookie = options.secure ? '__Host-mopd.visitor' : 'mopd.visitor';
  const cookies = (req: Request) => (req.cookies ?? {}) as Record<string, string | undefined>;
  const { doubleCsrfProtection, generateCsrfToken } = doubleCsrf({
    getSecret: () => options.secret,
    getSessionIdentifier: (req) =>
      hasStoredSession(req) ? `session:${req.sessionID}` : `visitor:${cookies(req)[visitorCookie] ?? ''}`,
    cookieName: options.secure ? '__Host-mopd.csrf' : 'mopd.csrf',
    cookieOptions: { sameSite: 'lax', secure: options.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => req.headers[CSRF_HEADER] as string | undefined,
    errorConfig: {
      statusCode: 403,
      message: 'Missing or stale CSRF token: fetch /api/auth/csrf and send it in the X-CSRF-Token header',
      code: 'CSRF',
    },
  });
  return {
    doubleCsrfProtection,
    /** A token for this session or visitor; `fresh` replaces a still-valid one. */
    token(req: Request, res: Response, fresh = true): string {
      if (!hasStoredSession(req) && !cookies(req)[visitorCookie]) {
        const visitor = randomBytes(18).toString('base64url');
        res.cookie(visitorCookie, visitor, { sameSite: 'lax', secure: options.secure, httpOnly: true, path: '/' });
        req.cookies = { ...cookies(req), [visitorCookie]: visitor };
      }
      return generateCsrfToken(req, res, { overwrite: fresh });
    },
  };
}
