/** The API process: Express serving /api, /health and the built UI. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../api/app.js';
import { createTemporalGateway } from '../api/temporal.js';
import { createDb } from '../db/connection.js';
import { createTransport } from '../activities/mail/mailer.js';
import { configOrExit, createLogger, createRequestRedis, onShutdown } from './runtime.js';

const config = configOrExit();
const logger = createLogger(config, 'api');
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
const temporal = createTemporalGateway({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE });
const transport = createTransport(config.SMTP_URL);
const uiDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../ui/dist');

const { app } = createApp({
  db,
  redis,
  temporal,
  smtpCheck: () => transport.verify(),
  logger,
  uiDist,
  databaseUrl: config.DATABASE_URL,
  sessionSecret: config.SESSION_SECRET,
  publicUrl: config.PUBLIC_URL,
  uploadDir: path.resolve(config.UPLOAD_DIR),
});
const server = app.listen(config.API_PORT, () => logger.info({ port: config.API_PORT }, 'API listening'));

onShutdown(logger, async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.allSettled([db.destroy(), redis.quit(), temporal.close()]);
  transport.close();
});
