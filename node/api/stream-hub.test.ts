// Integration: /stream's subscriber cap and slow-client cut-off, on a real HTTP server on
// loopback with real WebSocket clients and a raw TCP client that never reads.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { StreamHub, type StreamEventInput } from './stream-hub.ts';

const MAX_CLIENTS = 3;
const BOUND = 256 * 1024;
const GRACE_MS = 500;
const metrics = createMetrics();
let hub: StreamHub;
let server: http.Server;
let port: number;

/** A `peer` event carrying `bytes` of reason text: big events fill a non-reader's buffers fast. */
const bigEvent = (bytes: number): StreamEventInput => ({
  type: 'peer',
  event: 'score',
  peer: { id: null, name: null, address: '127.0.0.1:1', direction: 'inbound' },
  reason: 'x'.repeat(bytes),
  score: 0,
});

const metric = async (name: string, labels = ''): Promise<number> => {
  const text = await metrics.registry.metrics();
  const m = new RegExp(`^${name}${labels ? `\\{${labels}\\}` : ''} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
};

const connections = () => new Promise<number>((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

/** A reader that keeps every event's seq. */
function reader(): { ws: WebSocket; seqs: number[]; opened: Promise<void> } {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/stream`);
  const seqs: number[] = [];
  ws.on('message', (d) => seqs.push((JSON.parse(String(d)) as { seq: number }).seq));
  ws.on('error', () => {});
  return { ws, seqs, opened: new Promise((resolve) => ws.once('open', () => resolve())) };
}

/** Completes the WebSocket upgrade by hand, then never reads a byte. */
function nonReader(): net.Socket {
  const s = net.connect({ host: '127.0.0.1', port }, () => {
    s.write('GET /stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    s.pause();
  });
  s.on('error', () => {});
  return s;
}

describe('/stream limits', { timeout: 90_000 }, () => {
  before(async () => {
    hub = new StreamHub(
      { capacity: 100, maxClients: MAX_CLIENTS, clientBufferBytes: BOUND, slowClientGraceMs: GRACE_MS },
      {
        hello: () => ({}) as never,
        logger: createLogger({ level: 'silent' }),
        metrics,
      },
    );
    hub.start();
    server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await hub.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('refuses a client over the subscriber cap with 503 and a coded reason, and admits again once one leaves', async () => {
    const held = Array.from({ length: MAX_CLIENTS }, () => reader());
    await Promise.all(held.map((r) => r.opened));
    const extra = new WebSocket(`ws://127.0.0.1:${port}/stream`);
    extra.on('error', () => {});
    const refusal = await new Promise<{ status: number; body: string }>((resolve) => {
      extra.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d) => (body += String(d)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      extra.on('open', () => resolve({ status: 101, body: '' }));
    });
    assert.equal(refusal.status, 503);
    assert.match(refusal.body, /TOO_MANY_STREAM_CLIENTS/);
    assert.equal(await metric('node_stream_clients_refused_total'), 1);
    held[0].ws.close();
    await waitFor(() => hub.clientCount === MAX_CLIENTS - 1, { timeoutMs: 10_000, what: 'the closed client forgotten' });
    const again = reader();
    await again.opened;
    for (const r of [...held, again]) r.ws.close();
    await waitFor(() => hub.clientCount === 0, { timeoutMs: 10_000, what: 'every client gone' });
  });

  it('a burst published in one turn reaches a reader whole, numbered in order, across the flushes inside it', async () => {
    const good = reader();
    await good.opened;
    await waitFor(() => hub.clientCount === 1, { timeoutMs: 10_000, what: 'the reader subscribed' });
    const first = hub.lastSeq + 1;
    for (let i = 0; i < 150; i++) hub.publish(bigEvent(16));
    const last = hub.lastSeq;
    assert.equal(last - first + 1, 150, 'every event numbered at publish');
    await waitFor(() => good.seqs.at(-1) === last, { timeoutMs: 30_000, what: 'the reader received the burst' });
    assert.deepEqual(
      good.seqs.filter((s) => s >= first),
      Array.from({ length: 150 }, (_, i) => first + i),
    );
    good.ws.close();
    await waitFor(() => hub.clientCount === 0, { timeoutMs: 10_000, what: 'the reader gone' });
  });

  it('a client that never reads is cut off within seconds of its backlog passing the bound; a reader keeps every event', async () => {
    const good = reader();
    await good.opened;
    const before = await connections();
    const bad = nonReader();
    await waitFor(() => hub.clientCount === 2, { timeoutMs: 10_000, what: 'the non-reader subscribed' });
    assert.equal(await connections(), before + 1);
    // 64 KiB every 50 ms: ~1.3 MB/s, slow enough that the grace (not the hard bound) decides.
    const first = hub.lastSeq + 1;
    let published = 0;
    await waitFor(
      async () => {
        hub.publish(bigEvent(64 * 1024));
        published++;
        assert.ok(published < 2000, 'over 128 MB published and the non-reader is still there');
        return (await metric('node_stream_clients_dropped_total', 'reason="slow"')) === 1;
      },
      { timeoutMs: 60_000, intervalMs: 50, what: 'the non-reader cut off as slow' },
    );
    assert.equal(hub.clientCount, 1, 'only the reader is left');
    // Terminated, not merely sent a close frame it would never read: the socket is gone.
    await waitFor(async () => (await connections()) === before, { timeoutMs: 5_000, what: 'the non-reader socket closed on the server' });
    const last = hub.lastSeq;
    await waitFor(() => good.seqs.at(-1) === last, { timeoutMs: 30_000, what: 'the reader received everything' });
    const got = good.seqs.filter((s) => s >= first);
    assert.deepEqual(
      got,
      Array.from({ length: last - first + 1 }, (_, i) => first + i),
      'no gap, no repeat',
    );
    bad.destroy();
    good.ws.close();
    await waitFor(() => hub.clientCount === 0, { timeoutMs: 10_000, what: 'every client gone' });
  });

  it('a burst that puts a non-reader far over the bound cuts it off at once', async () => {
    const bad = nonReader();
    await waitFor(() => hub.clientCount === 1, { timeoutMs: 10_000, what: 'the non-reader subscribed' });
    // No pause between events: the grace never gets a chance; memory must stay bounded anyway.
    for (let i = 0; i < 400 && hub.clientCount > 0; i++) hub.publish(bigEvent(64 * 1024));
    assert.equal(hub.clientCount, 0, 'cut off during the burst');
    assert.equal(await metric('node_stream_clients_dropped_total', 'reason="overflow"'), 1);
    bad.destroy();
  });
});
