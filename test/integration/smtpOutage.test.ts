/**
 * Issue 9, fault 4 (short): the SMTP server refuses (421) and then drops connections for a few
 * seconds; mail is retried with back-off and delivered once. Emails that keep failing become dead
 * letters an admin sees and retries. The long version is test/faults/smtp.test.ts.
 */
import { describe, it } from 'vitest';
import { smtpOutage } from '../support/outageScenarios.js';

describe('an SMTP server that refuses and drops connections', () => {
  it('gets every email delivered once after it recovers, and ends mail that keeps failing as dead letters an admin retries', async () => {
    await smtpOutage({
      emails: 30,
      refuseMs: 3_000,
      dropMs: 2_000,
      retry: { attempts: 6, backoffMs: 300 },
      deadLetters: 3,
    });
  }, 120_000);
});
