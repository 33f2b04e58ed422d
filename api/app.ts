/** The Express application, built from its dependencies so tests run the real thing. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import { rateLimit } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { TemporalGateway } from '../services/workflowClient.js';
import { errorHandler } from './errors.js';
import { adminHealthRoutes, healthRouter, pingRoutes } from './routes/health.js';
import { employmentRoutes } from './routes/employments.js';
import { trainingRecordRoutes } from './routes/trainingRecords.js';
import { professionalRoutes } from './routes/professionals.js';
import { authRoutes } from './routes/auth.js';
import { adminRoutes } from './routes/admin.js';
import { importRoutes } from './routes/imports.js';
import { mailRoutes } from './routes/mail.js';
import { homeRoutes } from './routes/home.js';
import { organizationRoutes } from './routes/organizations.js';
import { analyticsRoutes } from './routes/analytics.js';
import { uploadRoutes } from './routes/uploads.js';
import type { UploadQuota } from '../db/uploads.js';
import { profileRoutes } from './routes/profile.js';
import { caseRoutes } from './routes/cases.js';
import { catalogRoutes } from './routes/catalog.js';
import { registrationRoutes } from './routes/registrations.js';
import { eventRoutes } from './routes/events.js';
import { onlineCourseRoutes } from './routes/onlineCourses.js';
import { ruleSetRoutes } from './routes/ruleSets.js';
import { ratingRoutes } from './routes/ratings.js';
import { selfAssessmentRoutes } from './routes/selfAssessments.js';
import { microCredentialRoutes } from './routes/microCredentials.js';
import { paymentRouter } from './routes/payments.js';
import type { PaymentProvider } from '../services/payments.js';
import { attendanceRoutes } from './routes/attendance.js';
import { eventMessageRoutes } from './routes/eventMessages.js';
import { courseRequestRoutes } from './routes/courseRequests.js';
import { cprCardRoutes } from './routes/cprCards.js';
import { singleSignOnRoutes } from './routes/singleSignOn.js';
import { createSingleSignOn, type SingleSignOnConfig } from './auth/singleSignOn.js';
import { requiresMfa } from './access/principal.js';
import { mountRoutes, type RouteDefinition } from './access/routes.js';
import { principalLoader, sessionMiddleware } from './auth/session.js';
import { csrfProtection } from './auth/csrf.js';
import { reminderRoutes, UNSUBSCRIBE_PATH } from './routes/reminders.js';
import { createAccounts } from './auth/accounts.js';
import { recipientBudget } from './auth/limits.js';
import type { SecretBox } from './auth/secretBox.js';
import { openApiDocument } from './openapi.js';
import { DomainError } from '../services/errors.js';
import { createMetrics } from './metrics.js';
import { accessLog } from './accessLog.js';
import { withRequestId } from '../services/logContext.js';

export interface AppDeps {
  db: Db;
  redis: Redis;
  temporal: TemporalGateway;
  smtpCheck: () => Promise<unknown>;
  logger: Logger;
  databaseUrl: string;
  sessionSecret: string;
  /** Seals secrets kept at rest (TOTP secrets), from SECRETS_KEYS. */
  secrets: SecretBox;
  /** Unlocks the detail of /health for monitoring (HEALTH_TOKEN). */
  healthToken?: string;
  /** Lets Prometheus read /metrics as a bearer token (METRICS_TOKEN); admins may read it signed in. */
  metricsToken?: string;
  publicUrl: string;
  uploadDir: string;
  /** Files and bytes one person may keep (`UPLOAD_QUOTA_FILES`, `UPLOAD_QUOTA_MB`); 50 and 50 MB unless given. */
  uploadQuota?: UploadQuota;
  /** The built single-page app to serve, if any. */
  uiDist?: string;
  /** Origins course videos and captions may play from besides MOPD itself (MEDIA_ORIGINS). */
  mediaOrigins?: string[];
  /** Sign-in attempts allowed per client address and window (tests raise it). */
  signInLimit?: { windowMs: number; max: number };
  /**
   * Emails a stranger can cause (sign-up, confirmation again, password reset), per client address
   * and per recipient in a window (`EMAIL_LIMIT_PER_ADDRESS`, `EMAIL_LIMIT_PER_RECIPIENT`, an hour).
   */
  emailLimit?: { windowMs: number; perAddress: number; perRecipient: number };
  /** Express's `trust proxy` (`TRUST_PROXY`): which proxies' X-Forwarded-For to believe; none by default. */
  trustProxy?: false | number | string[];
  sessionTimeouts?: { idleMs: number; absoluteMs: number };
  /** The clock sessions end by, idle or absolute (milliseconds since the epoch); tests move it. Date.now otherwise. */
  sessionNow?: () => number;
  /** Settles course fees (`PAYMENT_PROVIDER`); without one there are no payment routes and fees cannot be paid. */
  payments?: PaymentProvider;
  /** The online-course service's clock (integration tests move it; the real time otherwise). */
  clock?: () => Date;
  /** Check every JSON answer against its route's response schema; a mismatch is a 500 (tests turn it on). */
  validateResponses?: boolean;
  /** Sign-in through the state's OpenID Connect provider (`SSO_*`); without it, passwords only. */
  singleSignOn?: SingleSignOnConfig;
}

