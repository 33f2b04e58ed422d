import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import { pingDatabase, type Db } from '../../db/connection.js';
import type { TemporalGateway } from '../../services/workflowClient.js';
import { RETRY_AFTER_SECONDS } from '../errors.js';
import { z } from 'zod';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';

export interface HealthDeps {
  db: Db;
  redis: Redis;
  temporal: TemporalGateway;
  /** Checks the SMTP server the mailer sends through. */
  smtp: () => Promise<unknown>;
  /** Unlocks the detail of /health for monitoring as `Authorization: Bearer <token>` (HEALTH_TOKEN); unset, only admins see it. */
  token?: string;
}

async function probe(
  check: () => Promise<unknown>,
  timeoutMs = 3000,
): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

const dependencySchema = z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() });
const detailSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  dependencies: z.object({
    postgres: dependencySchema,
    redis: dependencySchema,
    temporal: dependencySchema,
    smtp: dependencySchema,
  }),
});
type Detail = z.infer<typeof detailSchema>;

/** Each dependency probed: whether it answers, how fast, and its error (host names, ports) when not. */
export async function checkDependencies(deps: HealthDeps): Promise<Detail> {
  const [postgres, redis, temporal, smtp] = await Promise.all([
    probe(() => pingDatabase(deps.db)),
    probe(() => deps.redis.ping()),
    probe(() => deps.temporal.ping()),
    probe(deps.smtp),
  ]);
  const dependencies = { postgres, redis, temporal, smtp };
  return { status: Object.values(dependencies).every((d) => d.ok) ? 'ok' : 'degraded', dependencies };
}

/** Compared as hashes of equal length, so the time taken says nothing about the token. */
function tokenMatches(header: string, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header.trim())?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * 200 when every dependency answers, 503 when one does not. Anyone is told only up or down (a
 * stranger learns nothing about the machinery behind, issue 16); monitoring with the bearer token
 * gets each dependency's state, timing and error, as admins do at /api/admin/health.
 */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const authorization = req.headers.authorization;
    if (authorization !== undefined && !(deps.token && tokenMatches(authorization, deps.token))) {
      res.setHeader('www-authenticate', 'Bearer');
      res.status(401).json({ error: { type: 'Unauthenticated', message: 'That health token is not right' } });
      return;
    }
    const detail = await checkDependencies(deps);
    const ok = detail.status === 'ok';
    // A load balancer or client polling health is told when to look again, as every 503 does.
    if (!ok) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    res.status(ok ? 200 : 503).json(authorization !== undefined ? detail : { status: ok ? 'up' : 'down' });
  });
  return router;
}

/** The detail of /health for admins (the same probes), always answered 200 with the state inside. */
export function adminHealthRoutes(deps: HealthDeps): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/admin/health',
      summary: "Each dependency's state, timing and error (what /health tells monitoring with its token)",
      tags: ['admin'],
      policy: policies.admin('Admins'),
      response: detailSchema,
      handle: async () => checkDependencies(deps),
    }),
  ];
}

/**
 * A constant answer through the whole API middleware stack (session, CSRF, route declaration) and
 * nothing else: the floor the load test (test/bench/load.ts) measures every other path beside.
 */
export function pingRoutes(): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/api/ping',
      summary: 'A constant small answer, touching no dependency (the floor of the load test)',
      tags: ['health'],
      policy: policies.public('Anyone'),
      response: z.object({ pong: z.literal(true) }),
      handle: async () => ({ pong: true }),
    }),
  ];
}
