/**
 * Every API route is declared here-through: method, path, schemas, access policy and handler in
 * one value. Mounting a declaration wires, in order: sign-in check (401), MFA enrollment check,
 * role check (403), input parsing (400), scope check (404), then the handler. The same list
 * produces the OpenAPI document and drives the test that walks every route for every role.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { DomainError } from '../../services/errors.js';
import { assertPlainInput } from '../input.js';
import type { Policy, PublicPolicy } from './policies.js';
import type { Principal } from './principal.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who calls: a public route may be called by nobody in particular; any other route only after sign-in. */
export type PrincipalFor<Pol extends Policy> = Pol extends PublicPolicy ? Principal | undefined : Principal;

export interface RouteInput<P, Q, B, Pr extends Principal | undefined = Principal | undefined> {
  params: P;
  query: Q;
  body: B;
  /** Present whenever the policy requires sign-in: `checkRoles` answered 401 otherwise. */
  principal: Pr;
  req: Request;
  res: Response;
  requestId: string;
}

export interface RouteDefinition<
  P = unknown,
  Q = unknown,
  B = unknown,
  Pr extends Principal | undefined = Principal | undefined,
> {
  method: Method;
  /** Express path, e.g. '/api/professionals/:id'. */
  path: string;
  summary: string;
  tags: string[];
  policy: Policy;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * The JSON answer's schema, as the client reads it (after serialisation: dates are strings). It
   * draws the OpenAPI response and the UI's types (api/contract.ts), and with `validateResponses`
   * on (tests) every answer is checked against it. `noContent` when the route answers 204.
   */
  response?: z.ZodType;
  /** A route that answers a file, a stream or a redirect instead of JSON: its content type. */
  produces?: string;
  /** Success status; 200 unless said. */
  status?: number;
  /** Middleware that runs after the access checks and before parsing (e.g. a multipart parser). */
  before?: RequestHandler[];
  handle(input: RouteInput<P, Q, B, Pr>): Promise<unknown>;
}

/**
 * Keeps the handler's input types tied to its schemas, and its principal to its policy: a handler
 * behind sign-in gets a `Principal`, a public one `Principal | undefined`.
 */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined, Pol extends Policy = Policy>(
  definition: Omit<RouteDefinition<P, Q, B, PrincipalFor<Pol>>, 'policy'> & { policy: Pol },
): RouteDefinition {
  return definition as unknown as RouteDefinition;
}

export { noContent } from '../responses/json.js';

/** A route answered with something its response schema does not describe: a bug, so a 500. */
export class ResponseContractError extends Error {
  constructor(route: string, issues: z.core.$ZodIssue[]) {
    super(
      `Response of ${route} does not match its schema: ${issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
    );
    this.name = 'ResponseContractError';
  }
}

/** Checks an answer against its route's schema, as the client would read it (JSON, dates as strings). */
export function checkResponse(definition: RouteDefinition, result: unknown): void {
  // A route without a schema is caught by the route-walk test that asks every route for one.
  if (!definition.response) return;
  const json: unknown = result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  const parsed = definition.response.safeParse(json);
  if (!parsed.success)
    throw new ResponseContractError(`${definition.method.toUpperCase()} ${definition.path}`, parsed.error.issues);
}

export interface MountOptions {
  /** Check every JSON answer against its route's response schema (tests; off in production). */
  validateResponses?: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The role part of a policy: 401 when nobody is signed in, 403 when the roles do not fit. */
export function checkRoles(policy: Policy, principal: Principal | undefined): void {
  if (policy.roles === 'public') return;
  if (!principal) throw new DomainError('Unauthenticated', 'Sign in to continue');
  if (principal.mfaEnrollmentRequired && !policy.duringMfaEnrollment) {
    throw new DomainError('Forbidden', 'Your role requires two-step sign-in: set it up before continuing');
  }
  if (policy.roles === 'any') return;
  if (!policy.roles.some((role) => principal.roles.includes(role))) {
    throw new DomainError('Forbidden', 'Your roles do not allow this');
  }
}

export function mountRoutes(router: Router, db: Db, definitions: RouteDefinition[], options: MountOptions = {}): void {
  for (const definition of definitions) {
    const guard: RequestHandler = (req, _res, next) => {
      checkRoles(definition.policy, req.principal);
      next();
    };
    const handler: RequestHandler = async (req, res) => {
      assertPlainInput(req.params);
      assertPlainInput(req.query);
      assertPlainInput(req.body);
      const params = definition.params ? definition.params.parse(req.params) : {};
      const query = definition.query ? definition.query.parse(req.query) : {};
      const body = definition.body ? definition.body.parse(req.body ?? {}) : undefined;
      if (definition.policy.scope && req.principal) {
        const allowed = await definition.policy.scope({
          db,
          principal: req.principal,
          params: params as Record<string, unknown>,
          query: query as Record<string, unknown>,
          body,
        });
        if (!allowed) throw new DomainError('NotFound', 'Not found, or not yours to see');
      }
      const result = await definition.handle({
        params,
        query,
        body,
        principal: req.principal,
        req,
        res,
        requestId: String(res.getHeader('x-request-id') ?? ''),
      });
      if (res.headersSent) return;
      if (options.validateResponses) checkResponse(definition, result);
      const status = definition.status ?? 200;
      if (result === undefined) res.status(status === 200 ? 204 : status).end();
      else res.status(status).json(result);
    };
    router[definition.method](definition.path, guard, ...(definition.before ?? []), handler);
  }
}
