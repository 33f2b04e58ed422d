/**
 * A real OpenID Connect provider for the single sign-on tests (issue 23): `oidc-provider` on a free
 * port of this process, with its own login page, the people a test registers (their groups, and
 * whether their sign-in there counts as two factors), and RP-initiated sign-out. A test changes a
 * person's groups between two sign-ins as the state's directory would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import escapeHtml from 'escape-html';
import Provider, { type Configuration } from 'oidc-provider';
import type { SingleSignOnConfig } from '../../api/auth/singleSignOn.js';

export interface ProviderPerson {
  /** What the person types at the provider's login page, and their subject there. */
  username: string;
  password: string;
  email: string;
  emailVerified?: boolean;
  name: string;
  groups: string[];
  /** Whether signing in at the provider checks a second factor (the ID token's amr then says 'mfa'). */
  secondFactor: boolean;
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  people: Map<string, ProviderPerson>;
  add(person: ProviderPerson): ProviderPerson;
  /** The MOPD configuration that uses this provider. */
  configFor(over?: Partial<SingleSignOnConfig>): SingleSignOnConfig;
  close(): Promise<void>;
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(new URLSearchParams(text)));
    req.on('error', reject);
  });
}

/**
 * Starts the provider for MOPD at `mopdUrl` (its callback and sign-in page are the addresses the
 * provider sends browsers back to). A test that starts MOPD first hands MOPD a configuration
 * object and fills it with `configFor` once the provider runs: MOPD reads it at each sign-in.
 */
export async function startIdentityProvider(mopdUrl: string): Promise<TestIdentityProvider> {
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'mopd';
  const clientSecret = 'mopd-test-client-secret-long-enough';
  const people = new Map<string, ProviderPerson>();

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${mopdUrl}/api/auth/sso/callback`],
        post_logout_redirect_uris: [`${mopdUrl}/sign-in`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      // How the person signed in goes in every ID token, as state providers send it.
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      groups: ['groups'],
      acr: null,
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // The person's claims go in the ID token itself, as many state providers send groups there.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ['test-identity-provider-cookie-key'] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const person = people.get(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: person.email,
          email_verified: person.emailVerified ?? true,
          name: person.name,
          groups: [...person.groups],
        }),
      };
    },
    // MOPD is the state's own application: no consent screen, the grant covers what it asks for.
    loadExistingGrant: async (ctx) => {
      const grantId =
        (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ??
        ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);

  const providerCallback = provider.callback();
  handle = (req, res) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
    if (!match) {
      void providerCallback(req, res);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        let problem = '';
        if (req.method === 'POST') {
          const form = await readForm(req);
          const person = people.get(form.get('username') ?? '');
          if (person && person.password === form.get('password')) {
            await provider.interactionFinished(
              req,
              res,
              { login: { accountId: person.username, amr: person.secondFactor ? ['pwd', 'mfa'] : ['pwd'] } },
              { mergeWithLastSubmission: false },
            );
            return;
          }
          problem = '<p role="alert">Username or password is not right.</p>';
        }
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(
            page(
              'State identity provider',
              `${problem}<form method="post" action="/interaction/${escapeHtml(details.uid)}">` +
                `<p><label for="username">Username</label> <input id="username" name="username" autocomplete="username"></p>` +
                `<p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>` +
                `<p><button type="submit">Sign in at the provider</button></p></form>`,
            ),
          );
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String((error as Error).message));
      }
    })();
  };

  return {
    issuer,
    clientId,
    clientSecret,
    people,
    add(person) {
      people.set(person.username, person);
      return person;
    },
    configFor(over = {}) {
      return {
        issuer,
        clientId,
        clientSecret,
        redirectUri: `${mopdUrl}/api/auth/sso/callback`,
        postLogoutRedirectUri: `${mopdUrl}/sign-in`,
        label: 'Show-Me ID',
        audience: 'staff',
        localPasswords: 'all',
        groupsClaim: 'groups',
        mfaAmr: ['mfa', 'otp', 'hwk'],
        mfaAcr: [],
        scopes: 'openid email profile groups',
        allowHttp: true,
        ...over,
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
