/**
 * Accounts: sign-up (with a new MOPD ID), sign-in with lockout, the second factor, emailed
 * one-time links for email verification and password reset. Every change is audited and every
 * email leaves through the outbox in the same transaction.
 */
import type { Db } from '../../db/connection.js';
import { createProfessional } from '../../db/professionals.js';
import {
  createUser,
  findUser,
  findUserByEmail,
  rolesOf,
  summarize,
  updateUser,
  type UserRow,
  type UserSummary,
} from '../../db/users.js';
import { consumeAuthToken, saveAuthToken } from '../../db/authTokens.js';
import {
  clearSignInFailures,
  findSignInFailures,
  pruneSignInFailures,
  recordSignInFailure,
} from '../../db/signInFailures.js';
import {
  consumeSignUpRequest,
  pruneSignUpRequests,
  saveSignUpRequest,
  unclaimedProfessionalByEmail,
  type SignUpRequestRow,
} from '../../db/signUpRequests.js';
import { addToOutbox } from '../../db/outbox.js';
import { audit } from '../../db/audit.js';
import { DomainError } from '../../services/errors.js';
import { accountEmail } from '../../services/mail/templates.js';
import type { Language } from '../../rules/domain.js';
import type { RecipientBudget } from './limits.js';
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

/**
 * Wrong passwords for one email from one address before each further one earns a wait: a minute,
 * doubling up to 15. Counted per address so that nobody can lock a person out from elsewhere.
 */
export const PASSWORD_BACK_OFF = { freeFailures: 5, baseMs: 60_000, maxMs: 15 * 60_000 };
/** Wrong second-factor codes in one pending sign-in before it is discarded (the password again). */
export const MAX_SECOND_FACTOR_FAILURES_PER_SIGN_IN = 5;
/** Wrong codes for one account in a row, over any sign-ins, before each further one earns a wait. */
export const SECOND_FACTOR_BACK_OFF = { freeFailures: 5, baseMs: 30_000, maxMs: 15 * 60_000 };
const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;
const RESET_TTL_MS = 60 * 60 * 1000;

export interface AccountDeps {
  db: Db;
  /** Seals the TOTP secrets kept in users.mfa_secret (issue 16). */
  secrets: SecretBox;
  publicUrl: string;
  /** How many emails a stranger may cause to one address (sign-up, confirmation, reset). */
  recipients: RecipientBudget;
}

export type SignUpInput = {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  county?: string | null;
  language?: Language;
};

const accountKey = (email: string) => sha256(email.trim().toLowerCase());
/** The wait `failures` in a row earn: none before the free ones are used, then doubling to the cap. */
const backOffMs = (b: { freeFailures: number; baseMs: number; maxMs: number }) => (failures: number) =>
  failures < b.freeFailures ? null : Math.min(b.maxMs, b.baseMs * 2 ** Math.min(20, failures - b.freeFailures));

