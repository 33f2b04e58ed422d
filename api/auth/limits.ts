/**
 * Limits on what a stranger can make MOPD do to someone else (issue 16): a budget of emails per
 * recipient address, counted in Redis under a hash of the address (never a database row id, so an
 * address with no account is counted like one with an account).
 */
import type { Redis } from 'ioredis';
import { sha256 } from './crypto.js';

export interface RecipientBudget {
  /** True when one more email to this address is within its budget (and counts it). */
  take(email: string): Promise<boolean>;
}

export function recipientBudget(
  redis: Redis,
  options: { max: number; windowMs: number; prefix?: string; onStoreError: (error: unknown) => void },
): RecipientBudget {
  const prefix = options.prefix ?? 'mopd-mail-to:';
  return {
    async take(email) {
      const key = `${prefix}${sha256(email.trim().toLowerCase())}`;
      try {
        const count = await redis.incr(key);
        if (count === 1) await redis.pexpire(key, options.windowMs);
        return count <= options.max;
      } catch (error) {
        // Like the sign-in limit: while Redis is away mail still goes (logged) rather than never.
        options.onStoreError(error);
        return true;
      }
    },
  };
}
