/**
 * CSRF protection for every state-changing request: a token bound to the session (csrf-csrf's
 * signed double-submit cookie), sent back by the UI in the X-CSRF-Token header.
 */
import { doubleCsrf } from 'csrf-csrf';

export const CSRF_HEADER = 'x-csrf-token';

export function csrfProtection(options: { secret: string; secure: boolean }) {
  return doubleCsrf({
    getSecret: () => options.secret,
    getSessionIdentifier: (req) => req.session?.id ?? '',
    cookieName: options.secure ? '__Host-mopd.csrf' : 'mopd.csrf',
    cookieOptions: { sameSite: 'lax', secure: options.secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req) => req.headers[CSRF_HEADER] as string | undefined,
    errorConfig: { statusCode: 403, message: 'Missing or stale CSRF token: fetch /api/auth/csrf and send it in the X-CSRF-Token header', code: 'CSRF' },
  });
}
