// The OpenAPI documents, built from the route tables by zod-to-openapi: per route the
// operation id, summary, security (token routes only), path and query parameters as the
// schemas name them, a JSON request body where the route takes one, the success answer in its
// media type, the one error body, and the documented examples; served at docPath (HEAD too).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteSpec, RouteTable } from '../../wire/http/route.ts';
import { nodeRoutes, NODE_INVALID_CODES } from '../../wire/node-routes.ts';
import { serverRoutes, SERVER_INVALID_CODES } from '../../wire/server-routes.ts';
import { openApiDocument } from './openapi.ts';
import { createRouter, type Handlers } from './router.ts';

interface Operation {
  operationId: string;
  summary: string;
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> }; example?: unknown }> }>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

const shapeKeys = (schema: unknown) => Object.keys((schema as { shape?: Record<string, unknown> } | undefined)?.shape ?? {}).sort();

function checkOperation(id: string, spec: RouteSpec, op: Operation): void {
  assert.equal(op.operationId, id);
  assert.equal(op.summary, spec.summary);
  assert.deepEqual(op.security, spec.auth === 'token' ? [{ bearerAuth: [] }] : undefined, `${id}: security`);
  const params = op.parameters ?? [];
  const inPath = params.filter((p) => p.in === 'path');
  assert.deepEqual(inPath.map((p) => p.name).sort(), shapeKeys(spec.params), `${id}: path parameters`);
  assert.ok(
    inPath.every((p) => p.required === true),
    `${id}: path parameters are required`,
  );
  assert.deepEqual(
    params
      .filter((p) => p.in === 'query')
      .map((p) => p.name)
      .sort(),
    shapeKeys(spec.query),
    `${id}: query parameters`,
  );
  assert.equal(Boolean(op.requestBody?.content['application/json']?.schema), Boolean(spec.body), `${id}: request body`);
  const success = op.responses[String(spec.status)]?.content?.[spec.format === 'text' ? 'text/plain' : 'application/json'];
  assert.ok(success?.schema, `${id}: the ${spec.status} answer and its schema`);
  const example = spec.examples?.find((e) => e.response !== undefined)?.response;
  if (example !== undefined) assert.deepEqual(success.example, example, `${id}: the answer's example`);
  const codes = Object.keys(op.responses).sort();
  const expected = [String(spec.status), '400', 'default', ...(spec.auth === 'token' ? ['401', '403'] : [])].sort();
  assert.deepEqual(codes, expected, `${id}: answers`);
  assert.ok(op.responses.default.content?.['application/json'].schema.properties?.error, `${id}: the one error body`);
}

const tables: Array<{ name: string; table: RouteTable; docPath: string; codes: { params: string; query: string; body: string } }> = [
  { name: 'node', table: nodeRoutes, docPath: '/openapi.json', codes: NODE_INVALID_CODES },
  { name: 'control plane', table: serverRoutes, docPath: '/api/openapi.json', codes: SERVER_INVALID_CODES },
];

for (const { name, table, docPath, codes } of tables) {
  describe(`the ${name} OpenAPI document`, () => {
    it('documents every route: ids, security, parameters, body, answers, examples', async () => {
      const doc = (await openApiDocument(table, { title: name, version: '7' })) as Doc;
      assert.equal(doc.openapi, '3.0.3');
      assert.deepEqual(doc.info, { title: name, version: '7' });
      assert.deepEqual(doc.components.securitySchemes, { bearerAuth: { type: 'http', scheme: 'bearer' } });
      for (const [id, spec] of Object.entries(table)) {
        const op = doc.paths[spec.path]?.[spec.method];
        assert.ok(op, `${id}: ${spec.method} ${spec.path}`);
        checkOperation(id, spec, op);
      }
    });

    it('is served at its path, the same document to GET and (without a body) to HEAD', async () => {
      const handlers = Object.fromEntries(Object.keys(table).map((id) => [id, () => ({})])) as unknown as Handlers<RouteTable>;
      const opts = {
        title: name,
        version: '7',
        docPath,
        token: 't',
        authMessages: { missing: 'm', wrong: 'w' },
        invalidCodes: codes,
        bodyLimit: 1024,
        publicHeaders: { 'x-public': '1' },
      };
      const app = createRouter(table, handlers, opts);
      const res = await app.request(docPath);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-public'), '1');
      assert.deepEqual(await res.json(), JSON.parse(JSON.stringify(await openApiDocument(table, { title: name, version: '7' }))));
      const head = await app.request(docPath, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
    });
  });
}
