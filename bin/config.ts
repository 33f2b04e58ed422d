/**
 * The one typed configuration of every MOPD process, read from environment variables and
 * validated at start-up. A bad value stops the process with a message naming the variable.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { parseSecretKeys } from '../api/auth/secretBox.js';
import type { SingleSignOnConfig } from '../api/auth/singleSignOn.js';

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );

/** The development key that seals secrets at rest; refused in production, like SESSION_SECRET's default. */
export const DEVELOPMENT_SECRETS_KEYS = 'development-only:FfkMqLsMT5S0yXOA7JnVfld18r8ZL85P+AaQ1mD+vHY=';

/**
 * The variables that may come from a file instead (`<NAME>_FILE`, e.g. a Docker or Kubernetes
 * secret mounted at /run/secrets/...): the secrets, and the URLs that carry a password.
 */
export const FILE_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
  'SESSION_SECRET',
  'SECRETS_KEYS',
  'HEALTH_TOKEN',
  'METRICS_TOKEN',
  'PAYMENT_WEBHOOK_SECRET',
  'SSO_CLIENT_SECRET',
] as const;

/** Each `<NAME>_FILE` that is set read into `<NAME>` (trimmed); a variable set both ways, or an unreadable file, is refused. */
function withVariablesFromFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const read: NodeJS.ProcessEnv = {};
  const problems: string[] = [];
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) {
      problems.push(`  ${name}_FILE: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    try {
      read[name] = fs.readFileSync(file, 'utf8').trim();
    } catch (error) {
      // The error code only: the message would name the path, which is fine, but never the content.
      problems.push(`  ${name}_FILE: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return { ...env, ...read };
}

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/mopd'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. 127.0.0.1:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('mopd'),
  SMTP_URL: url(['smtp:', 'smtps:']).default('smtp://127.0.0.1:1025'),
  MAIL_FROM: z.string().min(3).default('MOPD <no-reply@mopd.example>'),
  MAIL_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('mopd'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: url(['http:', 'https:']).default('http://127.0.0.1:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs session cookies and CSRF tokens; at least 32 characters, secret in production. */
  SESSION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .default('development-only-secret-change-me-in-production'),
  /**
   * Keys sealing secrets at rest (TOTP secrets): `id:base64key` (32 random bytes, e.g.
   * `openssl rand -base64 32`), separated by commas; the first seals, every one opens. To rotate,
   * put a new key first, keep the old ones, run `npm run secrets:rotate`, then drop the old ones.
   */
  SECRETS_KEYS: z
    .string()
    .default(DEVELOPMENT_SECRETS_KEYS)
    .superRefine((value, ctx) => {
      try {
        parseSecretKeys(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  /**
   * Lets monitoring read each dependency's state on /health with `Authorization: Bearer <token>`
   * (at least 32 characters); unset, /health tells everyone only up or down and admins see the
   * detail at /api/admin/health.
   */
  HEALTH_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * Lets Prometheus scrape /metrics with `Authorization: Bearer <token>` (at least 32 characters);
   * unset, only a signed-in admin may read it. Anonymous callers are refused either way.
   */
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Where uploaded files are kept: outside the web root, never served as pages. */
  UPLOAD_DIR: z.string().min(1).default('.data/uploads'),
  /** Files one person may keep uploaded; a further upload is refused (409) naming why. */
  UPLOAD_QUOTA_FILES: z.coerce.number().int().min(1).default(50),
  /** Megabytes one person may keep uploaded in all. */
  UPLOAD_QUOTA_MB: z.coerce.number().positive().default(50),
  /** Hours after which an upload no record refers to is removed, row and file. */
  UPLOAD_UNATTACHED_HOURS: z.coerce.number().positive().default(24),
  /** Where the SMTP capture keeps what it receives (development and tests only). */
  SMTP_CAPTURE_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8025),
  /**
   * Who settles course fees: `offline` (MOPD's stand-in provider: anyone can "pay" on its page, so
   * development and tests only) or `none` (fees cannot be paid). Unset: `offline` in development and
   * test, `none` in production.
   */
  PAYMENT_PROVIDER: z.enum(['none', 'offline']).optional(),
  /** Lets production run the offline provider anyway (a demonstration site): `true` or `false`. */
  ALLOW_OFFLINE_PAYMENTS_IN_PRODUCTION: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** The provider's webhook signing secret (HMAC-SHA256 of the body); required in production with a provider. */
  PAYMENT_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * Which proxies in front of the API to believe about the client's address (X-Forwarded-For):
   * `none` (default: the peer's own address), a number of hops, or a comma-separated list of
   * addresses and subnets (`10.0.0.0/8,loopback`). Sign-in and email limits count per address.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('none')
    .transform((value, ctx): false | number | string[] => {
      if (value === '' || value === 'none' || value === 'false') return false;
      if (/^\d+$/.test(value)) return Number(value);
      const list = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      if (list.some((v) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(v))) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be none, a number of proxies, or a comma-separated list of addresses and subnets',
        });
        return z.NEVER;
      }
      return list;
    }),
  /**
   * Where course videos and their captions may be played from, besides MOPD's own address: a
   * comma-separated list of origins (`https://media.example.org`). The Content-Security-Policy's
   * media-src names them; a video elsewhere is blocked by the browser.
   */
  MEDIA_ORIGINS: z
    .string()
    .trim()
    .default('')
    .transform((value, ctx): string[] => {
      const list = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      for (const origin of list) {
        let parsed: URL | undefined;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = undefined;
        }
        if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
          ctx.addIssue({ code: 'custom', message: `${origin} is not an origin like https://media.example.org` });
          return z.NEVER;
        }
      }
      return list;
    }),
  /** Emails a stranger can cause (sign-up, confirmation again, password reset), per client address per hour. */
  EMAIL_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  /** The same, per recipient address per hour (further requests are answered alike but send nothing). */
  EMAIL_LIMIT_PER_RECIPIENT: z.coerce.number().int().min(1).default(3),
  /**
   * Where traces go, over OTLP/HTTP (`http://collector:4318`; spans are posted to `<it>/v1/traces`).
   * Unset, tracing is off: no tracer provider, no instrumentation, nothing exported.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:']).optional(),
  /**
   * Where a worker serves the Temporal SDK's own metrics (task latencies, slots, polls, its client
   * calls) for Prometheus, `host:port` (e.g. `0.0.0.0:9464`, path `/metrics`). Unset, not served.
   */
  TEMPORAL_METRICS_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. 0.0.0.0:9464')
    .optional(),
  /** The workflow bundle a worker loads, when not the one `bin/workflowBundle.ts` writes (tests pass theirs). */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /**
   * Single sign-on through the state's OpenID Connect provider (issue 23): its issuer URL (metadata
   * at `<issuer>/.well-known/openid-configuration`). Unset, there is no single sign-on. With it,
   * SSO_CLIENT_ID and SSO_CLIENT_SECRET (or SSO_CLIENT_SECRET_FILE) are required.
   */
  SSO_ISSUER: url(['http:', 'https:']).optional(),
  SSO_CLIENT_ID: z.string().min(1).optional(),
  SSO_CLIENT_SECRET: z.string().min(1).optional(),
  /** MOPD's callback registered at the provider; `<PUBLIC_URL>/api/auth/sso/callback` unless set. */
  SSO_REDIRECT_URI: url(['http:', 'https:']).optional(),
  /** The provider's name on the sign-in button: "Sign in with <it>". */
  SSO_LABEL: z.string().trim().min(1).max(60).default('the state'),
  /** Who signs in through the provider: `staff` (reviewers, policy staff, inspectors, admins) or `everyone`. */
  SSO_AUDIENCE: z.enum(['staff', 'everyone']).default('staff'),
  /** Who may still sign in with a MOPD password: `all`, `not_staff` (staff only through the provider) or `none`. */
  SSO_LOCAL_PASSWORDS: z.enum(['all', 'not_staff', 'none']).default('all'),
  /** The ID token (or user info) claim listing the person's groups. */
  SSO_GROUPS_CLAIM: z.string().min(1).default('groups'),
  /** Comma-separated `amr` values that mean the provider checked a second factor (MOPD then asks for none). */
  SSO_MFA_AMR: z.string().default('mfa,otp,hwk'),
  /** Comma-separated `acr` values that mean the same; none unless set. */
  SSO_MFA_ACR: z.string().default(''),
  /** The scopes asked for; the groups claim needs whatever scope the provider releases it under. */
  SSO_SCOPES: z.string().min(1).default('openid email profile groups'),
  /**
   * How many processes bin/start (and `npm start`) runs of each on this machine. API processes
   * share API_PORT (node:cluster); behind a proxy (docker-compose) run one per container instead.
   */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  WORKER_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  MAILER_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** On SIGTERM, how long an API process lets requests in flight finish before it cuts their connections. */
  API_SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(20),
  /** On SIGTERM, how long a worker lets its running activities finish before it cancels them. */
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce.number().positive().default(45),
});

