/**
 * Issue 9, fault 3 (long, on demand: npm run faults:redis): 700 emails — a burst of 300 written
 * just before, then 400 over a minute — while Redis is killed for 30 seconds and comes back empty.
 * Every email is delivered exactly once and sign-ins keep working throughout.
 */
import { describe, it } from 'vitest';
import { redisOutage } from '../support/outageScenarios.js';

describe('a 30-second Redis outage during email traffic', () => {
  it('loses and doubles no email, and the API keeps answering', async () => {
    await redisOutage({
      emails: 400,
      writeOverMs: 60_000,
      outageAfterMs: 15_000,
      outageMs: 30_000,
      checkQueuedAfterMs: 10_000,
      burstBeforeOutage: 300,
    });
  });
});