/**
 * rate-limit-redis keeps the promise of loading its script: one failed load (Redis away when the
 * API started, or a failed reload) would fail every later request. This store loads again after a failure.
 */
class ReloadingRedisStore extends RedisStore {
  override async increment(key: string) {
    try {
      return await super.increment(key);
    } catch (error) {
      const reload = this.loadIncrementScript();
      reload.catch(() => undefined);
      this.incrementScriptSha = reload;
      throw error;
    }
  }
}

export interface MopdApp {
  app: Express;
  routes: RouteDefinition[];
}

export function createApp(deps: AppDeps): MopdApp {
  const { db } = deps;
  const secure = deps.publicUrl.startsWith('https:');
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Only the proxies the configuration names may say who the client is: the sign-in and email
  // limits count per address, and a header anyone can send must not buy a new budget.
  app.set('trust proxy', deps.trustProxy ?? false);
  // Helmet's default policy, with course media allowed from MOPD itself and the configured origins.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { 'media-src': ["'self'", ...(deps.mediaOrigins ?? [])] } },
    }),
  );
  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    // Every log line written while the request is answered carries its id (and its trace, when traced).
    withRequestId(requestId, next);
  });
  const metrics = createMetrics({ db, token: deps.metricsToken });
  app.use(metrics.timeRequests);
  app.use(accessLog(deps.logger));

  const health = { db, redis: deps.redis, temporal: deps.temporal, smtp: deps.smtpCheck, token: deps.healthToken };
  app.use('/health', healthRouter(health));
  const payments = deps.payments;
  if (payments) app.use(paymentRouter({ db, provider: payments, logger: deps.logger }));

  const api = express.Router();
  api.use(
    sessionMiddleware({
      databaseUrl: deps.databaseUrl,
      secret: deps.sessionSecret,
      secure,
      idleTimeoutMs: deps.sessionTimeouts?.idleMs,
      now: deps.sessionNow,
      onStoreError: (message) => deps.logger.warn({ message }, 'session store'),
    }),
  );
  api.use(principalLoader(db, deps.sessionTimeouts?.absoluteMs, deps.sessionNow));
  api.use(express.json({ limit: '100kb' }));
  api.use(cookieParser());
  const csrf = csrfProtection({ secret: deps.sessionSecret, secure });
  // A mail client's one-click unsubscribe (RFC 8058) carries no CSRF token; the link's random
  // token authorizes it, and it can only turn optional reminders off.
  api.use((req, res, next) =>
    req.method === 'POST' && UNSUBSCRIBE_PATH.test(req.path) ? next() : csrf.doubleCsrfProtection(req, res, next),
  );

  const signInLimiter: RequestHandler = rateLimit({
    windowMs: deps.signInLimit?.windowMs ?? 15 * 60 * 1000,
    limit: deps.signInLimit?.max ?? 30,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new ReloadingRedisStore({
      prefix: 'mopd-sign-in:',
      sendCommand: (command: string, ...args: string[]) => deps.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    // While Redis is away sign-in works without its limit (logged) rather than not at all.
    passOnStoreError: true,
    logger: {
      warn: (err, message) => deps.logger.warn({ err }, message ?? 'sign-in rate limit'),
      error: (err, message) => deps.logger.warn({ err }, message ?? 'sign-in rate limit store failed'),
    },
    handler: (_req, _res, next) =>
      next(new DomainError('TooManyRequests', 'Too many attempts from this address; wait a few minutes and try again')),
  });

  const rateLimitStore = (prefix: string) =>
    new ReloadingRedisStore({
      prefix,
      sendCommand: (command: string, ...args: string[]) => deps.redis.call(command, ...args) as Promise<RedisReply>,
    });
  const emailLimit = deps.emailLimit ?? { windowMs: 60 * 60 * 1000, perAddress: 20, perRecipient: 3 };
  const emailLimiter: RequestHandler = rateLimit({
    windowMs: emailLimit.windowMs,
    limit: emailLimit.perAddress,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: rateLimitStore('mopd-mail-from:'),
    passOnStoreError: true,
    logger: {
      warn: (err, message) => deps.logger.warn({ err }, message ?? 'email rate limit'),
      error: (err, message) => deps.logger.warn({ err }, message ?? 'email rate limit store failed'),
    },
    handler: (_req, _res, next) =>
      next(
        new DomainError('TooManyRequests', 'Too many emails asked for from this address; wait an hour and try again'),
      ),
  });
  const recipients = recipientBudget(deps.redis, {
    max: emailLimit.perRecipient,
    windowMs: emailLimit.windowMs,
    onStoreError: (err) => deps.logger.warn({ err }, 'email recipient limit store failed; sending anyway'),
  });
  const afterAnswer = (what: string, work: () => Promise<unknown>) =>
    setImmediate(
      () => void work().catch((err: unknown) => deps.logger.error({ err }, `${what} failed after answering`)),
    );

  const accounts = createAccounts({ db, secrets: deps.secrets, publicUrl: deps.publicUrl, recipients });
  const singleSignOn = deps.singleSignOn ? createSingleSignOn(deps.singleSignOn) : undefined;
  const localPasswords = singleSignOn?.config.localPasswords ?? 'all';
  const routes: RouteDefinition[] = [
    ...authRoutes({
      db,
      accounts,
      csrfToken: csrf.token,
      signInLimiter,
      emailLimiter,
      afterAnswer,
      now: deps.sessionNow,
      passwordAllowed:
        localPasswords === 'none'
          ? () => false
          : localPasswords === 'not_staff'
            ? (roles) => !requiresMfa(roles)
            : undefined,
    }),
    ...singleSignOnRoutes({ db, singleSignOn, now: deps.sessionNow }),
    ...pingRoutes(),
    ...adminHealthRoutes(health),
    ...professionalRoutes({ db, publicUrl: deps.publicUrl }),
    ...organizationRoutes({ db }),
    ...analyticsRoutes({ db }),
    ...employmentRoutes({ db, temporal: deps.temporal, logger: deps.logger, publicUrl: deps.publicUrl }),
    ...trainingRecordRoutes({ db, temporal: deps.temporal, logger: deps.logger, publicUrl: deps.publicUrl }),
    ...profileRoutes({ db, temporal: deps.temporal, logger: deps.logger }),
    ...caseRoutes({ db, temporal: deps.temporal, publicUrl: deps.publicUrl }),
    ...catalogRoutes({ db }),
    ...eventRoutes({ db, temporal: deps.temporal }),
    ...attendanceRoutes({ db, temporal: deps.temporal, logger: deps.logger, publicUrl: deps.publicUrl }),
    ...onlineCourseRoutes({ db, payments, temporal: deps.temporal, logger: deps.logger, clock: deps.clock }),
    ...ruleSetRoutes({ db, temporal: deps.temporal }),
    ...ratingRoutes({ db }),
    ...selfAssessmentRoutes({ db }),
    ...microCredentialRoutes({ db, publicUrl: deps.publicUrl }),
    ...registrationRoutes({ db, publicUrl: deps.publicUrl, payments }),
    ...eventMessageRoutes({ db, publicUrl: deps.publicUrl }),
    ...courseRequestRoutes({ db, publicUrl: deps.publicUrl }),
    ...cprCardRoutes({ db, publicUrl: deps.publicUrl }),
    ...uploadRoutes({ db, uploadDir: deps.uploadDir, quota: deps.uploadQuota }),
    ...adminRoutes({ db, accounts }),
    ...importRoutes({ db, temporal: deps.temporal }),
    ...mailRoutes({ db }),
    ...homeRoutes({ db, health }),
    ...reminderRoutes({ db }),
  ];
  // Inside the API's stack so a signed-in admin's session counts; Prometheus brings METRICS_TOKEN.
  api.get('/metrics', metrics.serve);
  mountRoutes(api, db, routes, { validateResponses: deps.validateResponses ?? false });

  const document = openApiDocument(routes, deps.publicUrl);
  api.get('/api/openapi.json', (_req, res) => res.json(document));
  // A rendered view of the document (Swagger UI's own files, our initializer).
  const swaggerUi = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  api.get('/api/docs/swagger-initializer.js', (_req, res) =>
    res
      .type('application/javascript')
      .send(
        "window.onload = () => { window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui' }); };",
      ),
  );
  api.use('/api/docs', express.static(swaggerUi, { index: 'index.html' }));
  api.use('/api', (req) => {
    throw new DomainError('NotFound', `No API route ${req.method} ${req.path}`);
  });
  app.use(api);

  if (deps.uiDist && fs.existsSync(path.join(deps.uiDist, 'index.html'))) {
    const index = path.join(deps.uiDist, 'index.html');
    app.use(express.static(deps.uiDist, { index: false, maxAge: '1h' }));
    // Every other GET is a page of the single-page app.
    app.get('/{*page}', (_req, res) => res.sendFile(index));
  }

  app.use(errorHandler(deps.logger));
  return { app, routes };
}
