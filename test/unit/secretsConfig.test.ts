import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_SECRETS_KEYS, loadConfig } from '../../bin/config.js';

const production = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-secret-of-at-least-32-chars',
  PAYMENT_PROVIDER: 'none',
};
const aKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('the keys sealing secrets at rest', () => {
  it('has a development key outside production and refuses it as the sealing key in production', () => {
    expect(loadConfig({}).SECRETS_KEYS).toBe(DEVELOPMENT_SECRETS_KEYS);
    expect(() => loadConfig(production)).toThrow(/SECRETS_KEYS: must start with a key of your own in production/);
    const own = aKey('2026-12');
    expect(loadConfig({ ...production, SECRETS_KEYS: `${own},${DEVELOPMENT_SECRETS_KEYS}` }).SECRETS_KEYS).toContain(
      own,
    );
  });

  it('reads the keys from SECRETS_KEYS_FILE, and names a bad key without showing it', () => {
    const file = path.join(os.tmpdir(), `mopd-keys-${randomBytes(4).toString('hex')}`);
    const keys = `${aKey('k2')}\n${aKey('k1')}\n`;
    fs.writeFileSync(file, keys);
    try {
      expect(loadConfig({ SECRETS_KEYS_FILE: file }).SECRETS_KEYS).toBe(keys.trim());
      expect(() => loadConfig({ SECRETS_KEYS_FILE: file, SECRETS_KEYS: aKey('k3') })).toThrow(
        /SECRETS_KEYS_FILE: set either/,
      );
    } finally {
      fs.rmSync(file);
    }
    expect(() => loadConfig({ SECRETS_KEYS_FILE: file })).toThrow(/SECRETS_KEYS_FILE: cannot be read \(ENOENT\)/);
    const short = `k1:${randomBytes(16).toString('base64')}`;
    expect(() => loadConfig({ SECRETS_KEYS: short })).toThrow(/SECRETS_KEYS: key k1 must be 32 bytes/);
    expect(() => loadConfig({ SECRETS_KEYS: short })).not.toThrow(new RegExp(short.slice(3).replace(/[+/=]/g, '.')));
  });
});
