/** The single sign-on configuration (issue 23): off unless SSO_ISSUER is set, complete or refused. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, singleSignOnConfig } from '../../bin/config.js';

const base = { NODE_ENV: 'test', PUBLIC_URL: 'https://mopd.example.gov' } as NodeJS.ProcessEnv;

describe('single sign-on configuration', () => {
  it('is off when no issuer is configured', () => {
    expect(singleSignOnConfig(loadConfig(base))).toBeUndefined();
  });

  it('refuses an issuer without the client id and secret', () => {
    expect(() => loadConfig({ ...base, SSO_ISSUER: 'https://id.state.example' })).toThrow(ConfigError);
  });

  it('derives the callback and sign-out addresses from PUBLIC_URL and reads the lists', () => {
    const config = singleSignOnConfig(
      loadConfig({
        ...base,
        SSO_ISSUER: 'https://id.state.example/realms/staff',
        SSO_CLIENT_ID: 'mopd',
        SSO_CLIENT_SECRET: 'secret',
        SSO_LOCAL_PASSWORDS: 'not_staff',
        SSO_MFA_ACR: 'loa3, loa4',
      }),
    );
    expect(config).toMatchObject({
      redirectUri: 'https://mopd.example.gov/api/auth/sso/callback',
      postLogoutRedirectUri: 'https://mopd.example.gov/sign-in',
      audience: 'staff',
      localPasswords: 'not_staff',
      mfaAmr: ['mfa', 'otp', 'hwk'],
      mfaAcr: ['loa3', 'loa4'],
      allowHttp: false,
    });
  });

  it('refuses an http issuer in production', () => {
    expect(() =>
      loadConfig({
        ...base,
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        SECRETS_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
        PAYMENT_PROVIDER: 'none',
        SSO_ISSUER: 'http://id.state.example',
        SSO_CLIENT_ID: 'mopd',
        SSO_CLIENT_SECRET: 'secret',
      }),
    ).toThrow(/SSO_ISSUER: must be an https/);
  });
});
