// The contract's own checks: every route of each table is in its OpenAPI document (method and
// path), every documented example validates against its route's schemas, and a table entry
// always has a handler (the latter is also a type error; this catches a cast).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteSpec, RouteTable } from '../../wire/http/route.ts';
import { nodeRoutes, NODE_INVALID_CODES } from '../../wire/node-routes.ts';
import { serverRoutes, SERVER_INVALID_CODES } from '../../wire/server-routes.ts';
import { createRouter, type Handlers } from './router.ts';

function stubHandlers<T extends RouteTable>(table: T): Handlers<T> {
  return Object.fromEntries(Object.keys(table).map((id) => [id, () => ({})])) as unknown as Handlers<T>;
}

const tables: Array<{ name: string; table: RouteTable; docPath: string; codes: { params: string; query: string; body: string } }> = [
  { name: 'node', table: nodeRoutes, docPath: '/openapi.json', codes: NODE_INVALID_CODES },
  { name: 'control plane', table: serverRoutes, docPath: '/api/openapi.json', codes: SERVER_INVALID_CODES },
];

function check(spec: RouteSpec, part: 'params' | 'query' | 'body' | 'response', value: unknown, where: string): void {
  const schema = spec[part];
  assert.ok(schema, `${where}: an example gives ${part}, but the route has no ${part} schema`);
  const r = schema.safeParse(value);
  assert.ok(r.success, `${where} ${part}: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
}

for (const { name, table, docPath, codes } of tables) {
  describe(`the ${name} route table`, () => {
    it('every route is in the OpenAPI document, with its method, path and operation id', async () => {
      const app = createRouter(table, stubHandlers(table), {
        title: name,
        version: 't',
        docPath,
        token: 't',
        authMessages: { missing: 'm', wrong: 'w' },
        invalidCodes: codes,
        bodyLimit: 1024,
      });
      const res = await app.request(docPath);
      assert.equal(res.status, 200);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>> };
      assert.match(doc.openapi, /^3\./);
      for (const [id, spec] of Object.entries(table)) {
        const op = doc.paths[spec.path]?.[spec.method];
        assert.ok(op, `${spec.method.toUpperCase()} ${spec.path} (${id}) is missing from ${docPath}`);
        assert.equal(op.operationId, id);
        assert.equal(Boolean(op.security?.length), spec.auth === 'token', `${id}: security matches auth`);
      }
      const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
      assert.equal(documented.length, Object.keys(table).length, 'the document lists nothing beyond the table');
    });

    it('every documented example validates against its schemas', () => {
      let examples = 0;
      for (const [id, spec] of Object.entries(table)) {
        for (const [i, ex] of (spec.examples ?? []).entries()) {
          const where = `${id} example ${i}`;
          if (ex.params !== undefined) check(spec, 'params', ex.params, where);
          if (ex.query !== undefined) check(spec, 'query', ex.query, where);
          if (ex.body !== undefined) check(spec, 'body', ex.body, where);
          if (ex.response !== undefined) check(spec, 'response', ex.response, where);
          examples++;
        }
      }
      assert.ok(examples > 5, `examples checked: ${examples}`);
    });

    it('paths are unique per method and path parameters match the params schema', () => {
      const seen = new Set<string>();
      for (const [id, spec] of Object.entries(table)) {
        const key = `${spec.method} ${spec.path}`;
        assert.ok(!seen.has(key), `${key} is declared twice`);
        seen.add(key);
        const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        const shape = (spec.params as unknown as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
        assert.deepEqual(Object.keys(shape).sort(), names, `${id}: params schema names the path's parameters`);
      }
    });
  });
}
