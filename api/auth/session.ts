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
import type { PendingSignOn } from './singleSignOn.js';

export const SESSION_COOKIE = 'mopd.sid';
const SESSION_TABLE = 'session';
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
    /** The identity provider was asked to sign this browser in: what its answer is checked against. */
    signOnPending?: PendingSignOn;
    /** This session came from the identity provider: its ID token, to end the provider's session at sign-out. */
    signOnIdToken?: string;
    /** The identity provider checked a second factor at this sign-in (its ID token said so): MOPD asks for none. */
    secondFactorAtProvider?: boolean;
  }
}

export interface SessionOptions {
  databaseUrl: string;
  secret: string;
  secure: boolean;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  onStoreError?: (message: string) => void;
  /** The clock idle expiry is judged by (milliseconds since the epoch); tests move it. Date.now by default. */
  now?: () => number;
}

/** What connect-pg-simple's store does with a query (its own helper, which its `get` uses too). */
type StoreQuery = (
  sql: string,
  params: unknown[],
  done: (error: Error | null, row?: { sess: unknown }) => void,
) => void;

/** A session's stored expiry moves at most once a minute (a thirtieth of a shorter idle limit). */
export const touchEveryMs = (idleTimeoutMs: number) => Math.min(60_000, idleTimeoutMs / 30);

export function sessionMiddleware(options: SessionOptions): RequestHandler {
  const PgStore = connectPgSimple(session);
  const touchEvery = touchEveryMs(options.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  const now = options.now ?? Date.now;
  /**
   * The session as the store should keep it: express-session dates the cookie's expiry by the real
   * time, and the store takes the row's expiry from it; on another clock that date moves with it.
   */
  const onClock = (sess: session.SessionData): session.SessionData => {
    const skew = options.now ? options.now() - Date.now() : 0;
    if (skew === 0 || !sess.cookie?.expires) return sess;
    // `data` is what the cookie stores (express-session's Cookie#toJSON).
    const stored = (sess.cookie as unknown as { data: Record<string, unknown> }).data;
    return {
      ...sess,
      cookie: { ...stored, expires: new Date(new Date(sess.cookie.expires).getTime() + skew) },
    } as session.SessionData;
  };
  /**
   * With rolling sessions, every answer to a signed-in person moved the session's expiry in
   * PostgreSQL: a write and a commit waited for by each page read, the first thing to saturate
   * under load. Here it moves at most once a minute per session and process, so an idle session may
   * end up to a minute before its thirty minutes.
   */
  class MinuteTouchStore extends PgStore {
    readonly #touchedAt = new Map<string, number>();
    override touch(sid: string, sess: session.SessionData, done?: (error?: unknown) => void): void {
      const at = now();
      const last = this.#touchedAt.get(sid);
      if (last !== undefined && at - last < touchEvery) {
        done?.();
        return;
      }
      if (this.#touchedAt.size >= 100_000) {
        for (const [id, touched] of this.#touchedAt) if (at - touched >= touchEvery) this.#touchedAt.delete(id);
      }
      this.#touchedAt.set(sid, at);
      super.touch(sid, onClock(sess), done);
    }

    override set(sid: string, sess: session.SessionData, done?: (error?: unknown) => void): void {
      super.set(sid, onClock(sess), done);
    }

    /** connect-pg-simple's `get`, with the session's expiry judged by `now` rather than Date.now. */
    override get(sid: string, done: (error: unknown, sess?: session.SessionData | null) => void): void {
      const query = (this as unknown as { query: StoreQuery }).query.bind(this);
      query(
        `SELECT sess FROM "${SESSION_TABLE}" WHERE sid = $1 AND expire >= to_timestamp($2)`,
        [sid, Math.ceil(now() / 1000)],
        (error, row) => {
          if (error) return done(error);
          if (!row) return done(null, null);
          try {
            return done(null, (typeof row.sess === 'string' ? JSON.parse(row.sess) : row.sess) as session.SessionData);
          } catch {
            return this.destroy(sid, done);
          }
        },
      );
    }
  }
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store: new MinuteTouchStore({
      conString: options.databaseUrl,
      tableName: SESSION_TABLE,
      createTableIfMissing: false,
      pruneSessionInterval: 60,
      errorLog: options.onStoreError ?? console.error,
    }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      maxAge: options.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
      path: '/',
    },
  });
}

/** Ends sessions older than the absolute limit, then loads the principal of a signed-in session. */
export function principalLoader(
  db: Db,
  absoluteTimeoutMs = ABSOLUTE_TIMEOUT_MS,
  now: () => number = Date.now,
): RequestHandler {
  return async (req, _res, next) => {
    const s = req.session;
    if (!s?.userId) return next();
    if (!s.signedInAt || now() - s.signedInAt > absoluteTimeoutMs) {
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
      // A second factor checked by the identity provider at this sign-in stands for MOPD's own.
      mfaEnrollmentRequired: requiresMfa(roles) && !user.mfa_enabled_at && !s.secondFactorAtProvider,
    };
    next();
  };
}

/**
 * Starts a fresh session id for a signed-in user (no fixation); `now` dates the sign-in for the
 * absolute limit; `carried` is what the new session keeps about how the person signed in.
 */
export function rotateInto(
  req: Express.Request & { session: session.Session & Partial<session.SessionData> },
  userId: number,
  now: () => number = Date.now,
  carried: Partial<session.SessionData> = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((error) => {
      if (error) return reject(error);
      Object.assign(req.session, carried);
      req.session.userId = userId;
      req.session.signedInAt = now();
      req.session.save((saveError) => (saveError ? reject(saveError) : resolve()));
    });
  });
}
