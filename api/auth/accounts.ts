/**
 * Accounts: sign-up (with a new MOPD ID), sign-in with lockout, the second factor, emailed
 * one-time links for email verification and password reset. Every change is audited and every
 * email leaves through the outbox in the same transaction.
 */
import type { Db } from '../../db/connection.js';
import { createProfessional } from '../../db/professionals.js';
import { createUser, findUser, findUserByEmail, rolesOf, summarize, updateUser, type UserRow, type UserSummary } from '../../db/users.js';
import { consumeAuthToken, saveAuthToken } from '../../db/authTokens.js';
import { addToOutbox } from '../../db/outbox.js';
import { audit } from '../../db/audit.js';
import { DomainError } from '../../activities/errors.js';
import { accountEmail } from '../../activities/mail/templates.js';
import type { Language } from '../../rules/domain.js';
import {
  acceptTotp,
  decoyPasswordHash,
  hashPassword,
  newOneTimeToken,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  passwordMatches,
  sha256,
  totpUri,
} from './crypto.js';
import { mfaSecretContext, type SecretBox } from './secretBox.js';

export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;
const RESET_TTL_MS = 60 * 60 * 1000;

export interface AccountDeps {
  db: Db;
  /** Seals the TOTP secrets kept in users.mfa_secret (issue 16). */
  secrets: SecretBox;
  publicUrl: string;
}

