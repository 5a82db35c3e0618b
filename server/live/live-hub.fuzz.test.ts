// Fuzz: what a browser (or anyone) can send to the control plane's Socket.IO hub, on a real
// LiveHub over loopback: Socket.IO events with generated names and arguments (subscribe and
// unsubscribe with weird rooms, non-arrays, nesting, binary attachments, acks, unknown
// events), raw Engine.IO/Socket.IO packets on a WebSocket, and polling requests with odd
// query strings and bodies. The hub must only ever join a socket to known rooms, answer HTTP
// below 500, leave nothing unhandled, and still push to a fresh subscriber afterwards.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { fuzz, fuzzTimeoutMs, UnhandledCollector } from '../../lib/fuzz/fuzz-run.ts';
import { jsonText, weirdString, weirdText, weirdValue } from '../../lib/fuzz/generators.ts';
import { LiveRooms } from '../../wire/live-events.ts';
import { LiveHub } from './live-hub.ts';

const CI_MS = 1_500;

/** A generated value as Socket.IO can carry it: parsed JSON, a string, or bytes. */
const socketValue: fc.Arbitrary<unknown> = fc.oneof(
  weirdValue.map((v) => {
    try {
      const parsed = JSON.parse(jsonText(v)) as unknown;
      JSON.stringify(parsed); // nesting JSON.parse takes but JSON.stringify cannot write back goes as text
      return parsed;
    } catch {
      return jsonText(v);
    }
  }),
  fc.array(fc.oneof(fc.constantFrom(...LiveRooms), weirdString, fc.constant(null), fc.constant(['heads'])), { maxLength: 6 }),
  fc.uint8Array({ maxLength: 32 }).map((b) => Buffer.from(b)),
);

