import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bin/config.js';

// A production configuration that is otherwise complete (its own session secret and sealing key).
const production = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-session-secret-of-40-characters',
  SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
};
const webhookSecret = 'a-webhook-signing-secret-of-32-characters-or-more';

describe('payment configuration', () => {
  it('uses the offline provider in development and test, and none in production, when nothing is set', () => {
    expect(loadConfig({}).PAYMENT_PROVIDER).toBe('offline');
    expect(loadConfig({ NODE_ENV: 'test' }).PAYMENT_PROVIDER).toBe('offline');
    expect(loadConfig(production).PAYMENT_PROVIDER).toBe('none');
  });

  it('refuses to start production with the offline provider unless it is explicitly allowed', () => {
    expect(() =>
      loadConfig({ ...production, PAYMENT_PROVIDER: 'offline', PAYMENT_WEBHOOK_SECRET: webhookSecret }),
    ).toThrow(/PAYMENT_PROVIDER: offline takes no money[\s\S]*ALLOW_OFFLINE_PAYMENTS_IN_PRODUCTION=true/);
    expect(() =>
      loadConfig({
        ...production,
        PAYMENT_PROVIDER: 'offline',
        PAYMENT_WEBHOOK_SECRET: webhookSecret,
        ALLOW_OFFLINE_PAYMENTS_IN_PRODUCTION: 'yes',
      }),
    ).toThrow(/ALLOW_OFFLINE_PAYMENTS_IN_PRODUCTION/);
    expect(
      loadConfig({
        ...production,
        PAYMENT_PROVIDER: 'offline',
        PAYMENT_WEBHOOK_SECRET: webhookSecret,
        ALLOW_OFFLINE_PAYMENTS_IN_PRODUCTION: 'true',
      }).PAYMENT_PROVIDER,
    ).toBe('offline');
  });

  it('needs a webhook signing secret in production when a provider is on', () => {
    expect(() =>
      loadConfig({ ...production, PAYMENT_PROVIDER: 'offline', ALLOW_OFFLINE_PAYMENTS_IN_PRODUCTION: 'true' }),
    ).toThrow(/PAYMENT_WEBHOOK_SECRET: must be set in production/);
    expect(() => loadConfig({ PAYMENT_WEBHOOK_SECRET: 'short' })).toThrow(
      /PAYMENT_WEBHOOK_SECRET: must be at least 32 characters/,
    );
  });
});
