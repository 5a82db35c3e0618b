// Adds one route of a table to an OpenAPI registry: path, parameters, body, the success answer
// and the one error body, the bearer scheme on token routes, and the first documented example.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { ErrorBodySchema } from '../../wire/http/errors.ts';
import type { RouteSpec } from '../../wire/http/route.ts';

type OpenAPIRegistry = OpenAPIHono['openAPIRegistry'];

const registered = new WeakSet<OpenAPIRegistry>();

export function registerOpenApi(registry: OpenAPIRegistry, id: string, spec: RouteSpec): void {
  if (!registered.has(registry)) {
    registered.add(registry);
    registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  }
  const example = spec.examples?.find((e) => e.response !== undefined)?.response;
  const bodyExample = spec.examples?.find((e) => e.body !== undefined)?.body;
  const mediaType = spec.format === 'text' ? 'text/plain' : 'application/json';
  const errors = { content: { 'application/json': { schema: ErrorBodySchema } } };
  registry.registerPath({
    operationId: id,
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tags: spec.tags ? [...spec.tags] : undefined,
    security: spec.auth === 'token' ? [{ bearerAuth: [] }] : undefined,
    request: {
      params: spec.params as z.ZodObject | undefined,
      query: spec.query as z.ZodObject | undefined,
      body: spec.body ? { content: { 'application/json': { schema: spec.body, ...(bodyExample !== undefined ? { example: bodyExample } : {}) } } } : undefined,
    },
    responses: {
      [spec.status]: { description: spec.summary, content: { [mediaType]: { schema: spec.response, ...(example !== undefined ? { example } : {}) } } },
      400: { description: 'Invalid input: `issues` lists every problem', ...errors },
      ...(spec.auth === 'token' ? { 401: { description: 'No token presented', ...errors }, 403: { description: 'Wrong token', ...errors } } : {}),
      default: { description: 'Error', ...errors },
    },
  });
}
