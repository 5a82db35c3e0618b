// The one status policy, checked in process with app.request(): 400 with every issue, bad
// JSON 400, 401/403 for the token, 404, 405 with allow, 413, a domain error's code → its
// status, unexpected errors → 500 logged once, HEAD on GET routes, CORS preflight.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { defineRoute } from '../../wire/http/route.ts';
import { CodedError } from '../coded-error.ts';
import { createRouter, nodeListener } from './router.ts';

const table = {
  items: defineRoute({
    method: 'get',
    path: '/items',
    summary: 'list',
    auth: 'public',
    query: z.object({ limit: z.coerce.number().int().min(1).max(10).default(5), from: z.coerce.number().int().min(0).default(0) }),
    response: z.object({ limit: z.number(), from: z.number() }),
    status: 200,
  }),
  item: defineRoute({
    method: 'get',
    path: '/items/{id}',
    summary: 'one',
    auth: 'public',
    params: z.object({ id: z.string().regex(/^\d+$/) }),
    response: z.object({ id: z.string() }),
    status: 200,
    invalid: { params: 'BAD_ITEM_ID' },
  }),
  create: defineRoute({
    method: 'post',
    path: '/items',
    summary: 'create',
    auth: 'token',
    body: z.object({ name: z.string().min(1) }),
    response: z.object({ name: z.string(), actor: z.string() }),
    status: 201,
    bodyLimit: 64,
  }),
  boom: defineRoute({ method: 'get', path: '/boom', summary: 'fails', auth: 'public', response: z.object({}), status: 200 }),
};

function makeApp() {
  const logged: unknown[] = [];
  const app = createRouter(
    table,
    {
      items: ({ query }) => query,
      item: ({ params }) => {
        if (params.id === '404') throw new CodedError('BLOCK_NOT_FOUND', 'no such item');
        if (params.id === '409') throw new CodedError('SCENARIO_RUNNING', 'busy');
        return { id: params.id };
      },
      create: ({ body, actor }) => ({ name: body.name, actor: actor! }),
      boom: () => {
        throw new Error('bug');
      },
    },
    {
      title: 'test',
      version: '1',
      docPath: '/openapi.json',
      token: 'secret-token',
      authMessages: { missing: 'need a token', wrong: 'wrong token' },
      invalidCodes: { params: 'BAD_PARAMS', query: 'BAD_QUERY', body: 'BAD_BODY' },
      bodyLimit: 1024,
      publicHeaders: { 'access-control-allow-origin': '*' },
      preflight: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST' },
      onUnexpected: (err) => logged.push(err),
    },
  );
  return { app, logged };
}

type ErrorBody = { error: { code: string; message: string; issues?: Array<{ path: Array<string | number> }> } };
const auth = { authorization: 'Bearer secret-token', 'content-type': 'application/json' };

describe('router status policy', () => {
  it('answers valid input with the route status, no-store and (public GET) the CORS header; HEAD works on GET routes', async () => {
    const { app } = makeApp();
    const res = await app.request('/items?limit=3');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { limit: 3, from: 0 });
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const head = await app.request('/items', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    const created = await app.request('/items', { method: 'POST', headers: auth, body: JSON.stringify({ name: 'x' }) });
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), { name: 'x', actor: 'api-token' });
  });

  it('invalid query: 400 with the code and every zod issue (out-of-range integers are 400, not clamped)', async () => {
    const { app } = makeApp();
    const res = await app.request('/items?limit=500&from=-1');
    assert.equal(res.status, 400);
    const body = (await res.json()) as ErrorBody;
    assert.equal(body.error.code, 'BAD_QUERY');
    assert.deepEqual(body.error.issues!.map((i) => i.path.join('.')).sort(), ['from', 'limit']);
  });

  it("invalid params use the route's own code", async () => {
    const { app } = makeApp();
    const res = await app.request('/items/abc');
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as ErrorBody).error.code, 'BAD_ITEM_ID');
  });

  it('token routes: 401 without a credential, 403 with a wrong one, before the body is looked at', async () => {
    const { app } = makeApp();
    const none = await app.request('/items', { method: 'POST', body: 'not json' });
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { error: { code: 'UNAUTHORIZED', message: 'need a token' } });
    const wrong = await app.request('/items', { method: 'POST', headers: { authorization: 'Bearer nope' }, body: '{}' });
    assert.equal(wrong.status, 403);
    assert.equal(((await wrong.json()) as ErrorBody).error.code, 'FORBIDDEN');
    const notBearer = await app.request('/items', { method: 'POST', headers: { authorization: 'Basic abc' }, body: '{}' });
    assert.equal(notBearer.status, 403);
    const bigWithoutToken = await app.request('/items', { method: 'POST', body: 'x'.repeat(1000) });
    assert.equal(bigWithoutToken.status, 401);
  });

  it('bodies: bad JSON 400 BAD_JSON, empty 400 BODY_MISSING, invalid 400 BAD_BODY with issues, too large 413', async () => {
    const { app } = makeApp();
    const post = (body: string) => app.request('/items', { method: 'POST', headers: auth, body });
    const codes = async (body: string) => {
      const res = await post(body);
      return [res.status, ((await res.json()) as ErrorBody).error.code];
    };
    assert.deepEqual(await codes('{nope'), [400, 'BAD_JSON']);
    assert.deepEqual(await codes(''), [400, 'BODY_MISSING']);
    assert.deepEqual(await codes('{"name":""}'), [400, 'BAD_BODY']);
    assert.deepEqual(await codes(JSON.stringify({ name: 'x'.repeat(100) })), [413, 'BODY_TOO_LARGE']);
  });

  it('unknown path 404, wrong method 405 with allow', async () => {
    const { app } = makeApp();
    const missing = await app.request('/nothing');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as ErrorBody).error.code, 'NOT_FOUND');
    const wrong = await app.request('/items/1', { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
    assert.equal(((await wrong.json()) as ErrorBody).error.code, 'METHOD_NOT_ALLOWED');
  });

  it('domain errors get the status of their code from the one table; unexpected errors are 500 and logged once', async () => {
    const { app, logged } = makeApp();
    const nf = await app.request('/items/404');
    assert.equal(nf.status, 404);
    assert.deepEqual(await nf.json(), { error: { code: 'BLOCK_NOT_FOUND', message: 'no such item' } });
    assert.equal((await app.request('/items/409')).status, 409);
    assert.equal(logged.length, 0);
    const boom = await app.request('/boom');
    assert.equal(boom.status, 500);
    assert.deepEqual(await boom.json(), { error: { code: 'INTERNAL', message: 'internal error' } });
    assert.equal(logged.length, 1);
  });

  it('OPTIONS answers the preflight with 204', async () => {
    const { app } = makeApp();
    const res = await app.request('/items', { method: 'OPTIONS' });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET, POST');
  });
});

