// The security headers: the policies themselves (pure), and every kind of answer of the real
// control plane (API only, over one real node and a real Postgres): /api routes, an unknown
// /api route, the API-only 404 and Socket.IO's polling answers. Pages are checked in Chromium
// by e2e/security-headers.spec.ts (they need the explorer's production build).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { DATA_POLICY, newNonce, pagePolicy, policyHost, secureResponse } from './security-headers.ts';
import { buildingPage } from './building-page.ts';
import { startControlPlane, type ControlPlane } from '../control-plane.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { freePorts } from '../../lib/free-port.ts';
import { testServerConfig } from '../testing/test-config.ts';

/** The policy as a map: directive → its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

function assertCommonHeaders(headers: Headers | IncomingHttpHeaders, where: string): void {
  const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] as string | undefined));
  assert.equal(get('x-content-type-options'), 'nosniff', where);
  assert.equal(get('x-frame-options'), 'DENY', where);
  assert.equal(get('referrer-policy'), 'no-referrer', where);
  assert.match(get('content-security-policy') ?? '', /frame-ancestors 'none'/, where);
}

describe('page policy', () => {
  it('allows scripts only with the nonce (or loaded by one that has it), never eval in production', () => {
    const d = directives(pagePolicy({ nonce: 'abc123==', dev: false, host: '127.0.0.1:3000' }));
    assert.deepEqual(d.get('script-src'), ["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    assert.deepEqual(d.get('style-src-elem'), ["'self'", "'nonce-abc123=='"]);
    assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(d.get('object-src'), ["'none'"]);
    assert.deepEqual(d.get('base-uri'), ["'none'"]);
    assert.ok(!pagePolicy({ nonce: 'n', dev: false }).includes('unsafe-eval'));
  });

  it('in next dev adds eval for scripts and inline <style> for the overlay, and nothing else', () => {
    const prod = directives(pagePolicy({ nonce: 'n', dev: false }));
    const dev = directives(pagePolicy({ nonce: 'n', dev: true }));
    assert.deepEqual(dev.get('script-src'), [...prod.get('script-src')!, "'unsafe-eval'"]);
    assert.deepEqual(dev.get('style-src-elem'), ["'self'", "'unsafe-inline'"]);
    for (const name of prod.keys()) if (name !== 'script-src' && name !== 'style-src-elem') assert.deepEqual(dev.get(name), prod.get(name), name);
  });

  it('lets Socket.IO connect to its own host over ws: and wss:, and writes no forged Host into the policy', () => {
    assert.deepEqual(directives(pagePolicy({ nonce: 'n', dev: false, host: policyHost('127.0.0.1:3000') })).get('connect-src'), [
      "'self'",
      'ws://127.0.0.1:3000',
      'wss://127.0.0.1:3000',
    ]);
    assert.equal(policyHost('[::1]:3000'), '[::1]:3000');
    assert.equal(policyHost('Explorer.Example.org'), 'explorer.example.org');
    for (const forged of ["evil.example; script-src 'unsafe-inline'", 'a b', 'host:99999999', '', undefined]) assert.equal(policyHost(forged), null, String(forged));
    assert.deepEqual(directives(pagePolicy({ nonce: 'n', dev: false, host: null })).get('connect-src'), ["'self'"]);
  });

  it('a fresh nonce per request, 128 bits', () => {
    const a = newNonce();
    assert.notEqual(a, newNonce());
    assert.equal(Buffer.from(a, 'base64').length, 16);
  });

  it('the building page styles itself with the nonce of its answer', () => {
    assert.match(buildingPage('n0nce+/='), /<style nonce="n0nce\+\/=">/);
  });
});

describe('secureResponse', () => {
  let server: Server;
  let base: string;
  const seen: IncomingHttpHeaders[] = [];

  before(async () => {
    server = createServer((req, res) => {
      secureResponse(req, res, { dev: false, pages: true });
      seen.push({ ...req.headers });
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("hands a page's policy to Next on the request, replacing whatever the client sent", async () => {
    const res = await fetch(base + '/chaos', {
      headers: { 'content-security-policy': "script-src 'nonce-chosen-by-client'", 'content-security-policy-report-only': "script-src 'nonce-x'" },
    });
    const sent = res.headers.get('content-security-policy')!;
    const onRequest = seen.at(-1)!;
    assert.equal(onRequest['content-security-policy'], sent);
    assert.equal(onRequest['content-security-policy-report-only'], undefined);
    assert.ok(!sent.includes('chosen-by-client'));
    assert.match(sent, /script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    assert.match(sent, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:\\d+ wss://127\\.0\\.0\\.1:\\d+`));
    assertCommonHeaders(res.headers, '/chaos');
  });

  it('each page answer has its own nonce', async () => {
    const nonce = async () => /'nonce-([^']+)'/.exec((await fetch(base + '/')).headers.get('content-security-policy')!)![1];
    assert.notEqual(await nonce(), await nonce());
  });

  it('gives /api answers the data policy and leaves the request alone', async () => {
    const res = await fetch(base + '/api/health');
    assert.equal(res.headers.get('content-security-policy'), DATA_POLICY);
    assert.equal(seen.at(-1)!['content-security-policy'], undefined);
    assertCommonHeaders(res.headers, '/api/health');
  });
});

describe('security headers on every answer of the control plane (API only)', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let plane: ControlPlane;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'security-headers-it-'));
    db = await withTestDatabase();
    plane = await startControlPlane(testServerConfig({ dataDir, databaseUrl: db.url, nodes: 1, blockTimeMs: 1000, nodeBasePort: await freePorts(2), txRate: 0 }), {
      logger: pino({ level: 'silent' }),
      serveExplorer: false,
    });
  });
  after(async () => {
    await plane?.stop();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const [route, status] of [
    ['/api/health', 200],
    ['/api/openapi.json', 200],
    ['/api/no-such-route', 404],
    ['/api/blocks?limit=zero', 400],
    ['/', 404], // the API-only answer where the explorer would be
  ] as const) {
    it(`${route} → ${status} with the data policy, nosniff, DENY and no-referrer`, async () => {
      const res = await fetch(plane.url + route);
      assert.equal(res.status, status);
      assert.equal(res.headers.get('content-security-policy'), DATA_POLICY);
      assertCommonHeaders(res.headers, route);
      await res.arrayBuffer();
    });
  }

  it("Socket.IO's polling handshake carries them too", async () => {
    const res = await fetch(`${plane.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /"sid"/);
    assert.equal(res.headers.get('content-security-policy'), DATA_POLICY);
    assertCommonHeaders(res.headers, 'socket.io polling');
  });
});
