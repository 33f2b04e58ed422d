import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/connection.js';
import type { TemporalGateway } from '../temporal.js';
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
}

async function probe(check: () => Promise<unknown>, timeoutMs = 3000): Promise<{ ok: boolean; ms: number; error?: string }> {
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

/** Reports each dependency; 200 when all answer, 503 naming the ones that do not. */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const [postgres, redis, temporal, smtp] = await Promise.all([
      probe(() => deps.db.raw('SELECT 1')),
      probe(() => deps.redis.ping()),
      probe(() => deps.temporal.ping()),
      probe(deps.smtp),
    ]);
    const dependencies = { postgres, redis, temporal, smtp };
    const ok = Object.values(dependencies).every((d) => d.ok);
    // A load balancer or client polling health is told when to look again, as every 503 does.
    if (!ok) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', dependencies });
  });
  return router;
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
