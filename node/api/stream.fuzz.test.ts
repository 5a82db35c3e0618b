// Fuzz: WS /stream of a real node over loopback. Clients connect with generated query strings
// (epoch: the real one or garbage; since: in range, out of range or not a number; repeated,
// %-encoded and unknown keys) and then send garbage frames, which the hub ignores. Each client
// must get `hello` first (seq = since on a resume that works) or `reset` with a reason then
// `hello`. Raw upgrade requests with odd request targets (absolute-form, unparsable URLs, bad
// %-sequences) must be answered or closed, never crash the node. Afterwards the node must
// still serve /stream and /health, and nothing may have gone unhandled.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { fuzz, fuzzTimeoutMs, UnhandledCollector } from '../../lib/fuzz/fuzz-run.ts';
import { weirdString, weirdText } from '../../lib/fuzz/generators.ts';
import { startFuzzNode, type FuzzNode } from '../testkit/fuzz-node.ts';

const CI_MS = 2_000;

interface StreamMessage {
  type: string;
  seq: number;
  reason?: string;
}

describe('fuzz: WS /stream of a real node', { timeout: fuzzTimeoutMs(CI_MS, 2) }, () => {
  let f: FuzzNode;
  let epoch: string;

  before(async () => {
    f = await startFuzzNode('stream-fuzz');
    epoch = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${f.node.url.replace('http', 'ws')}/stream`);
      ws.once('message', (d) => {
        resolve((JSON.parse(String(d)) as { epoch: string }).epoch);
        ws.close();
      });
      ws.once('error', reject);
    });
  });
  after(() => f?.stop());

  /** Connects, collects the first two messages, sends the garbage, closes. */
  function client(query: string, garbage: Array<string | Uint8Array>): Promise<{ messages: StreamMessage[]; closeCode: number }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${f.node.url.replace('http', 'ws')}/stream${query}`);
      const messages: StreamMessage[] = [];
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no hello within 15 s for ${query.slice(0, 200)}`));
      }, 15_000);
      ws.on('error', () => undefined);
      ws.on('message', (d) => {
        messages.push(JSON.parse(String(d)) as StreamMessage);
        if (messages.some((m) => m.type === 'hello')) {
          for (const g of garbage) if (ws.readyState === WebSocket.OPEN) ws.send(g, { binary: typeof g !== 'string' });
          if (ws.readyState === WebSocket.OPEN) ws.close(1000);
        }
      });
      ws.on('close', (code) => {
        clearTimeout(timer);
        resolve({ messages, closeCode: code });
      });
    });
  }

  it('any query string gets hello (or reset then hello); garbage from clients is ignored', async () => {
    const unhandled = new UnhandledCollector().start();
    try {
      const value = (k: string): fc.Arbitrary<string> =>
        k === 'epoch'
          ? fc.oneof(fc.constant(epoch), fc.constant(epoch.toUpperCase()), weirdString)
          : fc.oneof(
              fc.nat({ max: 5 }).map((d) => String(Math.max(0, f.node.chain.headRef().height - d))),
              fc.constantFrom('0', '-1', '1e3', '00', '99999999999999999999', '9007199254740993', ' 1', ''),
              weirdString,
            );
      const pair = fc.constantFrom('epoch', 'since', 'x', '__proto__').chain((k) => fc.tuple(fc.constant(k), value(k), fc.boolean()));
      const enc = (s: string, raw: boolean) => (raw ? s.replace(/[^A-Za-z0-9%._~-]/g, (c) => encodeURIComponent(c).replace(/%25/g, '%')) : encodeURIComponent(s));
      const input = fc.record({
        pairs: fc.array(pair, { maxLength: 4 }),
        garbage: fc.array(fc.oneof(weirdText, fc.uint8Array({ maxLength: 64 })), { maxLength: 3 }),
      });
      const { runs } = await fuzz('stream query', CI_MS, input, async ({ pairs, garbage }) => {
        const query = pairs.length ? `?${pairs.map(([k, v, raw]) => `${k}=${safe(() => enc(v, raw), encodeURIComponent(k))}`).join('&')}` : '';
        const lastSeq = f.node.chain.headRef().height; // a lower bound of the hub's seq
        const { messages } = await client(query, garbage);
        const [first, second] = messages;
        const shown = query.slice(0, 200);
        // node:http itself refuses a request head over 16 KiB (431) before /stream sees it; the
        // WebSocket handshake headers come on top of the query.
        if (query.length > 16 * 1024 - 512) return;
        assert.ok(first, `no message for ${shown}`);
        const params = new URL(`http://x/${query}`).searchParams;
        const since = params.get('since');
        if (first.type === 'reset') {
          assert.equal(typeof first.reason, 'string');
          assert.equal(second?.type, 'hello', `reset not followed by hello for ${shown}`);
        } else {
          assert.equal(first.type, 'hello', `first message ${first.type} for ${shown}`);
          if (params.get('epoch') === epoch && since !== null && /^\d+$/.test(since) && Number(since) <= lastSeq) assert.equal(first.seq, Number(since));
        }
      });
      assert.ok(runs > 20, `only ${runs} clients in the budget`);

      const target = fc.oneof(
        fc.constantFrom(
          'http://[/stream',
          'http://x/stream',
          '//stream',
          '/stream?since=%E0',
          '/stream?epoch=%',
          '*',
          '/stream#x',
          'stream',
          '/%73tream',
          '/stream/..',
          'http://127.0.0.1:1/stream?since=1',
        ),
        weirdString.map((s) => `/stream?${s.replace(/[\r\n ]/g, '_')}`),
        weirdString.map((s) => s.replace(/[\r\n ]/g, '_')),
      );
      await fuzz('stream raw upgrade', CI_MS, target, async (t) => {
        const answer = await rawUpgrade(f.node.port, t);
        assert.ok(answer === 'closed' || /^HTTP\/1\.1 \d{3}/.test(answer), `odd answer to ${t}: ${answer.slice(0, 80)}`);
      });
    } finally {
      unhandled.stop();
    }
    assert.deepEqual(unhandled.problems, []);
    const { messages } = await client('', []);
    assert.equal(messages[0]?.type, 'hello');
    assert.equal((await f.client.health()).status, 'ok');
  });
});

function safe(fn: () => string, fallback: string): string {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** Sends a WebSocket upgrade with `target` as the request target; resolves with the status line, or 'closed'. */
function rawUpgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to an upgrade of ${target} within 15 s`));
    }, 15_000);
    socket.on('connect', () =>
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      ),
    );
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (data.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.split('\r\n')[0]);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data ? data.split('\r\n')[0] : 'closed');
    });
  });
}