/** As read: the payment provider resolved from its environment's default when unset. */
export type Config = z.infer<typeof configSchema> & { PAYMENT_PROVIDER: 'none' | 'offline' };

export class ConfigError extends Error {}

const list = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

/** The single sign-on the API runs with, or none when SSO_ISSUER is unset. */
export function singleSignOnConfig(config: Config): SingleSignOnConfig | undefined {
  if (!config.SSO_ISSUER || !config.SSO_CLIENT_ID || !config.SSO_CLIENT_SECRET) return undefined;
  return {
    issuer: config.SSO_ISSUER,
    clientId: config.SSO_CLIENT_ID,
    clientSecret: config.SSO_CLIENT_SECRET,
    redirectUri: config.SSO_REDIRECT_URI ?? new URL('/api/auth/sso/callback', config.PUBLIC_URL).href,
    postLogoutRedirectUri: new URL('/sign-in', config.PUBLIC_URL).href,
    label: config.SSO_LABEL,
    audience: config.SSO_AUDIENCE,
    localPasswords: config.SSO_LOCAL_PASSWORDS,
    groupsClaim: config.SSO_GROUPS_CLAIM,
    mfaAmr: list(config.SSO_MFA_AMR),
    mfaAcr: list(config.SSO_MFA_ACR),
    scopes: config.SSO_SCOPES,
    allowHttp: config.NODE_ENV !== 'production' && config.SSO_ISSUER.startsWith('http:'),
  };
}

