// Real sockets on loopback against a real node:http server with the limits applied.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { capConnectionsPerAddress, httpServerOptions, throttledReporter, type ConnectionCap } from './server-limits.ts';

let server: http.Server;
let port: number;
let cap: ConnectionCap;
const refusals: string[] = [];

/** Connects from `localAddress` (any 127.x address is loopback on Linux) and resolves once open. */
function connectFrom(localAddress: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress }, () => resolve(s));
    s.once('error', reject);
  });
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const closed = (s: net.Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));

async function get(localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', localAddress, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .once('error', reject);
  });
}

describe('HTTP server limits', { timeout: 60_000 }, () => {
  before(async () => {
    server = http.createServer(httpServerOptions({ headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 1000 }), (_req, res) => res.end('ok'));
    cap = capConnectionsPerAddress(server, 3, (address) => refusals.push(address));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('a client that never finishes its headers is cut off after headersTimeout', async () => {
    const s = await connectFrom('127.0.0.21');
    let answer = '';
    s.on('data', (d) => (answer += String(d)));
    s.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const t0 = Date.now();
    await closed(s);
    const heldMs = Date.now() - t0;
    assert.ok(heldMs < 10_000, `held ${heldMs} ms (Node's default would be 60-90 s)`);
    assert.match(answer, /^HTTP\/1.1 408/, 'told why');
  });

  it('a client that sends its headers in time is served', async () => {
    assert.equal(await get('127.0.0.22'), 200);
  });

  it('an address holding its cap of connections is refused another, other addresses are not', async () => {
    const held = await Promise.all([1, 2, 3].map(() => connectFrom('127.0.0.23')));
    await until(() => cap.open('127.0.0.23') === 3, 'the server to count three connections');
    const before = cap.refused;
    const extra = await connectFrom('127.0.0.23');
    await closed(extra); // destroyed by the server before any byte
    assert.equal(cap.refused, before + 1);
    assert.equal(refusals.at(-1), '127.0.0.23');
    assert.equal(await get('127.0.0.24'), 200, 'another address is served');
    held[0].destroy();
    await closed(held[0]);
    await until(() => cap.open('127.0.0.23') === 2, 'the closed connection counted out');
    assert.equal(await get('127.0.0.23'), 200, 'a freed slot is usable again');
    for (const s of held) s.destroy();
  });

  it('throttledReporter reports at most once per interval, with the count since the last report', () => {
    let t = 0;
    const lines: number[] = [];
    const hit = throttledReporter(
      1000,
      (n) => lines.push(n),
      () => t,
    );
    hit();
    hit();
    hit();
    t = 999;
    hit();
    t = 1000;
    hit();
    assert.deepEqual(lines, [1, 4]);
  });

  it('refuses a request timeout shorter than the headers timeout', () => {
    assert.throws(() => httpServerOptions({ headersTimeoutMs: 1000, requestTimeoutMs: 500, keepAliveTimeoutMs: 1000 }), RangeError);
  });
});
