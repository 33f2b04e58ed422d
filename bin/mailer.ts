/** The mail process: the outbox relay (PostgreSQL → BullMQ) and the mailer (BullMQ → SMTP). */
import { createDb } from '../db/connection.js';
import { startMailer } from '../services/mail/mailer.js';
import { createMailQueue } from '../services/mail/queue.js';
import { startOutboxRelay } from '../services/mail/relay.js';
import { configOrExit, createLogger, createRedis, onShutdown } from './runtime.js';

const config = configOrExit();
const logger = createLogger(config, 'mailer');
const db = createDb(config.DATABASE_URL);
const queueConnection = createRedis(config.REDIS_URL);
const workerConnection = createRedis(config.REDIS_URL);
const queue = createMailQueue(queueConnection, config.MAIL_QUEUE_PREFIX);
const relay = startOutboxRelay(db, queue, {
  intervalMs: 500,
  onError: (err) => logger.warn({ err }, 'outbox relay pass failed; will retry'),
  onRecovered: (found) =>
    logger.warn(
      found,
      'queued emails had lost their jobs (Redis restarted?), had jobs that did not send them (database restored?) or failed for good: re-queued, marked sent or made dead letters',
    ),
});
const { worker, transport } = startMailer({
  db,
  connection: workerConnection,
  prefix: config.MAIL_QUEUE_PREFIX,
  smtpUrl: config.SMTP_URL,
  from: config.MAIL_FROM,
  onError: (err) => logger.warn({ err }, 'mail worker cannot reach Redis; it reconnects by itself'),
});
queue.on('error', (err) => logger.warn({ err }, 'mail queue cannot reach Redis; it reconnects by itself'));
worker.on('completed', (job, outcome) => logger.info({ outboxId: job.data.outboxId, outcome }, 'email handled'));
worker.on('failed', (job, err) =>
  logger.warn({ outboxId: job?.data.outboxId, attempts: job?.attemptsMade, err }, 'email not sent'),
);
logger.info('relay and mailer running');

onShutdown(logger, async () => {
  await relay.stop();
  await worker.close();
  await queue.close();
  transport.close();
  await Promise.allSettled([db.destroy(), queueConnection.quit(), workerConnection.quit()]);
});
