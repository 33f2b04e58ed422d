/** The real mail path for tests: the outbox relay and mailer on a queue of the test's own. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { createMailQueue, DEFAULT_MAIL_RETRY, type MailRetry } from '../../services/mail/queue.js';
import { startMailer } from '../../services/mail/mailer.js';
import { relayOutboxOnce, type RelayOptions } from '../../services/mail/relay.js';
import { createRedis } from '../../bin/runtime.js';

export interface TestMailOptions {
  redisUrl?: string;
  retry?: MailRetry;
  relay?: RelayOptions;
  /** Redis trouble of the queue or the worker (a test that stops Redis counts it). */
  onError?: (error: Error) => void;
  /** The queue prefix of an earlier mail path to carry on (a restored database's mailer on the same queue). */
  prefix?: string;
}

export async function startTestMail(db: Db, smtpUrl: string, options: TestMailOptions = {}) {
  const prefix = options.prefix ?? `mopd-test-${randomBytes(4).toString('hex')}`;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queueConnection = createRedis(redisUrl);
  const workerConnection = createRedis(redisUrl);
  const onError = options.onError ?? (() => undefined);
  for (const connection of [queueConnection, workerConnection]) connection.on('error', onError);
  const queue = createMailQueue(queueConnection, prefix, options.retry ?? DEFAULT_MAIL_RETRY);
  queue.on('error', onError);
  const mailer = startMailer({
    db,
    connection: workerConnection,
    prefix,
    smtpUrl,
    from: 'MOPD <no-reply@mopd.test>',
    onError,
  });
  return {
    queue,
    prefix,
    worker: mailer.worker,
    relay: () => relayOutboxOnce(db, queue, options.relay),
    /** Stops the mail path; `keepQueue` leaves the queue's jobs in Redis for a mail path that carries on. */
    async close({ keepQueue = false }: { keepQueue?: boolean } = {}) {
      await mailer.worker.close();
      mailer.transport.close();
      if (!keepQueue) await queue.obliterate({ force: true });
      await queue.close();
      await Promise.all([queueConnection.quit(), workerConnection.quit()]);
    },
  };
}
