/** Maps every error to one HTTP answer. A 500 is a bug: it is logged with the request id. */
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from 'pino';
import { DomainError, type DomainErrorType } from '../services/errors.js';

const STATUS: Record<DomainErrorType, number> = {
  NotFound: 404,
  Invalid: 400,
  Conflict: 409,
  Forbidden: 403,
  Unauthenticated: 401,
  TooManyRequests: 429,
  TooLarge: 413,
  Unavailable: 503,
};

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: {
    type: DomainErrorType | 'Internal';
    message: string;
    fields?: FieldProblem[];
    requestId?: string;
    retryAfterSeconds?: number;
  };
}

/** The fields of a PostgreSQL error this handler reads. Its `detail` is never among them. */
interface PostgresError {
  code?: string;
  message?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const words = (snake: string) => snake.replace(/_id\b/g, '').replace(/_/g, ' ').trim();

/**
 * The column a constraint is about, from its name: `users_email_unique` names `email` (knex's
 * `<table>_<columns>_unique|_foreign`, PostgreSQL's `_pkey|_fkey|_key`, our `_check|_known`).
 * Undefined for a name that states a rule rather than a column (`users_mfa_has_secret`).
 */
function columnOfConstraint(error: PostgresError, suffixes: RegExp): string | undefined {
  if (error.column) return error.column;
  let name = error.constraint;
  if (!name || !suffixes.test(name)) return undefined;
  if (error.table && name.startsWith(`${error.table}_`)) name = name.slice(error.table.length + 1);
  return name.replace(suffixes, '') || undefined;
}

/**
 * Constraint violations become a field and a sentence. PostgreSQL's `detail` is never passed on:
 * it holds the values of the row ("Key (lower(email))=(someone@else.org) already exists", "Failing
 * row contains (…)" with every column, hashes included), which can be another person's (issue 16).
 */
function fromPostgres(error: PostgresError): DomainError | undefined {
  switch (error.code) {
    case '23505': {
      const column = columnOfConstraint(error, /_(unique|key|pkey)$/);
      return column
        ? new DomainError('Conflict', `Another record already has this ${words(column)}`, camel(column))
        : new DomainError('Conflict', 'That record already exists');
    }
    case '23503': {
      // The message (names only, no values) tells a missing reference from a removal of a row
      // others still refer to; the constraint then names the referring table's column.
      if (/^update or delete on table/.test(error.message ?? '')) {
        return new DomainError(
          'Conflict',
          'Other records still refer to this one, so it cannot be removed or renumbered',
        );
      }
      const column = columnOfConstraint(error, /_(foreign|fkey)$/);
      return column
        ? new DomainError('Invalid', `The ${words(column)} given does not exist`, camel(column))
        : new DomainError('Invalid', 'A referenced record does not exist');
    }
    case '23514': {
      const column = columnOfConstraint(error, /_(check|known)$/);
      const rule = error.constraint ? ` ${error.constraint.replace(/_/g, ' ')}` : '';
      return new DomainError('Invalid', `The values break the rule${rule}`, column && camel(column));
    }
    case '23502':
      return error.column
        ? new DomainError('Invalid', `A value for ${words(error.column)} is required`, camel(error.column))
        : new DomainError('Invalid', 'A required value is missing');
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return new DomainError('Invalid', 'A value is not of the expected form');
    // Backstops for text a schema let through: too long for its column or index, or holding a
    // character PostgreSQL cannot store (NUL). Found by the bad-input suite.
    case '22001':
    case '54000':
      return new DomainError('Invalid', 'A value is too long');
    case '22021':
    case '22P05':
      return new DomainError('Invalid', 'A value holds a character that cannot be stored (such as NUL)');
    default:
      return undefined;
  }
}

/** Network errors of a connection to PostgreSQL, Redis or Temporal that is refused, reset or timed out. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
/**
 * PostgreSQL errors of a server that is restarting or unreachable: class 08 (connection exception),
 * 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down).
 */
const isPostgresUnavailable = (code: string) =>
  code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
/** Messages of node-postgres and knex for a connection lost or never had. */
const LOST_CONNECTION =
  /Connection terminated|Client has encountered a connection error|connection is closed|Knex: Timeout acquiring a connection/i;

/** True when the error says a dependency is away for now (the request may succeed if retried), not that the request is wrong. */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const { code, name, message, cause, errors } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isPostgresUnavailable(code))) return true;
  if (name === 'TransportError' || name === 'KnexTimeoutError') return true;
  if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
  // An AggregateError (a host with several addresses) or an error wrapping the network failure.
  if (Array.isArray(errors) && errors.some((e) => isUnavailable(e, depth + 1))) return true;
  return isUnavailable(cause, depth + 1);
}

/** Seconds a client should wait before retrying a request that met an outage. */
export const RETRY_AFTER_SECONDS = 5;

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const requestId = String(req.headers['x-request-id'] ?? res.getHeader('x-request-id') ?? '');
    let body: ErrorBody;
    let status: number;
    if (error instanceof ZodError) {
      status = 400;
      // An unknown key is named as the field at fault, not the object holding it.
      const fields = error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({
              field: [...issue.path, key].join('.'),
              message: 'is not a field this request takes',
            }))
          : [{ field: issue.path.join('.') || '(body)', message: issue.message }],
      );
      body = { error: { type: 'Invalid', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields } };
    } else if ((error as { type?: string }).type === 'entity.too.large') {
      status = 413;
      body = { error: { type: 'TooLarge', message: 'The request body is too large (at most 100 kB)' } };
    } else if ((error as { code?: string }).code === 'CSRF') {
      status = 403;
      body = { error: { type: 'Forbidden', message: (error as Error).message } };
    } else if (error instanceof URIError) {
      // Express could not decode a path parameter (a broken percent-encoding): the caller's fault. Found by the bad-input suite.
      status = 400;
      const message = `The address holds a broken percent-encoding: ${error.message}`;
      body = { error: { type: 'Invalid', message, fields: [{ field: '(path)', message }] } };
    } else if ((error as { type?: string }).type === 'entity.parse.failed') {
      status = 400;
      body = { error: { type: 'Invalid', message: 'The request body is not valid JSON' } };
    } else {
      const domain = error instanceof DomainError ? error : fromPostgres(error as never);
      if (domain) {
        status = STATUS[domain.type];
        body = {
          error: {
            type: domain.type,
            message: domain.message,
            ...(domain.field ? { fields: [{ field: domain.field, message: domain.message }] } : {}),
          },
        };
        if (status === 503) {
          res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
          body.error.retryAfterSeconds = RETRY_AFTER_SECONDS;
        }
      } else if (isUnavailable(error)) {
        status = 503;
        res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
        body = {
          error: {
            type: 'Unavailable',
            message: `A service the system depends on is not answering; try again in ${RETRY_AFTER_SECONDS} seconds`,
            retryAfterSeconds: RETRY_AFTER_SECONDS,
          },
        };
        logger.warn({ err: error, requestId }, 'dependency unavailable');
      } else {
        status = 500;
        body = {
          error: { type: 'Internal', message: 'Something went wrong on our side; it has been logged', requestId },
        };
        logger.error({ err: error, requestId, method: req.method, url: req.originalUrl }, 'unhandled error');
      }
    }
    res.status(status).json(body);
  };
}