export function createAccounts({ db, secrets, publicUrl, recipients }: AccountDeps) {
  async function sendLink(trx: Db, user: UserRow, purpose: 'email_verification' | 'password_reset'): Promise<void> {
    const { token, tokenHash } = newOneTimeToken();
    const ttl = purpose === 'password_reset' ? RESET_TTL_MS : VERIFICATION_TTL_MS;
    await saveAuthToken(trx, { userId: user.id, purpose, tokenHash, expiresAt: new Date(Date.now() + ttl) });
    const page = purpose === 'password_reset' ? 'reset-password' : 'verify-email';
    const email = accountEmail(user.language, purpose, {
      name: user.display_name,
      url: `${publicUrl}/${page}?token=${token}`,
    });
    // The key includes the token hash: each request sends its own link, once.
    await addToOutbox(trx, {
      dedupeKey: `account-${user.id}-${purpose}-${tokenHash.slice(0, 16)}`,
      template: purpose,
      to: user.email,
      ...email,
    });
  }

  /** Checks the code of a user whose row `trx` holds locked: the user as accepted, or why not. */
  async function checkCode(
    trx: Db,
    user: UserRow & { mfa_secret: string },
    input: { code?: string; recoveryCode?: string },
    requestId: string,
  ): Promise<UserRow | DomainError> {
    if (input.code) {
      const step = await acceptTotp(
        secrets.open(user.mfa_secret, mfaSecretContext(user.id)),
        input.code,
        user.mfa_last_step,
      );
      if (step === null)
        return new DomainError('Unauthenticated', 'That code is not right or was already used', 'code');
      return updateUser(trx, user.id, { mfa_last_step: step });
    }
    const used = await trx('recovery_codes')
      .where({ user_id: user.id, code_hash: sha256(normalizeRecoveryCode(input.recoveryCode ?? '')) })
      .whereNull('used_at')
      .update({ used_at: trx.fn.now() });
    if (used === 0)
      return new DomainError('Unauthenticated', 'That recovery code is not right or was already used', 'recoveryCode');
    await audit(trx, {
      actorUserId: user.id,
      action: 'user.recovery_code_used',
      entity: 'user',
      entityId: user.id,
      requestId,
    });
    return user;
  }

  async function recordSecondFactorFailure(trx: Db, user: UserRow, requestId: string): Promise<void> {
    const failures = user.mfa_failures + 1;
    const wait = backOffMs(SECOND_FACTOR_BACK_OFF)(failures);
    await updateUser(trx, user.id, {
      mfa_failures: failures,
      ...(wait === null ? {} : { mfa_blocked_until: new Date(Date.now() + wait) }),
    });
    if (failures === SECOND_FACTOR_BACK_OFF.freeFailures)
      await audit(trx, {
        actorUserId: null,
        action: 'user.second_factor_backed_off',
        entity: 'user',
        entityId: user.id,
        requestId,
      });
  }

  /**
   * The account of a confirmed sign-up. A registry record with this email and no account (a
   * professional entered by an import or a director) becomes this account's: the emailed link
   * showed the person reads mail at the address the record gives.
   */
  async function createAccount(trx: Db, request: SignUpRequestRow, requestId: string): Promise<void> {
    if (await findUserByEmail(trx, request.email))
      throw new DomainError('Conflict', 'An account already uses this email: sign in, or reset your password', 'token');
    const existing = await unclaimedProfessionalByEmail(trx, request.email);
    const professional =
      existing ??
      (await createProfessional(trx, {
        firstName: request.first_name,
        lastName: request.last_name,
        email: request.email,
        county: request.county,
      }));
    const user = await createUser(trx, {
      email: request.email,
      passwordHash: request.password_hash,
      displayName: `${request.first_name} ${request.last_name}`,
      professionalId: professional.id,
      roles: ['professional'],
      language: request.language,
    });
    await updateUser(trx, user.id, { email_verified_at: new Date() });
    await audit(trx, {
      actorUserId: user.id,
      action: 'user.signed_up',
      entity: 'user',
      entityId: user.id,
      after: {
        email: user.email,
        mopdId: professional.mopd_id,
        roles: ['professional'],
        claimedRegistryRecord: Boolean(existing),
      },
      requestId,
    });
  }

  async function summary(user: UserRow): Promise<UserSummary> {
    return summarize(user, await rolesOf(db, user.id));
  }

  return {
    /**
     * Someone asks for an account for an email. Nothing is created and nothing is said until the
     * address's owner follows the emailed link: a new address gets that link; an address with an
     * account gets "you already have an account" instead. The caller answers the same either way
     * (before this runs), so the form cannot tell who has an account.
     */
    async requestSignUp(input: SignUpInput, requestId: string): Promise<void> {
      const passwordHash = await hashPassword(input.password);
      if (!(await recipients.take(input.email))) return;
      await db.transaction(async (trx) => {
        const user = await findUserByEmail(trx, input.email);
        if (user) {
          const email = accountEmail(user.language, 'already_registered', {
            name: user.display_name,
            url: `${publicUrl}/sign-in`,
          });
          await addToOutbox(trx, {
            dedupeKey: `account-${user.id}-already-registered-${newOneTimeToken().tokenHash.slice(0, 16)}`,
            template: 'already_registered',
            to: user.email,
            ...email,
          });
          await audit(trx, {
            actorUserId: null,
            action: 'user.sign_up_for_existing_account',
            entity: 'user',
            entityId: user.id,
            requestId,
          });
          return;
        }
        const { token, tokenHash } = newOneTimeToken();
        const language = input.language ?? 'en';
        await saveSignUpRequest(trx, {
          email: input.email,
          firstName: input.firstName,
          lastName: input.lastName,
          county: input.county ?? null,
          language,
          passwordHash,
          tokenHash,
          expiresAt: new Date(Date.now() + VERIFICATION_TTL_MS),
        });
        const email = accountEmail(language, 'sign_up', {
          name: `${input.firstName} ${input.lastName}`,
          url: `${publicUrl}/verify-email?token=${token}`,
        });
        await addToOutbox(trx, {
          dedupeKey: `sign-up-${tokenHash.slice(0, 16)}`,
          template: 'sign_up',
          to: input.email,
          ...email,
        });
      });
      await pruneSignUpRequests(db);
    },

    /**
     * Checks a password. Wrong ones are counted per email and client address, known email or not:
     * from the fifth on, that email waits from that address (a minute, doubling up to 15), and
     * the answer is the same whether or not an account uses the email.
     */
    async checkPassword(
      email: string,
      password: string,
      address: string,
      requestId: string,
    ): Promise<{ user: UserRow; mfaRequired: boolean }> {
      const key = accountKey(email);
      const earlier = await findSignInFailures(db, key, address);
      if (earlier?.blocked_until && earlier.blocked_until > new Date()) {
        throw new DomainError(
          'TooManyRequests',
          `Too many failed sign-ins for this email from here. Try again after ${earlier.blocked_until.toISOString()}, or reset your password.`,
        );
      }
      const user = await findUserByEmail(db, email);
      const usable = user && !user.disabled_at ? user : undefined;
      // An unknown email is checked against a decoy hash, so both answers take as long.
      const matches = await passwordMatches(usable?.password_hash ?? (await decoyPasswordHash()), password);
      if (!usable || !matches) {
        const now = await recordSignInFailure(db, key, address, backOffMs(PASSWORD_BACK_OFF));
        await pruneSignInFailures(db);
        if (usable && now.failures === PASSWORD_BACK_OFF.freeFailures) {
          await audit(db, {
            actorUserId: null,
            action: 'user.sign_in_backed_off',
            entity: 'user',
            entityId: usable.id,
            after: { address },
            requestId,
          });
        }
        throw new DomainError('Unauthenticated', 'Email or password is not right');
      }
      if (earlier) await clearSignInFailures(db, key, address);
      return { user: usable, mfaRequired: usable.mfa_enabled_at !== null };
    },

    /**
     * Accepts an authenticator code or an unused recovery code for a user who gave the password.
     * Wrong codes are counted for the account (whoever made them had its password): from the fifth
     * in a row on, each earns a wait (30 seconds, doubling up to 15 minutes). The caller also
     * limits the wrong codes of one pending sign-in.
     */
    async checkSecondFactor(
      userId: number,
      input: { code?: string; recoveryCode?: string },
      requestId: string,
    ): Promise<UserRow> {
      // One transaction with the row locked: guesses sent at once are checked and counted one by one.
      const outcome = await db.transaction(async (trx) => {
        const user = await findUser(trx, userId, { forUpdate: true });
        if (!user?.mfa_secret || !user.mfa_enabled_at)
          throw new DomainError('Invalid', 'Two-step sign-in is not set up for this account');
        if (user.mfa_blocked_until && user.mfa_blocked_until > new Date()) {
          return new DomainError(
            'TooManyRequests',
            `Too many wrong codes. Try again after ${user.mfa_blocked_until.toISOString()}.`,
          );
        }
        const accepted = await checkCode(trx, { ...user, mfa_secret: user.mfa_secret }, input, requestId);
        if (accepted instanceof DomainError) await recordSecondFactorFailure(trx, user, requestId);
        else if (accepted.mfa_failures > 0)
          return updateUser(trx, user.id, { mfa_failures: 0, mfa_blocked_until: null });
        return accepted;
      });
      if (outcome instanceof DomainError) throw outcome;
      return outcome;
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
        if (step === null)
          throw new DomainError(
            'Invalid',
            'That code is not right; check the time on your phone and try again',
            'code',
          );
        await updateUser(trx, userId, { mfa_enabled_at: new Date(), mfa_last_step: step });
        const recoveryCodes = newRecoveryCodes();
        await trx('recovery_codes').where({ user_id: userId }).delete();
        await trx('recovery_codes').insert(
          recoveryCodes.map((c) => ({ user_id: userId, code_hash: sha256(normalizeRecoveryCode(c)) })),
        );
        await audit(trx, {
          actorUserId: userId,
          action: 'user.mfa_enabled',
          entity: 'user',
          entityId: userId,
          before: { mfaEnabled: false },
          after: { mfaEnabled: true },
          requestId,
        });
        return { recoveryCodes };
      });
    },

    /** Always answers the same way, so the form cannot be used to learn who has an account. */
    async requestPasswordReset(email: string): Promise<void> {
      if (!(await recipients.take(email))) return;
      await db.transaction(async (trx) => {
        const user = await findUserByEmail(trx, email);
        if (user && !user.disabled_at) await sendLink(trx, user, 'password_reset');
      });
    },

    async resetPassword(token: string, password: string, requestId: string): Promise<void> {
      const passwordHash = await hashPassword(password);
      await db.transaction(async (trx) => {
        const used = await consumeAuthToken(trx, 'password_reset', sha256(token));
        if (!used)
          throw new DomainError('Invalid', 'This reset link is not valid any more; ask for a new one', 'token');
        const user = await updateUser(trx, used.user_id, {
          password_hash: passwordHash,
          failed_sign_ins: 0,
          locked_until: null,
        });
        // A new password ends the waits for wrong ones, from every address.
        await clearSignInFailures(trx, accountKey(user.email));
        // Every session of this user ends: whoever had the old password is signed out.
        await trx('session').whereRaw("(sess->>'userId')::bigint = ?", [used.user_id]).delete();
        await audit(trx, {
          actorUserId: used.user_id,
          action: 'user.password_reset',
          entity: 'user',
          entityId: used.user_id,
          requestId,
        });
      });
    },

    /** Confirms an account's email, or finishes a sign-up (the link proves the address is theirs). */
    async verifyEmail(token: string, requestId: string): Promise<void> {
      await db.transaction(async (trx) => {
        const used = await consumeAuthToken(trx, 'email_verification', sha256(token));
        if (!used) {
          const signUp = await consumeSignUpRequest(trx, sha256(token));
          if (!signUp)
            throw new DomainError(
              'Invalid',
              'This verification link is not valid any more; sign in to get a new one',
              'token',
            );
          await createAccount(trx, signUp, requestId);
          return;
        }
        await updateUser(trx, used.user_id, { email_verified_at: new Date() });
        await audit(trx, {
          actorUserId: used.user_id,
          action: 'user.email_verified',
          entity: 'user',
          entityId: used.user_id,
          after: { emailVerified: true },
          requestId,
        });
      });
    },

    async resendVerification(userId: number): Promise<void> {
      await db.transaction(async (trx) => {
        const user = await findUser(trx, userId);
        if (user && !user.email_verified_at && (await recipients.take(user.email)))
          await sendLink(trx, user, 'email_verification');
      });
    },

    /** The person's language for the UI and their emails; audited like other account changes. */
    async setLanguage(userId: number, language: Language, requestId: string): Promise<Language> {
      return db.transaction(async (trx) => {
        const user = await findUser(trx, userId, { forUpdate: true });
        if (!user) throw new DomainError('NotFound', 'No such user');
        if (user.language !== language) {
          await updateUser(trx, userId, { language });
          await audit(trx, {
            actorUserId: userId,
            action: 'user.language_changed',
            entity: 'user',
            entityId: userId,
            before: { language: user.language },
            after: { language },
            requestId,
          });
        }
        return language;
      });
    },

    summary,
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
