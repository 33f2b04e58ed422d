/** The Express application, built from its dependencies so tests run the real thing. */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import type { TemporalGateway } from './temporal.js';
import { errorHandler } from './errors.js';
import { healthRouter } from './routes/health.js';
import { employmentsRouter } from './routes/employments.js';
import { trainingRecordsRouter } from './routes/trainingRecords.js';
import { professionalsRouter } from './routes/professionals.js';
import { DomainError } from '../activities/errors.js';

export interface AppDeps {
  db: Db;
  redis: Redis;
  temporal: TemporalGateway;
  smtpCheck: () => Promise<unknown>;
  logger: Logger;
  /** The built single-page app to serve, if any. */
  uiDist?: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    res.setHeader('x-request-id', typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID());
    next();
  });
  app.use(express.json({ limit: '100kb' }));

  app.use('/health', healthRouter({ db: deps.db, redis: deps.redis, temporal: deps.temporal, smtp: deps.smtpCheck }));
  app.use('/api/professionals', professionalsRouter({ db: deps.db }));
  app.use('/api/employments', employmentsRouter({ db: deps.db, temporal: deps.temporal }));
  app.use('/api/training-records', trainingRecordsRouter({ db: deps.db, temporal: deps.temporal, logger: deps.logger }));
  app.use('/api', (req) => {
    throw new DomainError('NotFound', `No API route ${req.method} ${req.originalUrl}`);
  });

  if (deps.uiDist && fs.existsSync(path.join(deps.uiDist, 'index.html'))) {
    const index = path.join(deps.uiDist, 'index.html');
    app.use(express.static(deps.uiDist, { index: false, maxAge: '1h' }));
    // Every other GET is a page of the single-page app.
    app.get('/{*page}', (_req, res) => res.sendFile(index));
  }

  app.use(errorHandler(deps.logger));
  return app;
}
