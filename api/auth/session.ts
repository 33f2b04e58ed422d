/**
 * Sessions (OWASP ASVS 4.0.3 V3): an httpOnly, SameSite=Lax cookie holding only an id; the
 * session itself lives in PostgreSQL. Idle sessions end after 30 minutes, every session after
 * 12 hours; sign-in rotates the id and sign-out destroys the session. A session is stored only
 * once it holds someone (signed in, or a password awaiting its second factor): an anonymous
 * visitor stores none, however often they ask (their CSRF token is bound to a cookie instead).
 */
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { RequestHandler } from 'express';
import type { Db } from '../../db/connection.js';
import { findUser, rolesOf } from '../../db/users.js';
import { requiresMfa } from '../access/principal.js';

export const SESSION_COOKIE = 'mopd.sid';
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** A password was accepted and a second factor is awaited for this user. */
    pendingMfaUserId?: number;
    /** Wrong codes given in this pending sign-in. */
    pendingMfaFailures?: number;
    signedInAt?: number;
  }
}

export interface SessionOptions {
  databaseUrl: string;
  secret: string;
  secure: boolean;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  onStoreError?: (message: string) => void;
}

/** A session's stored expiry moves at most once a minute (a thirtieth of a shorter idle limit). */
export const touchEveryMs = (idleTimeoutMs: number) => Math.min(60_000, idleTimeoutMs / 30);

export function sessionMiddleware(options: SessionOptions): RequestHandler {
  const PgStore = connectPgSimple(session);
  const touchEvery = touchEveryMs(options.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  /**
   * With rolling sessions, every answer to a signed-in person moved the session's expiry in
   * PostgreSQL: a write and a commit waited for by each page read, the first thing to saturate
   * under load. Here it moves at most once a minute per session and process, so an idle session may
   * end up to a minute before its thirty minutes.
   */
  class MinuteTouchStore extends PgStore {
    readonly #touchedAt = new Map<string, number>();
    override touch(sid: string, sess: session.SessionData, done?: (error?: unknown) => void): void {
      const now = Date.now();
      const last = this.#touchedAt.get(sid);
      if (last !== undefined && now - last < touchEvery) {
        done?.();
        return;
      }
      if (this.#touchedAt.size >= 100_000) {
        for (const [id, at] of this.#touchedAt) if (now - at >= touchEvery) this.#touchedAt.delete(id);
      }
      this.#touchedAt.set(sid, now);
      super.touch(sid, sess, done);
    }
  }
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store: new MinuteTouchStore({ conString: options.databaseUrl, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 60, errorLog: options.onStoreError ?? console.error }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secure, maxAge: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS, path: '/' },
  });
}

/** Ends sessions older than the absolute limit, then loads the principal of a signed-in session. */
export function principalLoader(db: Db, absoluteTimeoutMs = ABSOLUTE_TIMEOUT_MS): RequestHandler {
  return async (req, _res, next) => {
    const s = req.session;
    if (!s?.userId) return next();
    if (!s.signedInAt || Date.now() - s.signedInAt > absoluteTimeoutMs) {
      await new Promise<void>((resolve) => s.destroy(() => resolve()));
      return next();
    }
    const user = await findUser(db, s.userId);
    if (!user || user.disabled_at) {
      await new Promise<void>((resolve) => s.destroy(() => resolve()));
      return next();
    }
    const roles = await rolesOf(db, user.id);
    req.principal = {
      userId: user.id,
      email: user.email,
      displayName: user.display_name,
      professionalId: user.professional_id,
      roles,
      language: user.language,
      mfaEnrollmentRequired: requiresMfa(roles) && !user.mfa_enabled_at,
    };
    next();
  };
}

/** Starts a fresh session id for a signed-in user (no fixation). */
export function rotateInto(req: Express.Request & { session: session.Session & Partial<session.SessionData> }, userId: number): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error);
      req.session.userId = userId;
      req.session.signedInAt = Date.now();
      req.session.save((saveError) => (saveError ? reject(saveError) : resolve()));
    });
  });
}
