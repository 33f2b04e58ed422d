/**
 * One structured line per request, written when the answer has gone: method, route pattern, status,
 * duration, who asked and the request id (and, at the top level, the request id and trace id every
 * line written during the request carries). Nothing a request carries in its headers, body or query
 * is logged (passwords, tokens in links, the Authorization header, cookies): the route pattern
 * stands for the path where a route answered, so a token in the path (`/api/auth/reset/:token`)
 * stays out too, and an unanswered path is logged without its query.
 */
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { routeOf } from './metrics.js';
import { logContext } from '../services/logContext.js';

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // The request's id and trace as they are now: the answer may finish outside the request's context.
    const where = logContext();
    res.once('finish', () => {
      const route = routeOf(req);
      logger.info(
        {
          ...where,
          access: {
            method: req.method,
            route,
            ...(route === 'unmatched' ? { path: req.originalUrl.split('?')[0] } : {}),
            status: res.statusCode,
            durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
            userId: req.principal?.userId ?? null,
            requestId: res.getHeader('x-request-id') ?? null,
          },
        },
        'request',
      );
    });
    next();
  };
}
