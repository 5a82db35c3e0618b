// The router's auth step beyond a bearer token, in process: an async credential check (a
// session looked up in a store: 401 once it ended), the same-origin rule for writes carrying an
// ambient credential (a cookie) and for routes marked sameOrigin (403 CROSS_ORIGIN, checked
// before the store is asked), and JSON-only bodies (415) where the host asks for them. The
// control plane's real sessions over Postgres: server/api/session.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { defineRoute } from '../../wire/http/route.ts';
import { bearerToken, cookieValue } from './auth.ts';
import { createRouter, type Credential } from './router.ts';

const table = {
  write: defineRoute({
    method: 'post',
    path: '/write',
    summary: 'a write',
    auth: 'token',
    body: z.object({ n: z.number() }),
    response: z.object({ actor: z.string() }),
    status: 201,
  }),
  read: defineRoute({ method: 'get', path: '/read', summary: 'a token read', auth: 'token', response: z.object({ actor: z.string() }), status: 200 }),
  login: defineRoute({ method: 'post', path: '/login', summary: 'sign in', auth: 'public', sameOrigin: true, response: z.object({ ok: z.boolean() }), status: 200 }),
  whoami: defineRoute({ method: 'get', path: '/whoami', summary: 'signed in?', auth: 'public', response: z.object({ authorised: z.boolean() }), status: 200 }),
};

const ORIGIN = 'http://localhost';

function makeApp(opts: { requireJsonContentType: boolean }) {
  const live = new Set(['live-session']);
  const lookups: string[] = [];
  const app = createRouter(
    table,
    {
      write: ({ actor }) => ({ actor: actor! }),
      read: ({ actor }) => ({ actor: actor! }),
      login: () => ({ ok: true }),
      whoami: async ({ authorised }) => ({ authorised: await authorised() }),
    },
    {
      title: 'test',
      version: '1',
      docPath: '/openapi.json',
      token: 'secret-token',
      credential: (header): Credential | null => {
        const bearer = bearerToken(header('authorization'));
        if (bearer !== null) return { token: bearer, actor: 'script' };
        const sid = cookieValue(header('cookie'), 'sid');
        return sid === null ? null : { token: sid, actor: 'browser', ambient: true };
      },
      verify: async (cred) => {
        if (!cred.ambient) return cred.token === 'secret-token' ? 'valid' : 'wrong';
        lookups.push(cred.token);
        await Promise.resolve();
        return live.has(cred.token) ? 'valid' : 'expired';
      },
      ownOrigins: (url) => [url.origin],
      requireJsonContentType: opts.requireJsonContentType,
      authMessages: { missing: 'need a token', wrong: 'wrong token', expired: 'session ended' },
      invalidCodes: { params: 'BAD_PARAMS', query: 'BAD_QUERY', body: 'BAD_BODY' },
      bodyLimit: 1024,
    },
  );
  return { app, live, lookups };
}

const code = async (res: Response) => ((await res.json()) as { error?: { code: string; message: string } }).error;

describe('router auth: sessions, same origin, content type', () => {
  it('an async check: a live session authorises, an ended one is 401 with its message, a wrong token 403', async () => {
    const { app, live } = makeApp({ requireJsonContentType: true });
    const post = (headers: Record<string, string>) => app.request('/write', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"n":1}' });
    const ok = await post({ cookie: 'sid=live-session', origin: ORIGIN });
    assert.equal(ok.status, 201);
    assert.deepEqual(await ok.json(), { actor: 'browser' });
    assert.deepEqual(await (await app.request('/whoami', { headers: { cookie: 'sid=live-session' } })).json(), { authorised: true });
    live.clear();
    const ended = await post({ cookie: 'sid=live-session', origin: ORIGIN });
    assert.equal(ended.status, 401);
    assert.deepEqual(await code(ended), { code: 'UNAUTHORIZED', message: 'session ended' });
    assert.deepEqual(await (await app.request('/whoami', { headers: { cookie: 'sid=live-session' } })).json(), { authorised: false });
    assert.equal((await post({ authorization: 'Bearer nope' })).status, 403);
    assert.equal((await post({ authorization: 'Bearer secret-token' })).status, 201, 'a script needs no Origin');
  });

  it('an ambient credential writes only from the own origin, refused before the store is asked; reads and bearer writes need no Origin', async () => {
    const { app, lookups } = makeApp({ requireJsonContentType: true });
    const post = (headers: Record<string, string>) =>
      app.request('/write', { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'sid=live-session', ...headers }, body: '{"n":1}' });
    const forged: Array<Record<string, string>> = [{ origin: 'http://localhost:8080' }, { 'sec-fetch-site': 'same-site' }, {}];
    for (const headers of forged) {
      const res = await post(headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal((await code(res))?.code, 'CROSS_ORIGIN');
    }
    assert.deepEqual(lookups, [], 'a forged request costs no lookup');
    assert.equal((await post({ 'sec-fetch-site': 'same-origin' })).status, 201);
    const read = await app.request('/read', { headers: { cookie: 'sid=live-session' } });
    assert.equal(read.status, 200, 'a GET is not a write');
  });

  it('a sameOrigin route is checked whatever the credential, even with none', async () => {
    const { app } = makeApp({ requireJsonContentType: true });
    assert.equal((await app.request('/login', { method: 'POST', headers: { origin: 'http://evil.example' } })).status, 403);
    assert.equal((await app.request('/login', { method: 'POST' })).status, 403);
    assert.equal((await app.request('/login', { method: 'POST', headers: { authorization: 'Bearer secret-token' } })).status, 403);
    assert.equal((await app.request('/login', { method: 'POST', headers: { origin: ORIGIN } })).status, 200);
  });

  it('requireJsonContentType refuses a non-JSON body with 415; without it (the node) the body is parsed whatever its type', async () => {
    const strict = makeApp({ requireJsonContentType: true }).app;
    const asText = { method: 'POST', headers: { authorization: 'Bearer secret-token', 'content-type': 'text/plain' }, body: '{"n":1}' };
    const refused = await strict.request('/write', asText);
    assert.equal(refused.status, 415);
    assert.equal((await code(refused))?.code, 'UNSUPPORTED_MEDIA_TYPE');
    const empty = await strict.request('/write', { method: 'POST', headers: { authorization: 'Bearer secret-token' } });
    assert.equal((await code(empty))?.code, 'BODY_MISSING', 'an empty body is still 400 BODY_MISSING');
    assert.equal((await makeApp({ requireJsonContentType: false }).app.request('/write', asText)).status, 201);
  });
});
