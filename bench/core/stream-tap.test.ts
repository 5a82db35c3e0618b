import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor } from '../../node/testkit/wait-for.ts';
import type { StreamEventOf } from '../../wire/node-api.ts';
import { StreamTap, type TapEvent } from './stream-tap.ts';

const h = (c: string) => c.repeat(64);
const header = (height: number) => ({ chainId: 'test', height, parentHash: h('0'), timestamp: 1, slot: height, proposer: h('a'), txRoot: h('b') });
const hello = (seq: number, epoch = 'e1'): StreamEventOf<'hello'> => ({
  type: 'hello',
  seq,
  at: 1,
  epoch,
  node: { id: 'n1', name: 'node-1', publicKey: h('a'), pid: 1, validator: true },
  head: { height: 0, hash: h('c') },
  genesisHash: h('c'),
  blockTimeMs: 500,
  peers: [],
  chaos: { rules: [], paused: false, clockOffsetMs: 0 },
});
// Transactions that would fail the wire schema: the tap must not look at them.
const block = (seq: number, height: number) => ({
  type: 'block',
  seq,
  at: 2,
  acceptedAt: 2.5,
  block: { hash: h(String(height % 10)), header: header(height), txs: [{ not: 'checked' }], signature: 'x' },
});
const head = (seq: number, height: number): StreamEventOf<'head'> => ({ type: 'head', seq, at: 3, head: { height, hash: h(String(height % 10)) }, reorg: null });

/** A node's /stream stand-in: `script(ws, url)` decides what each connection gets. */
async function fakeStream(script: (ws: WebSocket, url: URL) => void): Promise<{ url: string; urls: URL[]; sockets: WebSocket[]; close(): Promise<void> }> {
  const server = http.createServer();
  const wss = new WebSocketServer({ server, path: '/stream' });
  const urls: URL[] = [];
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url!, 'http://x');
    urls.push(url);
    sockets.push(ws);
    script(ws, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    urls,
    sockets,
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('StreamTap', () => {
  const cleanup: Array<() => unknown> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('waits for the hello, parses with the wire schema, and hands on only the types asked for', async () => {
    const fake = await fakeStream((ws) => {
      const hi = hello(5);
      ws.send(JSON.stringify(hi));
      ws.send(JSON.stringify(block(6, 1)));
      ws.send(JSON.stringify({ type: 'chaos', seq: 7, at: 3, chaos: 'not even the right shape' }));
      ws.send(JSON.stringify(head(8, 1)));
    });
    cleanup.push(() => fake.close());
    const hellos: string[] = [];
    const blocks: TapEvent<'block'>[] = [];
    const heads: Array<{ height: number; receivedAt: number }> = [];
    const tap = await StreamTap.open([fake.url], {
      on: {
        hello: (_n, e) => hellos.push(e.node.name),
        block: (_n, e) => blocks.push(e),
        head: (_n, e, receivedAt) => heads.push({ height: e.head.height, receivedAt }),
      },
    });
    cleanup.push(() => tap.close());
    assert.deepEqual(hellos, ['node-1']);
    await waitFor(() => heads.length === 1, { timeoutMs: 5_000, what: 'the head event' });
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0].block.header.height, 1);
    assert.equal(blocks[0].acceptedAt, 2.5);
    assert.equal('txs' in blocks[0].block, false, 'transactions are skipped, not parsed');
    assert.ok(Math.abs(heads[0].receivedAt - Date.now()) < 5_000);
    assert.deepEqual(tap.cursor(0), { epoch: 'e1', seq: 8 }, 'the unparsed chaos event still moves the cursor');
  });

  it('refuses a node that says no hello in time', async () => {
    const fake = await fakeStream(() => undefined);
    cleanup.push(() => fake.close());
    await assert.rejects(StreamTap.open([fake.url], { on: {}, helloTimeoutMs: 300 }), /no hello from .* within 300 ms/);
  });

  it('an invalid event of a type asked for takes the stream down, reported once', async () => {
    const fake = await fakeStream((ws) => {
      ws.send(JSON.stringify(hello(1)));
      ws.send(JSON.stringify({ type: 'head', seq: 2, at: 3, head: { height: -1, hash: 'zz' }, reorg: null }));
    });
    cleanup.push(() => fake.close());
    const down: string[] = [];
    const tap = await StreamTap.open([fake.url], { on: { head: () => assert.fail('an invalid head was handed on') }, onDown: (_n, reason) => down.push(reason) });
    cleanup.push(() => tap.close());
    await waitFor(() => down.length > 0, { timeoutMs: 5_000, what: 'the stream reported down' });
    assert.equal(down.length, 1);
    assert.match(down[0], /invalid head event/);
  });

  it('with resume, reconnects from its cursor and hands on the missed events once', async () => {
    const fake = await fakeStream((ws, url) => {
      if (!url.searchParams.has('since')) {
        ws.send(JSON.stringify(hello(10)));
        ws.send(JSON.stringify(head(11, 1)));
        setTimeout(() => ws.terminate(), 50); // the link breaks
      } else {
        // A working resume: the hello repeats the client's cursor, then what it missed (and
        // one event it already has, which must not be handed on twice).
        const since = Number(url.searchParams.get('since'));
        ws.send(JSON.stringify(hello(since)));
        ws.send(JSON.stringify(head(11, 1)));
        ws.send(JSON.stringify(head(12, 2)));
      }
    });
    cleanup.push(() => fake.close());
    const heads: number[] = [];
    const hellos: number[] = [];
    const down: string[] = [];
    const tap = await StreamTap.open([fake.url], {
      resume: true,
      on: { hello: (_n, e) => hellos.push(e.seq), head: (_n, e) => heads.push(e.head.height) },
      onDown: (_n, reason) => down.push(reason),
    });
    cleanup.push(() => tap.close());
    await waitFor(() => heads.length >= 2, { timeoutMs: 10_000, what: 'the missed head after the resume' });
    assert.deepEqual(heads, [1, 2]);
    assert.deepEqual(hellos, [10], 'the resumed hello is not news');
    assert.equal(down.length, 1);
    assert.equal(fake.urls[1].searchParams.get('epoch'), 'e1');
    assert.equal(fake.urls[1].searchParams.get('since'), '11');
  });

  it('without resume, a lost stream stays down', async () => {
    const fake = await fakeStream((ws) => {
      ws.send(JSON.stringify(hello(1)));
      setTimeout(() => ws.terminate(), 20);
    });
    cleanup.push(() => fake.close());
    const down: number[] = [];
    const tap = await StreamTap.open([fake.url], { on: {}, onDown: (n) => down.push(n) });
    cleanup.push(() => tap.close());
    await waitFor(() => down.length === 1, { timeoutMs: 5_000, what: 'the loss reported' });
    assert.equal(fake.urls.length, 1, 'no reconnection');
  });
});
