/**
 * Signing in through the state's OpenID Connect provider (issue 23) with openid-client: the
 * authorization code flow with PKCE, state and nonce kept in the MOPD session between the two
 * legs; the ID token's claims become a `ProviderIdentity`. The provider's metadata is discovered
 * at the first sign-in (not at start-up: a provider away then must not stop MOPD) and kept.
 */
import * as oidc from 'openid-client';
import type { ProviderIdentity } from '../../services/singleSignOn.js';
import { DomainError } from '../../services/errors.js';

export interface SingleSignOnConfig {
  /** The provider's issuer URL; its metadata is read from `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** MOPD's callback as registered at the provider: `<PUBLIC_URL>/api/auth/sso/callback`. */
  redirectUri: string;
  /** Where the provider sends the browser after signing out there (MOPD's sign-in page). */
  postLogoutRedirectUri: string;
  /** The name on the sign-in button: "Sign in with <label>". */
  label: string;
  /** Who may sign in through the provider: staff (reviewers, policy staff, inspectors, admins) or everyone. */
  audience: 'staff' | 'everyone';
  /** Who may still sign in with a MOPD password: everyone, everyone but staff, or nobody. */
  localPasswords: 'all' | 'not_staff' | 'none';
  /** The ID token's claim that lists the person's groups. */
  groupsClaim: string;
  /** `amr` values that say the provider checked a second factor. */
  mfaAmr: string[];
  /** `acr` values that say the same (a level of assurance that includes a second factor). */
  mfaAcr: string[];
  /** The scopes asked for. */
  scopes: string;
  /** Allow an http:// issuer (development and tests; refused in production by the configuration). */
  allowHttp?: boolean;
}

/** What waits in the session between sending the browser to the provider and its return. */
export interface PendingSignOn {
  state: string;
  nonce: string;
  codeVerifier: string;
  next: string;
}

export interface SignOnResult {
  identity: ProviderIdentity;
  idToken: string;
  /** The provider says it checked a second factor (amr or acr as configured). */
  secondFactorAtProvider: boolean;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : [];

export function createSingleSignOn(config: SingleSignOnConfig) {
  let discovered: { issuer: string; configuration: Promise<oidc.Configuration> } | undefined;

  function configuration(): Promise<oidc.Configuration> {
    if (discovered?.issuer !== config.issuer) {
      const configuration = oidc.discovery(
        new URL(config.issuer),
        config.clientId,
        config.clientSecret,
        // HTTP Basic, every provider's default for a confidential client (openid-client's own is a form field).
        oidc.ClientSecretBasic(config.clientSecret),
        config.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
      // A failed discovery is tried again at the next sign-in.
      configuration.catch(() => {
        if (discovered?.configuration === configuration) discovered = undefined;
      });
      discovered = { issuer: config.issuer, configuration };
    }
    return discovered.configuration;
  }

  async function reachable(): Promise<oidc.Configuration> {
    try {
      return await configuration();
    } catch {
      throw new DomainError('Unavailable', 'The identity provider cannot be reached; try again in a few minutes');
    }
  }

  return {
    config,

    /** Where to send the browser, and what the session keeps until it comes back. */
    async start(next: string): Promise<{ url: string; pending: PendingSignOn }> {
      const server = await reachable();
      const pending: PendingSignOn = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
        next,
      };
      const url = oidc.buildAuthorizationUrl(server, {
        redirect_uri: config.redirectUri,
        scope: config.scopes,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url: url.href, pending };
    },

    /** The browser came back with a code: exchange it, check the ID token, read who it is. */
    async finish(callbackUrl: URL, pending: PendingSignOn): Promise<SignOnResult> {
      const server = await reachable();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(server, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw new DomainError(
          'Unauthenticated',
          `The identity provider's answer was not accepted (${(error as Error).message}); sign in again`,
        );
      }
      const claims = tokens.claims();
      if (!claims || !tokens.id_token)
        throw new DomainError('Unauthenticated', 'The identity provider sent no ID token');
      let info: Record<string, unknown> = { ...claims };
      // Groups or email only in the user info: ask for it.
      if (
        (info[config.groupsClaim] === undefined || info.email === undefined) &&
        server.serverMetadata().userinfo_endpoint
      )
        info = { ...(await oidc.fetchUserInfo(server, tokens.access_token, claims.sub)), ...info };
      const text = (key: string) => (typeof info[key] === 'string' ? (info[key] as string) : null);
      const amr = strings(claims.amr);
      const acr = typeof claims.acr === 'string' ? claims.acr : null;
      return {
        identity: {
          issuer: claims.iss,
          subject: claims.sub,
          email: text('email'),
          emailVerified: info.email_verified === true || info.email_verified === 'true',
          name: text('name'),
          givenName: text('given_name'),
          familyName: text('family_name'),
          groups: strings(info[config.groupsClaim]),
        },
        idToken: tokens.id_token,
        secondFactorAtProvider:
          amr.some((value) => config.mfaAmr.includes(value)) || (acr !== null && config.mfaAcr.includes(acr)),
      };
    },

    /** Where to send the browser to end the provider's session too; null when the provider offers no way. */
    async endSessionUrl(idToken: string): Promise<string | null> {
      let server: oidc.Configuration;
      try {
        server = await configuration();
      } catch {
        return null;
      }
      if (!server.serverMetadata().end_session_endpoint) return null;
      return oidc.buildEndSessionUrl(server, {
        id_token_hint: idToken,
        post_logout_redirect_uri: config.postLogoutRedirectUri,
      }).href;
    },
  };
}

export type SingleSignOn = ReturnType<typeof createSingleSignOn>;
