/**
 * The production entry points (bin/api.ts, bin/mailer.ts) as child processes of a test, configured
 * through their environment as a deployment would, so a test can signal them the way an
 * orchestrator does (SIGTERM, then wait) and run several against the same services. Also a
 * round-robin HTTP proxy standing in for Caddy in front of several API processes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../bin/tools.js';

/** The key test/support/app.ts seals TOTP secrets with, so users made by aUser() can sign in. */
export const TEST_SECRETS_KEYS = `test:${Buffer.alloc(32, 7).toString('base64')}`;

export interface ProcessServices {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  smtpUrl?: string;
  mailQueuePrefix?: string;
  uploadDir?: string;
  redisUrl?: string;
}

/** The environment of an app process on the test's services: as production reads it, with test secrets. */
export function processEnvironment(services: ProcessServices, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    TEMPORAL_ADDRESS: services.temporalAddress,
    TEMPORAL_TASK_QUEUE: services.taskQueue,
    SMTP_URL: services.smtpUrl ?? 'smtp://127.0.0.1:1',
    MAIL_QUEUE_PREFIX: services.mailQueuePrefix ?? 'mopd-test',
    UPLOAD_DIR: services.uploadDir ?? '.data/test-uploads',
    SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema',
    SECRETS_KEYS: TEST_SECRETS_KEYS,
    PUBLIC_URL: 'http://mopd.test',
    // Requests come through a proxy (the test's, or Caddy in production) that says who asked.
    TRUST_PROXY: '1',
    EMAIL_LIMIT_PER_ADDRESS: '10000',
    EMAIL_LIMIT_PER_RECIPIENT: '10000',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export interface AppProcess {
  child: ChildProcess;
  /** Resolves once the process's output matches `pattern` (its log lines, stdout and stderr). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Everything the process wrote so far (the last 200 lines). */
  output(): string;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits until the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `bin/<entry>.ts` through tsx as one process (so a signal reaches the program itself). */
export function startAppProcess(entry: 'api' | 'mailer' | 'worker', env: NodeJS.ProcessEnv): AppProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `bin/${entry}.ts`], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; resolve: () => void }>();
  const take = (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 200));
    for (const waiter of waiters)
      if (waiter.pattern.test(chunk)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
  };
  child.stdout!.setEncoding('utf8').on('data', take);
  child.stderr!.setEncoding('utf8').on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => lines.join('\n'),
    exited,
    waitForOutput(pattern, timeoutMs = 90_000) {
      if (pattern.test(lines.join('\n'))) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = { pattern, resolve };
        waiters.add(waiter);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(`bin/${entry}.ts did not print ${pattern} within ${timeoutMs / 1000} s:\n${lines.join('\n')}`),
          );
        }, timeoutMs);
        void exited.then(({ code, signal }) => {
          if (!waiters.has(waiter)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(
            new Error(`bin/${entry}.ts exited (${code ?? signal}) before printing ${pattern}:\n${lines.join('\n')}`),
          );
        });
        const done = waiter.resolve;
        waiter.resolve = () => {
          clearTimeout(timer);
          done();
        };
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** An API process (bin/api.ts) on `port`; resolves once it listens. */
export async function startApiProcess(
  services: ProcessServices,
  port: number,
  timeoutMs = 90_000,
): Promise<AppProcess> {
  const api = startAppProcess('api', processEnvironment(services, { API_PORT: String(port) }));
  try {
    await api.waitForOutput(/API listening/, timeoutMs);
  } catch (error) {
    await api.stop('SIGKILL');
    throw error;
  }
  return api;
}

/** The mail process (bin/mailer.ts): relay and mailer; resolves once both run. */
export async function startMailerProcess(services: ProcessServices, timeoutMs = 90_000): Promise<AppProcess> {
  const mailer = startAppProcess('mailer', processEnvironment(services));
  try {
    await mailer.waitForOutput(/relay and mailer running/, timeoutMs);
  } catch (error) {
    await mailer.stop('SIGKILL');
    throw error;
  }
  return mailer;
}

export interface RoundRobinProxy {
  server: http.Server;
  /** Answers per status code, and per backend, of every request the proxy passed on. */
  statuses: Map<number, number>;
  perBackend: number[];
  /** Requests the proxy could not pass on (the backend refused or dropped them). */
  failures: string[];
  close(): Promise<void>;
}

/**
 * A reverse proxy on a loopback port passing each request to the next of `ports` in turn, as
 * Caddy spreads requests over the API replicas; it says who asked with X-Forwarded-For
 * (`clientAddress`, so a test's sign-in limit counts are its own).
 */
export async function roundRobinProxy(ports: number[], clientAddress: string): Promise<RoundRobinProxy> {
  const agent = new http.Agent({ keepAlive: true });
  const statuses = new Map<number, number>();
  const perBackend = ports.map(() => 0);
  const failures: string[] = [];
  let turn = 0;
  const server = http.createServer((req, res) => {
    const backend = turn++ % ports.length;
    perBackend[backend]!++;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: ports[backend],
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': clientAddress },
        agent,
      },
      (answer) => {
        statuses.set(answer.statusCode!, (statuses.get(answer.statusCode!) ?? 0) + 1);
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      failures.push(`${req.method} ${req.url} via :${ports[backend]}: ${error.message}`);
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    server,
    statuses,
    perBackend,
    failures,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}

export const portOf = (server: http.Server) => (server.address() as AddressInfo).port;