describe('fuzz: the Socket.IO hub (server/live)', { timeout: fuzzTimeoutMs(CI_MS, 3) }, () => {
  let server: http.Server;
  let hub: LiveHub;
  let base: string;
  /** Events the server received from each socket, so a test knows when its last emit was processed. */
  const seen = new Map<string, string[]>();

  before(async () => {
    server = http.createServer();
    hub = new LiveHub(server, { tickMs: 250, headIntervalMs: 25, logger: pino({ level: 'silent' }) });
    hub.io.on('connection', (s) => s.onAny((event: string) => void (seen.get(s.id) ?? seen.set(s.id, []).get(s.id)!).push(String(event))));
    hub.start();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    hub?.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const connect = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const c = io(base, { transports: ['websocket'], forceNew: true, reconnection: false });
      c.once('connect', () => resolve(c));
      c.once('connect_error', reject);
    });

  it('Socket.IO events with generated names and arguments join only known rooms', async () => {
    const unhandled = new UnhandledCollector().start();
    let client = await connect();
    let probe = 0;
    try {
      const emits = fc.array(
        fc.record({
          event: fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom('subscribe', 'unsubscribe') },
            { weight: 1, arbitrary: fc.oneof(weirdString, fc.constantFrom('connect', 'disconnect', 'error', '__proto__', 'constructor')) },
          ),
          args: fc.array(socketValue, { maxLength: 3 }),
          ack: fc.boolean(),
        }),
        { minLength: 1, maxLength: 5 },
      );
      await fuzz('socket.io events', CI_MS, emits, async (list) => {
        if (!client.connected) client = await connect();
        for (const e of list) {
          try {
            if (e.ack) client.emit(e.event, ...e.args, () => undefined);
            else client.emit(e.event, ...e.args);
          } catch {
            // The client refuses reserved names itself ('connect', 'disconnect'): nothing was sent.
          }
        }
        // The server handles one socket's packets in order: once it saw the probe, it saw the rest.
        const marker = `fuzz-probe-${++probe}`;
        client.emit(marker);
        const deadline = Date.now() + 15_000;
        while (!(seen.get(client.id!) ?? []).includes(marker)) {
          if (!client.connected) return; // the server dropped a socket that broke the protocol
          if (Date.now() > deadline) throw new Error(`the hub did not process ${marker} within 15 s`);
          await new Promise((r) => setTimeout(r, 2));
        }
        const rooms = [...(hub.io.sockets.sockets.get(client.id!)?.rooms ?? [])];
        const odd = rooms.filter((r) => r !== client.id && !(LiveRooms as readonly string[]).includes(r));
        assert.deepEqual(odd, [], `joined rooms that do not exist: ${JSON.stringify(odd)}`);
      });
    } finally {
      client.disconnect();
      unhandled.stop();
    }
    assert.deepEqual(unhandled.problems, []);
  });

  it('raw Engine.IO packets and polling requests neither crash the hub nor get a 5xx; a fresh subscriber still gets pushes', async () => {
    const unhandled = new UnhandledCollector().start();
    try {
      const packet = fc.oneof(
        weirdText,
        fc.tuple(fc.constantFrom('0', '1', '2', '3', '4', '40', '41', '42', '43', '44', '45', '451-', '46', '4/x,', '6', '9'), weirdText).map(([p, t]) => p + t),
        fc.array(socketValue, { maxLength: 3 }).map((args) => `42${JSON.stringify(['subscribe', ...args])}`),
        fc.constantFrom(
          '451-["subscribe",{"_placeholder":true,"num":0}]',
          '452-["subscribe",{"_placeholder":true,"num":7}]',
          '42["subscribe",{"_placeholder":true,"num":0}]',
          '42[]',
          '42{}',
          '42"subscribe"',
          '42[1]',
          '40{"__proto__":1}',
        ),
      );
      await fuzz('engine.io websocket', CI_MS, fc.array(fc.oneof(packet, fc.uint8Array({ maxLength: 32 })), { minLength: 1, maxLength: 6 }), async (frames) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
        ws.on('error', () => undefined);
        await new Promise<void>((resolve) => {
          ws.once('open', () => {
            ws.send('40');
            for (const fr of frames) if (ws.readyState === WebSocket.OPEN) ws.send(fr, { binary: typeof fr !== 'string' });
            ws.close();
          });
          ws.once('close', () => resolve());
        });
      });
      const query = fc.array(
        fc.tuple(
          fc.constantFrom('EIO', 'transport', 'sid', 't', 'b64', 'j', '__proto__'),
          fc.oneof(fc.constantFrom('4', '3', '5', 'polling', 'websocket', 'webtransport', ''), weirdString),
        ),
        { maxLength: 5 },
      );
      await fuzz('engine.io polling', CI_MS, fc.record({ query, method: fc.constantFrom('GET', 'POST', 'PUT', 'OPTIONS'), body: fc.option(weirdText) }), async (r) => {
        const qs = r.query.map(([k, v]) => `${k}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '?'))}`).join('&');
        const res = await fetch(`${base}/socket.io/?${qs}`, {
          method: r.method,
          ...(r.body !== null && r.method !== 'GET' ? { body: r.body } : {}),
          signal: AbortSignal.timeout(15_000),
        });
        await res.arrayBuffer();
        assert.ok(res.status < 500, `${r.method} /socket.io/?${qs.slice(0, 200)} → ${res.status}`);
      });
    } finally {
      unhandled.stop();
    }
    assert.deepEqual(unhandled.problems, []);

    const fresh = await connect();
    try {
      fresh.emit('subscribe', ['heads']);
      const got = new Promise<string>((resolve) => fresh.on('heads:new', (heads: Array<{ nodeId: string }>) => heads.some((h) => h.nodeId === 'after-fuzz') && resolve('ok')));
      const timer = setInterval(() => hub.pushHead({ nodeId: 'after-fuzz', height: 1, hash: 'ab'.repeat(32), reorgDepth: 0, at: Date.now() }), 50);
      try {
        assert.equal(await got, 'ok');
      } finally {
        clearInterval(timer);
      }
    } finally {
      fresh.disconnect();
    }
  });
});