export function createAccounts({ db, secrets, publicUrl }: AccountDeps) {
  async function sendLink(trx: Db, user: UserRow, purpose: 'email_verification' | 'password_reset'): Promise<void> {
    const { token, tokenHash } = newOneTimeToken();
    const ttl = purpose === 'password_reset' ? RESET_TTL_MS : VERIFICATION_TTL_MS;
    await saveAuthToken(trx, { userId: user.id, purpose, tokenHash, expiresAt: new Date(Date.now() + ttl) });
    const page = purpose === 'password_reset' ? 'reset-password' : 'verify-email';
    const email = accountEmail(user.language, purpose, { name: user.display_name, url: `${publicUrl}/${page}?token=${token}` });
    // The key includes the token hash: each request sends its own link, once.
    await addToOutbox(trx, { dedupeKey: `account-${user.id}-${purpose}-${tokenHash.slice(0, 16)}`, template: purpose, to: user.email, ...email });
  }

  async function summary(user: UserRow): Promise<UserSummary> {
    return summarize(user, await rolesOf(db, user.id));
  }

  return {
    /** A professional signs up: a user, a registry record with a new MOPD ID, a verification email. */
    async signUp(input: { firstName: string; lastName: string; email: string; password: string; county?: string | null; language?: Language }, requestId: string) {
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (trx) => {
        if (await findUserByEmail(trx, input.email)) {
          throw new DomainError('Conflict', 'An account with this email already exists; sign in or reset your password', 'email');
        }
        const professional = await createProfessional(trx, { firstName: input.firstName, lastName: input.lastName, email: input.email, county: input.county ?? null });
        const user = await createUser(trx, {
          email: input.email,
          passwordHash,
          displayName: `${input.firstName} ${input.lastName}`,
          professionalId: professional.id,
          roles: ['professional'],
          language: input.language ?? 'en',
        });
        await audit(trx, { actorUserId: user.id, action: 'user.signed_up', entity: 'user', entityId: user.id, after: { email: user.email, mopdId: professional.mopd_id, roles: ['professional'] }, requestId });
        await sendLink(trx, user, 'email_verification');
        return { user: summarize(user, ['professional']), mopdId: professional.mopd_id };
      });
    },

    /**
     * Checks a password. Five failures in a row lock the account for 15 minutes; the answer never
     * says whether the email exists.
     */
    async checkPassword(email: string, password: string, requestId: string): Promise<{ user: UserRow; mfaRequired: boolean }> {
      const user = await findUserByEmail(db, email);
      if (!user || user.disabled_at) {
        await passwordMatches(await decoyPasswordHash(), password);
        throw new DomainError('Unauthenticated', 'Email or password is not right');
      }
      if (user.locked_until && user.locked_until > new Date()) {
        throw new DomainError('TooManyRequests', `Too many failed sign-ins. Try again after ${user.locked_until.toISOString()}, or reset your password.`);
      }
      if (!(await passwordMatches(user.password_hash, password))) {
        await db.transaction(async (trx) => {
          const failures = user.failed_sign_ins + 1;
          const lock = failures >= MAX_FAILED_SIGN_INS;
          await updateUser(trx, user.id, { failed_sign_ins: lock ? 0 : failures, ...(lock ? { locked_until: new Date(Date.now() + LOCKOUT_MS) } : {}) });
          if (lock) await audit(trx, { actorUserId: null, action: 'user.locked_out', entity: 'user', entityId: user.id, after: { minutes: LOCKOUT_MS / 60_000 }, requestId });
        });
        throw new DomainError('Unauthenticated', 'Email or password is not right');
      }
      await updateUser(db, user.id, { failed_sign_ins: 0, locked_until: null });
      return { user, mfaRequired: user.mfa_enabled_at !== null };
    },

    /** Accepts an authenticator code or an unused recovery code for a user who gave the password. */
    async checkSecondFactor(userId: number, input: { code?: string; recoveryCode?: string }, requestId: string): Promise<UserRow> {
      return db.transaction(async (trx) => {
        const user = await findUser(trx, userId, { forUpdate: true });
        if (!user?.mfa_secret || !user.mfa_enabled_at) throw new DomainError('Invalid', 'Two-step sign-in is not set up for this account');
        if (input.code) {
          const step = await acceptTotp(secrets.open(user.mfa_secret, mfaSecretContext(user.id)), input.code, user.mfa_last_step);
          if (step === null) throw new DomainError('Unauthenticated', 'That code is not right or was already used', 'code');
          return updateUser(trx, user.id, { mfa_last_step: step });
        }
        const used = await trx('recovery_codes')
          .where({ user_id: user.id, code_hash: sha256(normalizeRecoveryCode(input.recoveryCode ?? '')) })
          .whereNull('used_at')
          .update({ used_at: trx.fn.now() });
        if (used === 0) throw new DomainError('Unauthenticated', 'That recovery code is not right or was already used', 'recoveryCode');
        await audit(trx, { actorUserId: user.id, action: 'user.recovery_code_used', entity: 'user', entityId: user.id, requestId });
        return user;
      });
    },

    /** Starts setting up an authenticator app: a new secret, not active until a code confirms it. */
    async beginMfaSetup(userId: number): Promise<{ secret: string; otpauthUri: string }> {
      const user = await findUser(db, userId);
      if (!user) throw new DomainError('NotFound', 'No such user');
      if (user.mfa_enabled_at) throw new DomainError('Conflict', 'Two-step sign-in is already on');
      const secret = newTotpSecret();
      await updateUser(db, userId, { mfa_secret: secrets.seal(secret, mfaSecretContext(userId)) });
      return { secret, otpauthUri: totpUri(secret, user.email) };
    },

    /** Confirms the authenticator with a code, turns two-step sign-in on and returns recovery codes once. */
    async enableMfa(userId: number, code: string, requestId: string): Promise<{ recoveryCodes: string[] }> {
      return db.transaction(async (trx) => {
        const user = await findUser(trx, userId, { forUpdate: true });
        if (!user?.mfa_secret) throw new DomainError('Invalid', 'Start the set-up first', 'code');
        if (user.mfa_enabled_at) throw new DomainError('Conflict', 'Two-step sign-in is already on');
        const step = await acceptTotp(secrets.open(user.mfa_secret, mfaSecretContext(user.id)), code, null);
        if (step === null) throw new DomainError('Invalid', 'That code is not right; check the time on your phone and try again', 'code');
        await updateUser(trx, userId, { mfa_enabled_at: new Date(), mfa_last_step: step });
        const recoveryCodes = newRecoveryCodes();
        await trx('recovery_codes').where({ user_id: userId }).delete();
        await trx('recovery_codes').insert(recoveryCodes.map((c) => ({ user_id: userId, code_hash: sha256(normalizeRecoveryCode(c)) })));
        await audit(trx, { actorUserId: userId, action: 'user.mfa_enabled', entity: 'user', entityId: userId, before: { mfaEnabled: false }, after: { mfaEnabled: true }, requestId });
        return { recoveryCodes };
      });
    },

    /** Always answers the same way, so the form cannot be used to learn who has an account. */
    async requestPasswordReset(email: string): Promise<void> {
      await db.transaction(async (trx) => {
        const user = await findUserByEmail(trx, email);
        if (user && !user.disabled_at) await sendLink(trx, user, 'password_reset');
      });
    },

    async resetPassword(token: string, password: string, requestId: string): Promise<void> {
      const passwordHash = await hashPassword(password);
      await db.transaction(async (trx) => {
        const used = await consumeAuthToken(trx, 'password_reset', sha256(token));
        if (!used) throw new DomainError('Invalid', 'This reset link is not valid any more; ask for a new one', 'token');
        await updateUser(trx, used.user_id, { password_hash: passwordHash, failed_sign_ins: 0, locked_until: null });
        // Every session of this user ends: whoever had the old password is signed out.
        await trx('session').whereRaw("(sess->>'userId')::bigint = ?", [used.user_id]).delete();
        await audit(trx, { actorUserId: used.user_id, action: 'user.password_reset', entity: 'user', entityId: used.user_id, requestId });
      });
    },

    async verifyEmail(token: string, requestId: string): Promise<void> {
      await db.transaction(async (trx) => {
        const used = await consumeAuthToken(trx, 'email_verification', sha256(token));
        if (!used) throw new DomainError('Invalid', 'This verification link is not valid any more; sign in to get a new one', 'token');
        await updateUser(trx, used.user_id, { email_verified_at: new Date() });
        await audit(trx, { actorUserId: used.user_id, action: 'user.email_verified', entity: 'user', entityId: used.user_id, after: { emailVerified: true }, requestId });
      });
    },

    async resendVerification(userId: number): Promise<void> {
      await db.transaction(async (trx) => {
        const user = await findUser(trx, userId);
        if (user && !user.email_verified_at) await sendLink(trx, user, 'email_verification');
      });
    },

    /** The person's language for the UI and their emails; audited like other account changes. */
    async setLanguage(userId: number, language: Language, requestId: string): Promise<Language> {
      return db.transaction(async (trx) => {
        const user = await findUser(trx, userId, { forUpdate: true });
        if (!user) throw new DomainError('NotFound', 'No such user');
        if (user.language !== language) {
          await updateUser(trx, userId, { language });
          await audit(trx, { actorUserId: userId, action: 'user.language_changed', entity: 'user', entityId: userId, before: { language: user.language }, after: { language }, requestId });
        }
        return language;
      });
    },

    summary,
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
