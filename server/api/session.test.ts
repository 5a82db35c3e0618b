// Browser sessions and cross-site request forgery, over real HTTP on loopback against the
// control plane's router with a real Postgres: the cookie carries a random session id (only its
// SHA-256 stored), sign-out and token rotation end it, it expires; cookie writes are refused
// from another origin (another port of the same host is the same *site*, so SameSite=Strict
// alone lets them through) and with a non-JSON body; bearer scripts need no Origin.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { nodeListener } from '../../lib/http/router.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { SessionStore } from '../control/session-store.ts';
import { createServerRouter, type ApiDeps } from './server-router.ts';

const TOKEN = 'control-token-for-session-tests';
const NEW_TOKEN = 'rotated-control-token-for-session-tests';
const HOUR = 3600_000;
const logger = pino({ level: 'silent' });

interface Server {
  url: string;
  sessions: SessionStore;
  applied: Array<{ kind: string; actor: string }>;
  clock: { now: number };
  close(): Promise<void>;
}

interface Answer {
  status: number;
  code: string | undefined;
  setCookie: string | null;
  body: unknown;
}

describe('control sessions and CSRF', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  const servers: Server[] = [];

  /** A control plane router over HTTP on 127.0.0.1 with its own session store and clock. */
  async function start(opts: { token?: string; publicOrigins?: string[] } = {}): Promise<Server> {
    const token = opts.token ?? TOKEN;
    const clock = { now: Date.now() };
    const sessions = new SessionStore({ prisma: db.prisma, token, ttlMs: 12 * HOUR, logger, now: () => clock.now });
    await sessions.start();
    const applied: Server['applied'] = [];
    const deps = {
      controlToken: token,
      sessions,
      publicOrigins: opts.publicOrigins,
      version: 'test',
      startedAt: Date.now(),
      logger,
      chaos: {
        apply: async (action: { kind: string }, actor: string) => {
          applied.push({ kind: action.kind, actor });
          return { id: applied.length, at: 0, actor, kind: action.kind, params: {}, targets: [], status: 'applied', result: null, expiresAt: null, revertedAt: null };
        },
      },
    } as unknown as ApiDeps;
    const server = http.createServer(nodeListener(createServerRouter(deps)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const s: Server = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      sessions,
      applied,
      clock,
      close: () => {
        sessions.stop();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
    servers.push(s);
    return s;
  }

  async function send(s: Server, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
    const res = await fetch(s.url + path, { method, headers, body });
    const json = (await res.json()) as { error?: { code: string } };
    return { status: res.status, code: json.error?.code, setCookie: res.headers.get('set-cookie'), body: json };
  }

  const heal = JSON.stringify({ kind: 'heal' });
  const jsonType = { 'content-type': 'application/json' };

  /** Signs in as the browser on the server's own page would; answers the Cookie header value. */
  async function signIn(s: Server): Promise<string> {
    const res = await send(s, 'POST', '/api/session', { ...jsonType, origin: s.url, 'sec-fetch-site': 'same-origin' }, JSON.stringify({ token: TOKEN }));
    assert.equal(res.status, 200, `sign-in: ${JSON.stringify(res.body)}`);
    return res.setCookie!.split(';')[0];
  }

  before(async () => {
    db = await withTestDatabase();
  });
  beforeEach(() => db.reset());
  after(async () => {
    for (const s of servers) await s.close();
    await db.stop();
  });

  it('sign-in sets an httpOnly cookie with a random session id (not the token) for 12 h; only its SHA-256 is stored', async () => {
    const s = await start();
    const res = await send(s, 'POST', '/api/session', { ...jsonType, origin: s.url }, JSON.stringify({ token: ` ${TOKEN} ` }));
    assert.equal(res.status, 200);
    const m = /^control_session=([A-Za-z0-9_-]+); HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/.exec(res.setCookie ?? '');
    assert.ok(m, `cookie: ${res.setCookie}`);
    const id = m[1];
    assert.ok(id.length >= 43, 'at least 32 random bytes');
    assert.ok(!id.includes(TOKEN));
    const rows = await db.prisma.controlSession.findMany();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].idHash, createHash('sha256').update(id).digest('hex'));
    assert.ok(!JSON.stringify(rows).includes(id), 'the id itself is not stored');
    assert.ok(Math.abs(rows[0].expiresAt.getTime() - s.clock.now - 12 * HOUR) < 5_000);
    // A second sign-in is another session.
    assert.notEqual(await signIn(s), `control_session=${id}`);
    assert.equal(await db.prisma.controlSession.count(), 2);
    // The wrong token: 403, no cookie, no session.
    const wrong = await send(s, 'POST', '/api/session', { ...jsonType, origin: s.url }, JSON.stringify({ token: 'nope-nope-nope-nope' }));
    assert.equal(wrong.status, 403);
    assert.equal(wrong.setCookie, null);
    assert.equal(await db.prisma.controlSession.count(), 2);
  });

  it('a same-origin cookie POST is authorised (Origin, or Sec-Fetch-Site: same-origin); a bearer POST needs no Origin', async () => {
    const s = await start();
    const cookie = await signIn(s);
    assert.deepEqual((await send(s, 'GET', '/api/session', { cookie })).body, { authorised: true });
    const byOrigin = await send(s, 'POST', '/api/chaos', { ...jsonType, cookie, origin: s.url }, heal);
    assert.equal(byOrigin.status, 201, JSON.stringify(byOrigin.body));
    const byFetchSite = await send(s, 'POST', '/api/chaos', { ...jsonType, cookie, 'sec-fetch-site': 'same-origin' }, heal);
    assert.equal(byFetchSite.status, 201, JSON.stringify(byFetchSite.body));
    const byBearer = await send(s, 'POST', '/api/chaos', { ...jsonType, authorization: `Bearer ${TOKEN}` }, heal);
    assert.equal(byBearer.status, 201, JSON.stringify(byBearer.body));
    assert.deepEqual(s.applied, [
      { kind: 'heal', actor: 'browser-session' },
      { kind: 'heal', actor: 'browser-session' },
      { kind: 'heal', actor: 'api-token' },
    ]);
  });

  it('a cookie POST from another port of the same host, from another site, or naming no origin is refused 403 CROSS_ORIGIN', async () => {
    const s = await start();
    const cookie = await signIn(s);
    const port = Number(new URL(s.url).port);
    const otherPort = `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}`;
    const forged: Array<[string, Record<string, string>]> = [
      ['another port', { origin: otherPort }],
      ['another port, as the reported form did', { origin: otherPort, 'content-type': 'text/plain' }],
      ['another host name', { origin: `http://localhost:${port}` }],
      ['another scheme', { origin: `https://127.0.0.1:${port}` }],
      ['an opaque origin', { origin: 'null' }],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['our Origin, but Sec-Fetch-Site: cross-site', { origin: s.url, 'sec-fetch-site': 'cross-site' }],
      ['neither Origin nor Sec-Fetch-Site', {}],
    ];
    for (const [what, headers] of forged) {
      const res = await send(s, 'POST', '/api/chaos', { ...jsonType, ...headers, cookie }, heal);
      assert.equal(res.status, 403, what);
      assert.equal(res.code, 'CROSS_ORIGIN', what);
    }
    assert.deepEqual(s.applied, [], 'no forged request reached the controller');
  });

  it('a JSON endpoint refuses a text/plain, form or untyped body: 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const s = await start();
    const cookie = await signIn(s);
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await send(s, 'POST', '/api/chaos', { 'content-type': type, cookie, origin: s.url }, heal);
      assert.equal(res.status, 415, type);
      assert.equal(res.code, 'UNSUPPORTED_MEDIA_TYPE', type);
      const bearer = await send(s, 'POST', '/api/chaos', { 'content-type': type, authorization: `Bearer ${TOKEN}` }, heal);
      assert.equal(bearer.status, 415, `${type} with the bearer token`);
    }
    const signInAsText = await send(s, 'POST', '/api/session', { 'content-type': 'text/plain', origin: s.url }, JSON.stringify({ token: TOKEN }));
    assert.equal(signInAsText.status, 415);
    assert.deepEqual(s.applied, []);
    assert.equal((await send(s, 'POST', '/api/chaos', { 'content-type': 'application/json; charset=utf-8', cookie, origin: s.url }, heal)).status, 201);
  });

  it('sign-in and sign-out from another origin are refused (login CSRF) and change nothing', async () => {
    const s = await start();
    const otherPort = `http://127.0.0.1:${Number(new URL(s.url).port) + 1}`;
    const refused: Array<Record<string, string>> = [{ origin: otherPort }, { 'sec-fetch-site': 'same-site' }, {}];
    for (const headers of refused) {
      const res = await send(s, 'POST', '/api/session', { ...jsonType, ...headers }, JSON.stringify({ token: TOKEN }));
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(res.code, 'CROSS_ORIGIN');
      assert.equal(res.setCookie, null);
    }
    assert.equal(await db.prisma.controlSession.count(), 0);
    const cookie = await signIn(s);
    const out = await send(s, 'DELETE', '/api/session', { cookie, origin: otherPort });
    assert.equal(out.status, 403);
    assert.equal(out.code, 'CROSS_ORIGIN');
    assert.equal((await send(s, 'POST', '/api/chaos', { ...jsonType, cookie, origin: s.url }, heal)).status, 201, 'still signed in');
  });

  it('after sign-out the old cookie is refused 401 (the session row is gone)', async () => {
    const s = await start();
    const cookie = await signIn(s);
    const out = await send(s, 'DELETE', '/api/session', { cookie, origin: s.url });
    assert.equal(out.status, 200);
    assert.equal(out.setCookie, 'control_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
    assert.equal(await db.prisma.controlSession.count(), 0);
    const replay = await send(s, 'POST', '/api/chaos', { ...jsonType, cookie, origin: s.url }, heal);
    assert.equal(replay.status, 401);
    assert.equal(replay.code, 'UNAUTHORIZED');
    assert.deepEqual((await send(s, 'GET', '/api/session', { cookie })).body, { authorised: false });
    assert.deepEqual(s.applied, []);
  });

  it('a cookie that carries the control token itself (the old scheme) authorises nothing', async () => {
    const s = await start();
    const res = await send(s, 'POST', '/api/chaos', { ...jsonType, cookie: `control_session=${TOKEN}`, origin: s.url }, heal);
    assert.equal(res.status, 401);
  });

  it('rotating the control token ends every session: refused on use, and purged at start', async () => {
    const first = await start();
    const used = await signIn(first);
    await signIn(first);
    await first.close();
    assert.equal(await db.prisma.controlSession.count(), 2);
    // A restart under a new token purges the old sessions at start …
    const rotated = await start({ token: NEW_TOKEN });
    assert.equal(await db.prisma.controlSession.count(), 0);
    const res = await send(rotated, 'POST', '/api/chaos', { ...jsonType, cookie: used, origin: rotated.url }, heal);
    assert.equal(res.status, 401);
    // … and a session of another token that is still in the table is refused and deleted on use.
    const old = await start();
    const cookie = await signIn(old);
    const refused = await send(rotated, 'POST', '/api/chaos', { ...jsonType, cookie, origin: rotated.url }, heal);
    assert.equal(refused.status, 401);
    assert.equal(await db.prisma.controlSession.count(), 0);
    assert.deepEqual(rotated.applied, []);
    const bearer = await send(rotated, 'POST', '/api/chaos', { ...jsonType, authorization: `Bearer ${NEW_TOKEN}` }, heal);
    assert.equal(bearer.status, 201);
  });

  it('an expired session is refused 401 and deleted; the purge removes expired rows', async () => {
    const s = await start();
    const cookie = await signIn(s);
    await signIn(s);
    s.clock.now += 12 * HOUR - 1_000;
    assert.equal((await send(s, 'POST', '/api/chaos', { ...jsonType, cookie, origin: s.url }, heal)).status, 201, 'alive just before its expiry');
    s.clock.now += 2_000;
    const res = await send(s, 'POST', '/api/chaos', { ...jsonType, cookie, origin: s.url }, heal);
    assert.equal(res.status, 401);
    assert.equal(res.code, 'UNAUTHORIZED');
    assert.equal(await db.prisma.controlSession.count(), 1, 'the expired session used was deleted');
    assert.equal(await s.sessions.purge(), 1, 'the other expired one is purged');
    assert.equal(await db.prisma.controlSession.count(), 0);
  });

  it('with PUBLIC_ORIGIN (a proxy in front) only that origin is this server: the Host-derived one is refused', async () => {
    const s = await start({ publicOrigins: ['https://explorer.example.org'] });
    const res = await send(s, 'POST', '/api/session', { ...jsonType, origin: 'https://explorer.example.org' }, JSON.stringify({ token: TOKEN }));
    assert.equal(res.status, 200);
    assert.match(res.setCookie ?? '', /; Secure$/, 'an https-only origin gets a Secure cookie');
    const cookie = res.setCookie!.split(';')[0];
    assert.equal((await send(s, 'POST', '/api/chaos', { ...jsonType, cookie, origin: 'https://explorer.example.org' }, heal)).status, 201);
    const direct = await send(s, 'POST', '/api/chaos', { ...jsonType, cookie, origin: s.url }, heal);
    assert.equal(direct.status, 403);
    assert.equal(direct.code, 'CROSS_ORIGIN');
  });
});
