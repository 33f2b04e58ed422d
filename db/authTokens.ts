import type { Db } from './connection.js';
import type { TokenPurpose } from '../rules/domain.js';

export interface AuthTokenRow {
  id: number;
  user_id: number;
  purpose: TokenPurpose;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
}

export async function saveAuthToken(
  db: Db,
  input: { userId: number; purpose: TokenPurpose; tokenHash: string; expiresAt: Date },
): Promise<void> {
  // A new link replaces any unused one of the same purpose.
  await db('auth_tokens')
    .where({ user_id: input.userId, purpose: input.purpose })
    .whereNull('used_at')
    .update({ used_at: db.fn.now() });
  await db('auth_tokens').insert({
    user_id: input.userId,
    purpose: input.purpose,
    token_hash: input.tokenHash,
    expires_at: input.expiresAt,
  });
}

/** Uses a token once: returns its row when it was valid and unused, marking it used. */
export async function consumeAuthToken(
  db: Db,
  purpose: TokenPurpose,
  tokenHash: string,
): Promise<AuthTokenRow | undefined> {
  const [row] = await db('auth_tokens')
    .where({ purpose, token_hash: tokenHash })
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now())
    .update({ used_at: db.fn.now() })
    .returning('*');
  return row as AuthTokenRow | undefined;
}