/** Writes raw HTTP requests on one connection and collects what comes back until the server closes it. */
function rawExchange(port: number, requests: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(requests));
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}

describe('router over node:http (nodeListener)', () => {
  async function serve(): Promise<{ port: number; close: () => Promise<void> }> {
    const server = http.createServer(nodeListener(makeApp().app));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as net.AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('a target no URL can be built from is a coded 400, not an empty one', { timeout: 20_000 }, async () => {
    const s = await serve();
    try {
      for (const target of ['http://[/items', '*']) {
        const answer = await rawExchange(s.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        assert.match(answer, /^HTTP\/1\.1 400 /, target);
        const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
        assert.equal((JSON.parse(body.replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, '')) as ErrorBody).error.code, 'BAD_REQUEST', target);
      }
    } finally {
      await s.close();
    }
  });

  it('a body refused unread (413) says connection: close, so a client does not send its next request into a dropped socket', { timeout: 20_000 }, async () => {
    const s = await serve();
    try {
      const body = JSON.stringify({ name: 'x'.repeat(200) });
      const answer = await rawExchange(
        s.port,
        `POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer secret-token\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      assert.match(answer, /^HTTP\/1\.1 413 /);
      assert.match(answer, /\r\nconnection: close\r\n/i);
    } finally {
      await s.close();
    }
  });

  it('a chunked body (no Content-Length) is counted as it arrives: 413 with connection: close once over the cap', { timeout: 20_000 }, async () => {
    const s = await serve();
    try {
      const chunk = JSON.stringify({ name: 'x'.repeat(200) });
      const answer = await rawExchange(
        s.port,
        `POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer secret-token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
      );
      assert.match(answer, /^HTTP\/1\.1 413 /);
      assert.match(answer, /\r\nconnection: close\r\n/i);
      assert.match(answer, /"BODY_TOO_LARGE"/);
      const small = JSON.stringify({ name: 'ok' });
      const served = await rawExchange(
        s.port,
        `POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer secret-token\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${small.length.toString(16)}\r\n${small}\r\n0\r\n\r\n`,
      );
      assert.match(served, /^HTTP\/1\.1 201 /, 'a chunked body under the cap is served');
    } finally {
      await s.close();
    }
  });

  it('HEAD answers with the headers of GET, its content-length included, and no body', { timeout: 20_000 }, async () => {
    const s = await serve();
    try {
      const get = await rawExchange(s.port, 'GET /items HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      const head = await rawExchange(s.port, 'HEAD /items HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)\r\n/i.exec(get)?.[1];
      assert.ok(length && Number(length) > 0, get);
      assert.match(head, /^HTTP\/1\.1 200 /);
      assert.match(head, new RegExp(`\\r\\ncontent-length: ${length}\\r\\n`, 'i'));
      assert.ok(head.endsWith('\r\n\r\n'), `no body after the headers: ${JSON.stringify(head)}`);
    } finally {
      await s.close();
    }
  });
});
