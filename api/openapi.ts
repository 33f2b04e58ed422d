/** The OpenAPI document, generated from the same route declarations and zod schemas that validate requests. */
import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteDefinition } from './access/routes.js';
import { noContent } from './responses/json.js';

const errorBody = z.object({
  error: z.object({
    type: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  }),
});

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/**
 * The success answers of a route, from its response schema: JSON of that shape, 204 when it
 * returns nothing (or may), and for a route that produces a file, its content types.
 */
function successOf(d: RouteDefinition): Record<number, ResponseConfig> {
  const status = d.status ?? 200;
  const done = { 204: { description: 'Done, nothing to return' } };
  const json =
    d.response === noContent
      ? undefined
      : d.response instanceof z.ZodOptional
        ? (d.response.unwrap() as z.ZodType)
        : d.response;
  const content: NonNullable<ResponseConfig['content']> = {};
  if (json) content['application/json'] = { schema: json };
  for (const type of (d.produces ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t && t !== 'application/json')) {
    content[type] = { schema: { type: 'string', format: 'binary' } };
  }
  const success = Object.keys(content).length ? { [status]: { description: 'Success', content } } : {};
  const nothing =
    d.response === noContent ||
    (d.response instanceof z.ZodOptional && !d.produces) ||
    (!d.response && !d.produces && d.method !== 'get')
      ? done
      : {};
  return { ...success, ...nothing };
}

export function openApiDocument(definitions: RouteDefinition[], serverUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'mopd.sid' });
  registry.registerComponent('securitySchemes', 'csrf', { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
  for (const d of definitions) {
    const isPublic = d.policy.roles === 'public';
    const changes = d.method !== 'get';
    const request: RouteConfig['request'] = {};
    if (d.params) request.params = d.params as never;
    if (d.query) request.query = d.query as never;
    if (d.body) {
      const type = d.path === '/api/uploads' ? 'multipart/form-data' : 'application/json';
      request.body = { required: true, content: { [type]: { schema: d.body } } };
    }
    registry.registerPath({
      method: d.method,
      path: openApiPath(d.path),
      summary: d.summary,
      description: `Who may call it: ${d.policy.describe}.`,
      tags: d.tags,
      ...(isPublic ? {} : { security: [changes ? { session: [], csrf: [] } : { session: [] }] }),
      request,
      responses: {
        ...successOf(d),
        400: { description: 'Bad input: each field and why', content: { 'application/json': { schema: errorBody } } },
        ...(isPublic
          ? {}
          : {
              401: { description: 'Not signed in', content: { 'application/json': { schema: errorBody } } },
              403: {
                description: 'Not allowed for your roles, or CSRF token missing',
                content: { 'application/json': { schema: errorBody } },
              },
            }),
        404: { description: 'Not found, or not yours to see', content: { 'application/json': { schema: errorBody } } },
        409: {
          description: 'Conflicts with the current state',
          content: { 'application/json': { schema: errorBody } },
        },
        413: { description: 'Body too large', content: { 'application/json': { schema: errorBody } } },
        429: { description: 'Too many attempts', content: { 'application/json': { schema: errorBody } } },
        503: {
          description: 'A dependency is down; retry later',
          content: { 'application/json': { schema: errorBody } },
        },
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'MOPD API',
      version: '0.2.0',
      description: 'Case management for the childhood-care workforce registry.',
    },
    servers: [{ url: serverUrl }],
  });
}
