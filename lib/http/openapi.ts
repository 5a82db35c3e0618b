// The OpenAPI 3.0 document of a route table: per route its path, parameters, body, the success
// answer and the one error body, the bearer scheme on token routes, and the first documented
// example. Built with @asteasolutions/zod-to-openapi, loaded only when a client first asks for
// the document: a node daemon that is never asked never evaluates the generator (memory).
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { ErrorBodySchema } from '../../wire/http/errors.ts';
import type { RouteSpec, RouteTable } from '../../wire/http/route.ts';

export interface DocumentInfo {
  title: string;
  version: string;
  description?: string;
}

function registerRoute(registry: OpenAPIRegistry, id: string, spec: RouteSpec): void {
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

/** The document of `table` (a plain JSON-able object). */
export async function openApiDocument(table: RouteTable, info: DocumentInfo): Promise<unknown> {
  const { OpenAPIRegistry, OpenApiGeneratorV3 } = await import('@asteasolutions/zod-to-openapi');
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  for (const [id, spec] of Object.entries(table)) registerRoute(registry, id, spec);
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: info.title, version: info.version, ...(info.description !== undefined ? { description: info.description } : {}) },
  });
}
