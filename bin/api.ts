/** The API process: Express serving /api, /health and the built UI. */
import path from 'node:path';
import { createApp } from '../api/app.js';
import { createSecretBox, parseSecretKeys } from '../api/auth/secretBox.js';
import { createTemporalGateway } from '../services/workflowClient.js';
import { createDb } from '../db/connection.js';
import { createTransport } from '../services/mail/mailer.js';
import { startUploadCleanup } from '../services/uploadCleanup.js';
import { hmacSha256Hex, paymentProviderFor } from '../services/payments.js';
import { configOrExit, createLogger, createRequestRedis, onShutdown } from './runtime.js';
import { projectRoot } from './tools.js';
import { singleSignOnConfig } from './config.js';
import { startTracing } from './tracing.js';

const config = configOrExit();
const logger = createLogger(config, 'api');
// Before the pool, Redis and the app are made: the instrumentations patch pg, ioredis, http and Express.
const tracing = await startTracing({ service: 'mopd-api', endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
const db = createDb(config.DATABASE_URL);
const redis = createRequestRedis(config.REDIS_URL);
// Redis holds only the sign-in rate limits: while it is away the API answers without them.
let redisDown = false;
redis.on('error', (err) => {
  if (!redisDown) logger.warn({ err }, 'Redis is not answering; sign-in rate limits are off until it is back');
  redisDown = true;
});
redis.on('ready', () => {
  if (redisDown) logger.info('Redis is back; sign-in rate limits apply again');
  redisDown = false;
});
const temporal = createTemporalGateway({
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
});
const transport = createTransport(config.SMTP_URL);
// Webhooks are checked with PAYMENT_WEBHOOK_SECRET; outside production the offline provider may sign
// with a key derived from the session secret instead (config refuses production without one).
const payments = paymentProviderFor(
  config.PAYMENT_PROVIDER,
  config.PAYMENT_WEBHOOK_SECRET ?? hmacSha256Hex(config.SESSION_SECRET, 'mopd-offline-payments'),
);
if (config.PAYMENT_PROVIDER === 'offline' && config.NODE_ENV === 'production')
  logger.warn('The offline payment provider is on in production: anyone can mark a course fee paid');
const uiDist = path.join(projectRoot, 'ui/dist');

const { app } = createApp({
  db,
  redis,
  temporal,
  smtpCheck: () => transport.verify(),
  logger,
  uiDist,
  databaseUrl: config.DATABASE_URL,
  sessionSecret: config.SESSION_SECRET,
  secrets: createSecretBox(parseSecretKeys(config.SECRETS_KEYS)),
  healthToken: config.HEALTH_TOKEN,
  metricsToken: config.METRICS_TOKEN,
  publicUrl: config.PUBLIC_URL,
  uploadDir: path.resolve(config.UPLOAD_DIR),
  uploadQuota: { files: config.UPLOAD_QUOTA_FILES, bytes: Math.round(config.UPLOAD_QUOTA_MB * 1024 * 1024) },
  trustProxy: config.TRUST_PROXY,
  mediaOrigins: config.MEDIA_ORIGINS,
  emailLimit: {
    windowMs: 60 * 60 * 1000,
    perAddress: config.EMAIL_LIMIT_PER_ADDRESS,
    perRecipient: config.EMAIL_LIMIT_PER_RECIPIENT,
  },
  payments,
  singleSignOn: singleSignOnConfig(config),
});
const server = app.listen(config.API_PORT, () => logger.info({ port: config.API_PORT }, 'API listening'));
// Hourly, in every API process (they hold the files): uploads nobody attached go after UPLOAD_UNATTACHED_HOURS.
const uploadCleanup = startUploadCleanup(db, path.resolve(config.UPLOAD_DIR), {
  olderThanMs: config.UPLOAD_UNATTACHED_HOURS * 3600_000,
  intervalMs: 3600_000,
  onDone: (result) => {
    if (result.removed || result.strayFiles) logger.info(result, 'removed uploads nobody attached');
  },
  onError: (err) => logger.warn({ err }, 'upload clean-up pass failed; will retry'),
});

onShutdown(logger, async () => {
  // Drain: the listening socket closes at once (a new connection is refused: the proxy sends it to
  // another replica), requests in flight finish, and each keep-alive connection is closed as soon as
  // it is idle. Whatever is still open after API_SHUTDOWN_GRACE_SECONDS is cut.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const closeIdle = setInterval(() => server.closeIdleConnections(), 200);
  const cut = setTimeout(() => {
    logger.warn({ graceSeconds: config.API_SHUTDOWN_GRACE_SECONDS }, 'requests still in flight; cutting them');
    server.closeAllConnections();
  }, config.API_SHUTDOWN_GRACE_SECONDS * 1000);
  await closed;
  clearInterval(closeIdle);
  clearTimeout(cut);
  logger.info('no request in flight; closing connections to PostgreSQL, Redis and Temporal');
  await uploadCleanup.stop();
  await Promise.allSettled([db.destroy(), redis.quit(), temporal.close()]);
  transport.close();
  await tracing?.shutdown();
});
