/**
 * Secrets kept at rest encrypted (issue 16): AES-256-GCM with a key from configuration. A sealed
 * value names the key that sealed it, so keys can be rotated: the first configured key seals,
 * every configured key opens, and `npm run secrets:rotate` moves every value to the first key.
 *
 *   v1:<keyId>:<iv>:<tag>:<ciphertext>      (iv, tag and ciphertext in base64url)
 *
 * A value written before encryption carries the prefix `plain:` (migration 20261207_023) until
 * the rotation seals it; the box still opens it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface SecretKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const SEALED = /^v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+):([A-Za-z0-9_-]*)$/;
export const PLAIN_PREFIX = 'plain:';

/**
 * Reads a key list `id:base64key` (separated by commas, spaces or new lines; the first one seals).
 * Throws a message naming what is wrong, never the key.
 */
export function parseSecretKeys(text: string): SecretKey[] {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (entries.length === 0) throw new Error('must hold at least one key as id:base64key');
  const keys = entries.map((entry, at) => {
    const colon = entry.indexOf(':');
    const id = entry.slice(0, colon);
    if (colon < 0 || !KEY_ID.test(id))
      throw new Error(`key ${at + 1} must be id:base64key with an id of letters, digits, _ or - (at most 32)`);
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (key.length !== 32)
      throw new Error(
        `key ${id} must be 32 bytes in base64 (e.g. from \`openssl rand -base64 32\`), not ${key.length}`,
      );
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const twice = ids.find((id, at) => ids.indexOf(id) !== at);
  if (twice) throw new Error(`key id ${twice} is given twice`);
  return keys;
}

/** Thrown when a value cannot be opened: an unknown key, a wrong key, or a changed value. */
export class SecretUnreadable extends Error {
  constructor(reason: string) {
    super(`A stored secret cannot be opened: ${reason}`);
    this.name = 'SecretUnreadable';
  }
}

export interface SecretBox {
  /** The id of the key that seals. */
  readonly currentKeyId: string;
  /** Encrypts; `context` (e.g. `users.mfa_secret:42`) is authenticated, so a value only opens where it was sealed. */
  seal(plain: string, context: string): string;
  /** Decrypts a sealed value (or returns a `plain:` one as it is); throws SecretUnreadable. */
  open(stored: string, context: string): string;
  /** The key id of a stored value: its key's id, or 'plain' for a value not yet sealed. */
  keyIdOf(stored: string): string;
}

export function createSecretBox(keys: SecretKey[]): SecretBox {
  if (keys.length === 0) throw new Error('A secret box needs at least one key');
  const current = keys[0]!;
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    currentKeyId: current.id,
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        'v1',
        current.id,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        ciphertext.toString('base64url'),
      ].join(':');
    },
    open(stored, context) {
      if (stored.startsWith(PLAIN_PREFIX)) return stored.slice(PLAIN_PREFIX.length);
      const parts = SEALED.exec(stored);
      if (!parts) throw new SecretUnreadable('not a sealed value');
      const [, id, iv, tag, ciphertext] = parts as unknown as [string, string, string, string, string];
      const key = byId.get(id);
      if (!key) throw new SecretUnreadable(`it was sealed with key ${id}, which is not configured (SECRETS_KEYS)`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SecretUnreadable(`key ${id} does not open it, or it was changed`);
      }
    },
    keyIdOf(stored) {
      if (stored.startsWith(PLAIN_PREFIX)) return 'plain';
      const parts = SEALED.exec(stored);
      if (!parts) throw new SecretUnreadable('not a sealed value');
      return parts[1]!;
    },
  };
}

/** Where a user's TOTP secret is sealed: bound to the row, so a value copied to another user does not open. */
export const mfaSecretContext = (userId: number | string) => `users.mfa_secret:${userId}`;
