/**
 * Issue 9, fault 4 (long, on demand: npm run faults:smtp): the SMTP server refuses every connection
 * (421) for a minute and then cuts them for ten seconds while 300 emails wait; mail is retried with
 * back-off (eight tries, 1 s doubling) and each is delivered exactly once; then mail that keeps
 * failing becomes dead letters, and the one an admin retries is delivered once.
 */
import { describe, it } from 'vitest';
import { smtpOutage } from '../support/outageScenarios.js';

describe('an SMTP server away for over a minute', () => {
  it('gets every email delivered once after it recovers, and ends mail that keeps failing as dead letters an admin retries', async () => {
    await smtpOutage({
      emails: 300,
      refuseMs: 60_000,
      dropMs: 10_000,
      retry: { attempts: 8, backoffMs: 1_000 },
      deadLetters: 5,
    });
  });
});