/** Reads the configuration; throws a ConfigError that names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema
    .refine((c) => c.NODE_ENV !== 'production' || !c.SESSION_SECRET.startsWith('development-only'), {
      path: ['SESSION_SECRET'],
      message: 'must be set to a secret of your own in production',
    })
    .refine((c) => c.NODE_ENV !== 'production' || !c.SECRETS_KEYS.trim().startsWith('development-only:'), {
      path: ['SECRETS_KEYS'],
      message:
        'must start with a key of your own in production (the development key may stay after it until secrets:rotate has run)',
    })
    .transform((c) => ({
      ...c,
      PAYMENT_PROVIDER: c.PAYMENT_PROVIDER ?? (c.NODE_ENV === 'production' ? ('none' as const) : ('offline' as const)),
    }))
    // The offline provider marks fees paid for anyone who clicks: never in production by accident.
    .refine(
      (c) => c.NODE_ENV !== 'production' || c.PAYMENT_PROVIDER !== 'offline' || c.ALLOW_OFFLINE_PAYMENTS_IN_PRODUCTION,
      {
        path: ['PAYMENT_PROVIDER'],
        message:
          'offline takes no money and lets anyone mark a fee paid; in production set ALLOW_OFFLINE_PAYMENTS_IN_PRODUCTION=true to run it anyway',
      },
    )
    .refine((c) => !c.SSO_ISSUER || (c.SSO_CLIENT_ID !== undefined && c.SSO_CLIENT_SECRET !== undefined), {
      path: ['SSO_CLIENT_ID'],
      message: 'SSO_CLIENT_ID and SSO_CLIENT_SECRET (or SSO_CLIENT_SECRET_FILE) must be set with SSO_ISSUER',
    })
    .refine((c) => c.NODE_ENV !== 'production' || !c.SSO_ISSUER || c.SSO_ISSUER.startsWith('https:'), {
      path: ['SSO_ISSUER'],
      message: 'must be an https:// URL in production',
    })
    .refine(
      (c) => c.NODE_ENV !== 'production' || c.PAYMENT_PROVIDER === 'none' || c.PAYMENT_WEBHOOK_SECRET !== undefined,
      {
        path: ['PAYMENT_WEBHOOK_SECRET'],
        message: 'must be set in production when a payment provider is',
      },
    )
    .safeParse(withVariablesFromFiles(env));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
}
