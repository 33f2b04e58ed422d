/** Password hashing (argon2id), TOTP codes and one-time tokens, each through a maintained library. */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';

// OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
// (Algorithm is a const enum; 2 is its Argon2id member.)
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to compare against when the email is unknown, so both paths take the same time. */
let decoy: Promise<string> | undefined;
export const decoyPasswordHash = () => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

/** A one-time token for an emailed link, and the hash that is stored instead of it. */
export function newOneTimeToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: sha256(token) };
}

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const newTotpSecret = () => generateSecret();

export const totpUri = (secret: string, account: string) => generateURI({ issuer: 'MOPD', label: account, secret });

/** Checks a code; returns its time step when valid and newer than the last accepted one. */
export async function acceptTotp(secret: string, code: string, lastStep: number | null): Promise<number | null> {
  const result = await verifyTotp({ secret, token: code, epochTolerance: 30 });
  if (!result.valid) return null;
  const step = (result as { timeStep?: number }).timeStep ?? null;
  if (step === null) return null;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** Ten recovery codes like 'k3m9-x2q7-p4w8', each usable once. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(12);
    const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export const normalizeRecoveryCode = (code: string) => code.trim().toLowerCase().replace(/\s+/g, '');
