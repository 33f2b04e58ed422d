/**
 * Issue 9, fault 3 (short): Redis of the test's own is killed for a few seconds during email
 * traffic and comes back empty. Every email is delivered exactly once and sign-ins keep working.
 * The long version (30 s, hundreds of emails) is test/faults/redis.test.ts.
 */
import { describe, it } from 'vitest';
import { redisOutage } from '../support/outageScenarios.js';

describe('a Redis outage during email traffic', () => {
  it('loses and doubles no email, and the API keeps answering', async () => {
    await redisOutage({
      emails: 60,
      writeOverMs: 8_000,
      outageAfterMs: 2_500,
      outageMs: 4_000,
      checkQueuedAfterMs: 2_000,
      burstBeforeOutage: 150,
    });
  }, 120_000);
});
