/**
 * Wrong passwords per email and client address, and the back-off they earn (issue 16). The email
 * is kept as a hash and counted whether or not an account uses it, so the answers cannot tell.
 */
import type { Db } from './connection.js';

export interface SignInFailureRow {
  account_key: string;
  address: string;
  failures: number;
  blocked_until: Date | null;
}

export function findSignInFailures(db: Db, accountKey: string, address: string): Promise<SignInFailureRow | undefined> {
  return db('sign_in_failures').where({ account_key: accountKey, address }).first();
}

/**
 * Counts one more failure and blocks this email from this address for as long as `waitMs` says
 * that many failures earn (null: no wait yet). Returns the row as it now is.
 */
export async function recordSignInFailure(
  db: Db,
  accountKey: string,
  address: string,
  waitMs: (failures: number) => number | null,
): Promise<SignInFailureRow> {
  const [row] = (
    await db.raw(
      `INSERT INTO sign_in_failures AS f (account_key, address, failures, updated_at) VALUES (?, ?, 1, now())
     ON CONFLICT (account_key, address) DO UPDATE SET failures = f.failures + 1, updated_at = now()
     RETURNING *`,
      [accountKey, address],
    )
  ).rows as SignInFailureRow[];
  const ms = waitMs(row!.failures);
  if (ms === null) return row!;
  const blockedUntil = new Date(Date.now() + ms);
  await db('sign_in_failures').where({ account_key: accountKey, address }).update({ blocked_until: blockedUntil });
  return { ...row!, blocked_until: blockedUntil };
}

/** Forgets the failures of this email from this address (right password), or from everywhere (new password). */
export async function clearSignInFailures(db: Db, accountKey: string, address?: string): Promise<void> {
  await db('sign_in_failures')
    .where(address === undefined ? { account_key: accountKey } : { account_key: accountKey, address })
    .delete();
}

/** Rows nobody has failed on for a day: their back-off is long over. */
export async function pruneSignInFailures(db: Db): Promise<void> {
  await db('sign_in_failures').where('updated_at', '<', db.raw("now() - interval '1 day'")).delete();
}
