/** The real mail path for tests: the outbox relay and mailer on a queue of the test's own. */
import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { createMailQueue } from '../../activities/mail/queue.js';
import { startMailer } from '../../activities/mail/mailer.js';
import { relayOutboxOnce } from '../../activities/mail/relay.js';
import { createRedis } from '../../bin/runtime.js';

export async function startTestMail(db: Db, smtpUrl: string) {
  const prefix = `mopd-test-${randomBytes(4).toString('hex')}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const queueConnection = createRedis(redisUrl);
  const workerConnection = createRedis(redisUrl);
  const queue = createMailQueue(queueConnection, prefix);
  const mailer = startMailer({ db, connection: workerConnection, prefix, smtpUrl, from: 'MOPD <no-reply@mopd.test>' });
  return {
    queue,
    prefix,
    relay: () => relayOutboxOnce(db, queue),
    async close() {
      await mailer.worker.close();
      mailer.transport.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await Promise.all([queueConnection.quit(), workerConnection.quit()]);
    },
  };
}
