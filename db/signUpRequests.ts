/**
 * Sign-ups waiting for the emailed link (issue 16): nothing is created in the registry until the
 * person shows they read mail at the address, so nobody can take over another's record by typing
 * its email, and the sign-up form answers the same for every address.
 */
import type { Db } from './connection.js';
import type { Language } from '../rules/domain.js';

export interface SignUpRequestRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  county: string | null;
  language: Language;
  password_hash: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
}

export async function saveSignUpRequest(
  db: Db,
  input: {
    email: string;
    firstName: string;
    lastName: string;
    county: string | null;
    language: Language;
    passwordHash: string;
    tokenHash: string;
    expiresAt: Date;
  },
): Promise<void> {
  await db('sign_up_requests').insert({
    email: input.email,
    first_name: input.firstName,
    last_name: input.lastName,
    county: input.county,
    language: input.language,
    password_hash: input.passwordHash,
    token_hash: input.tokenHash,
    expires_at: input.expiresAt,
  });
}

/** Uses a sign-up link once: the request when it was valid and unused, every request for that email then spent. */
export async function consumeSignUpRequest(db: Db, tokenHash: string): Promise<SignUpRequestRow | undefined> {
  const [row] = (await db('sign_up_requests')
    .where({ token_hash: tokenHash })
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now())
    .update({ used_at: db.fn.now() })
    .returning('*')) as SignUpRequestRow[];
  if (row)
    await db('sign_up_requests')
      .whereRaw('lower(email) = lower(?)', [row.email])
      .whereNull('used_at')
      .update({ used_at: db.fn.now() });
  return row;
}

/** The registry record of this email that no account uses yet, if there is one. */
export function unclaimedProfessionalByEmail(
  db: Db,
  email: string,
): Promise<{ id: number; mopd_id: string } | undefined> {
  return db('professionals as p')
    .whereRaw('lower(p.email) = lower(?)', [email])
    .whereNotExists((q) => q.select(db.raw('1')).from('users as u').whereRaw('u.professional_id = p.id'))
    .first('p.id', 'p.mopd_id');
}

export async function pruneSignUpRequests(db: Db): Promise<void> {
  await db('sign_up_requests').where('expires_at', '<', db.raw("now() - interval '1 day'")).delete();
}
