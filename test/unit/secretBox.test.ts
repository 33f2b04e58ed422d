import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseSecretKeys, SecretUnreadable } from '../../api/auth/secretBox.js';

const keyText = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const k1 = keyText('k1');
const k2 = keyText('k2');

describe('the secret box (AES-256-GCM)', () => {
  it('opens what it sealed, and the sealed value names its key but holds no trace of the secret', () => {
    const box = createSecretBox(parseSecretKeys(k1));
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'users.mfa_secret:7');
    expect(sealed).toMatch(/^v1:k1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'users.mfa_secret:7')).toBe('JBSWY3DPEHPK3PXP');
    // A fresh IV each time: the same secret never seals to the same text.
    expect(box.seal('JBSWY3DPEHPK3PXP', 'users.mfa_secret:7')).not.toBe(sealed);
  });

  it('refuses a wrong key, an unknown key, another row and any changed byte', () => {
    const sealed = createSecretBox(parseSecretKeys(k1)).seal('JBSWY3DPEHPK3PXP', 'users.mfa_secret:7');
    const otherKeyWithSameId = createSecretBox(parseSecretKeys(keyText('k1')));
    expect(() => otherKeyWithSameId.open(sealed, 'users.mfa_secret:7')).toThrow(SecretUnreadable);
    expect(() => createSecretBox(parseSecretKeys(k2)).open(sealed, 'users.mfa_secret:7')).toThrow(
      /key k1, which is not configured/,
    );
    const box = createSecretBox(parseSecretKeys(k1));
    expect(() => box.open(sealed, 'users.mfa_secret:8')).toThrow(SecretUnreadable);
    const parts = sealed.split(':');
    for (const at of [2, 3, 4]) {
      const changed = [...parts];
      const bytes = Buffer.from(changed[at]!, 'base64url');
      bytes[0]! ^= 1;
      changed[at] = bytes.toString('base64url');
      expect(() => box.open(changed.join(':'), 'users.mfa_secret:7')).toThrow(SecretUnreadable);
    }
    expect(() => box.open('JBSWY3DPEHPK3PXP', 'users.mfa_secret:7')).toThrow(SecretUnreadable);
  });

  it('seals with the first key and opens with any configured one, so keys can be rotated', () => {
    const old = createSecretBox(parseSecretKeys(k1)).seal('secret', 'c');
    const rotated = createSecretBox(parseSecretKeys(`${k2}, ${k1}`));
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.open(old, 'c')).toBe('secret');
    expect(rotated.keyIdOf(old)).toBe('k1');
    expect(rotated.keyIdOf(rotated.seal('secret', 'c'))).toBe('k2');
    // A value stored before encryption is marked and still opens until it is sealed.
    expect(rotated.open('plain:secret', 'c')).toBe('secret');
    expect(rotated.keyIdOf('plain:secret')).toBe('plain');
  });

  it('names what is wrong with a key list without repeating a key', () => {
    expect(() => parseSecretKeys('')).toThrow(/at least one key/);
    expect(() => parseSecretKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseSecretKeys('no-colon')).toThrow(/id:base64key/);
    expect(() => parseSecretKeys(`${k1}\n${k1}`)).toThrow(/k1 is given twice/);
    try {
      parseSecretKeys(`${k1},bad:${randomBytes(16).toString('base64')}`);
    } catch (error) {
      expect((error as Error).message).not.toContain(k1.slice(3));
    }
  });
});
