import express from 'express';
import request from 'supertest';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { policies } from '../../api/access/policies.js';
import { mountRoutes, noContent, route, type RouteDefinition } from '../../api/access/routes.js';
import { errorHandler } from '../../api/errors.js';
import { isoDateTime } from '../../api/responses/json.js';

const answer = z.object({ id: z.number(), name: z.string(), createdAt: isoDateTime });

function appAnswering(result: unknown, validateResponses: boolean, response: RouteDefinition['response'] = answer) {
  const lines: { msg: string; err?: { message?: string } }[] = [];
  const logger = pino(
    { level: 'error' },
    { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) },
  );
  const app = express();
  const router = express.Router();
  mountRoutes(
    router,
    {} as Db,
    [
      route({
        method: 'get',
        path: '/thing',
        summary: 'A thing',
        tags: [],
        policy: policies.public('Anyone'),
        response,
        handle: async () => result,
      }),
    ],
    { validateResponses },
  );
  app.use(router);
  app.use(errorHandler(logger));
  return { app, lines };
}

describe('the response contract', () => {
  it('passes an answer of the declared shape, dates as the JSON strings the client reads', async () => {
    const { app } = appAnswering({ id: 1, name: 'Safe sleep', createdAt: new Date('2026-12-07T12:00:00Z') }, true);
    const response = await request(app).get('/thing');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 1, name: 'Safe sleep', createdAt: '2026-12-07T12:00:00.000Z' });
  });

  it('turns an answer of the wrong shape into a 500 with a log line naming the field, when checking', async () => {
    const { app, lines } = appAnswering({ id: '1', name: 'Safe sleep', createdAt: new Date() }, true);
    const response = await request(app).get('/thing');
    expect(response.status).toBe(500);
    expect(response.body.error.type).toBe('Internal');
    expect(lines.map((line) => line.err?.message).join('\n')).toMatch(/GET \/thing.*id:/);
  });

  it('refuses an answer missing a field the schema requires', async () => {
    const { app } = appAnswering({ id: 1, createdAt: new Date() }, true);
    expect((await request(app).get('/thing')).status).toBe(500);
  });

  it('refuses an answer to a route declared to return nothing', async () => {
    const { app } = appAnswering({ id: 1 }, true, noContent);
    expect((await request(app).get('/thing')).status).toBe(500);
  });

  it('answers as before when checking is off, as in production', async () => {
    const { app } = appAnswering({ id: '1' }, false);
    const response = await request(app).get('/thing');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: '1' });
  });
});
