/** Maps every error to one HTTP answer. A 500 is a bug: it is logged with the request id. */
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from 'pino';
import { DomainError, type DomainErrorType } from '../activities/errors.js';

const STATUS: Record<DomainErrorType, number> = { NotFound: 404, Invalid: 400, Conflict: 409, Forbidden: 403, Unauthenticated: 401, TooManyRequests: 429, TooLarge: 413, Unavailable: 503 };

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: { type: DomainErrorType | 'Internal'; message: string; fields?: FieldProblem[]; requestId?: string };
}

function fromPostgres(error: { code?: string; detail?: string; constraint?: string }): DomainError | undefined {
  switch (error.code) {
    case '23505':
      return new DomainError('Conflict', error.detail ?? 'That record already exists');
    case '23503':
      return new DomainError('Invalid', error.detail ?? 'A referenced record does not exist');
    case '23514':
      return new DomainError('Invalid', `The values break the rule ${error.constraint ?? 'of this record'}`);
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return new DomainError('Invalid', 'A value is not of the expected form');
    default:
      return undefined;
  }
}

const isUnavailable = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNREFUSED' || code === '57P01' || code === '57P03' || (error as Error).name === 'TransportError';
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const requestId = String(req.headers['x-request-id'] ?? res.getHeader('x-request-id') ?? '');
    let body: ErrorBody;
    let status: number;
    if (error instanceof ZodError) {
      status = 400;
      const fields = error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message }));
      body = { error: { type: 'Invalid', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields } };
    } else if ((error as { type?: string }).type === 'entity.too.large') {
      status = 413;
      body = { error: { type: 'TooLarge', message: 'The request body is too large (at most 100 kB)' } };
    } else if ((error as { code?: string }).code === 'CSRF') {
      status = 403;
      body = { error: { type: 'Forbidden', message: (error as Error).message } };
    } else if ((error as { type?: string }).type === 'entity.parse.failed') {
      status = 400;
      body = { error: { type: 'Invalid', message: 'The request body is not valid JSON' } };
    } else {
      const domain = error instanceof DomainError ? error : fromPostgres(error as never);
      if (domain) {
        status = STATUS[domain.type];
        body = { error: { type: domain.type, message: domain.message, ...(domain.field ? { fields: [{ field: domain.field, message: domain.message }] } : {}) } };
      } else if (isUnavailable(error)) {
        status = 503;
        res.setHeader('retry-after', '5');
        body = { error: { type: 'Unavailable', message: 'A service the system depends on is not answering; try again shortly' } };
        logger.warn({ err: error, requestId }, 'dependency unavailable');
      } else {
        status = 500;
        body = { error: { type: 'Internal', message: 'Something went wrong on our side; it has been logged', requestId } };
        logger.error({ err: error, requestId, method: req.method, url: req.originalUrl }, 'unhandled error');
      }
    }
    res.status(status).json(body);
  };
}
