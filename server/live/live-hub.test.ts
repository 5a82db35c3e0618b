import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { LiveHub } from './live-hub.ts';
import { FakeTimers } from '../testing/fake-timers.ts';
import type { ClientToServerEvents, HeadChange, ServerToClientEvents } from '../../wire/live-events.ts';
import type { NodesResponse } from '../../wire/explorer-api.ts';

const emptySnapshot: NodesResponse = { nodes: [], network: { status: 'unknown', agreedHeight: null }, seq: 1 };

async function withHub(fn: (hub: LiveHub, client: Socket<ServerToClientEvents, ClientToServerEvents>) => Promise<void>, headIntervalMs = 40, timers?: FakeTimers): Promise<void> {
  const server = http.createServer();
  const hub = new LiveHub(server, { tickMs: 250, headIntervalMs, logger: pino({ level: 'silent' }), timers });
  hub.start();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client: Socket<ServerToClientEvents, ClientToServerEvents> = io(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    await fn(hub, client);
  } finally {
    client.disconnect();
    hub.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Joins 'heads' and waits until a probe head arrives, so the join has taken effect. With fake
 * timers, each probe first moves the clock a whole interval on, so it is not held back.
 */
async function joinHeads(hub: LiveHub, client: Socket<ServerToClientEvents, ClientToServerEvents>, timers?: FakeTimers): Promise<number> {
  client.emit('subscribe', ['heads']);
  const probe = new Promise<number>((resolve) => client.once('heads:new', (heads) => resolve(heads[heads.length - 1].seq)));
  const timer = setInterval(() => {
    timers?.advance(10_000);
    hub.pushHead({ nodeId: 'probe', height: 0, hash: 'probe', reorgDepth: 0, at: Date.now() });
  }, 20);
  try {
    return await probe;
  } finally {
    clearInterval(timer);
  }
}

test('heads:new carries every head change once, in order, numbered, batched per interval', async () => {
  await withHub(async (hub, client) => {
    const afterSeq = await joinHeads(hub, client);
    const received: HeadChange[] = [];
    const messages: number[] = [];
    client.on('heads:new', (heads) => {
      messages.push(performance.now());
      received.push(...heads.filter((h) => h.seq > afterSeq && h.nodeId !== 'probe'));
    });
    // Two nodes move their heads every 5 ms for 400 ms; every second move of node-a comes
    // right after the previous one (what a fixed-tick snapshot would have merged).
    const started = performance.now();
    let height = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        height++;
        hub.pushHead({ nodeId: 'node-a', height, hash: `a${height}`, reorgDepth: 0, at: Date.now() });
        hub.pushHead({ nodeId: 'node-b', height, hash: `b${height}`, reorgDepth: height % 10 === 0 ? 1 : 0, at: Date.now() });
        if (performance.now() - started >= 400) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    const pushed = height * 2;
    const deadline = Date.now() + 5_000;
    while (received.length < pushed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(received.length, pushed, 'every head once');
    for (let i = 1; i < received.length; i++) assert.equal(received[i].seq, received[i - 1].seq + 1, `consecutive sequence at ${i}`);
    assert.deepEqual(
      received.slice(0, 2).map((h) => h.hash),
      ['a1', 'b1'],
    );
    assert.equal(received.find((h) => h.hash === 'b10')?.reorgDepth, 1);
    // Batched: ~160 pushes in 400 ms arrive in about 400 / 40 messages, not 160.
    assert.ok(messages.length <= Math.ceil((performance.now() - started) / 40) + 2, `${messages.length} messages`);
  });
});

test('a lone head after a quiet spell is sent at once, not on the next tick', { timeout: 15_000 }, async () => {
  // The throttle's clock is moved by hand: the quiet spell takes no real time, and the clock
  // stands still afterwards, so the head arrives only if it is sent without waiting for a tick.
  const timers = new FakeTimers();
  await withHub(
    async (hub, client) => {
      await joinHeads(hub, client, timers);
      timers.advance(2_100); // quiet for longer than the 2 s interval
      const arrived = new Promise<void>((resolve) => {
        const onHeads = (heads: HeadChange[]) => {
          if (!heads.some((h) => h.hash === 'a1')) return; // a late probe
          client.off('heads:new', onHeads);
          resolve();
        };
        client.on('heads:new', onHeads);
      });
      hub.pushHead({ nodeId: 'node-a', height: 1, hash: 'a1', reorgDepth: 0, at: Date.now() });
      assert.equal(timers.pendingTimers, 0, 'nothing waits for a tick');
      await arrived;
    },
    2_000,
    timers,
  );
});

test("clients outside the 'heads' room do not get heads:new", async () => {
  await withHub(async (hub, client) => {
    client.emit('subscribe', ['network']);
    let got = 0;
    client.on('heads:new', () => got++);
    const nodes = new Promise<void>((resolve) => client.once('nodes:update', () => resolve()));
    const timer = setInterval(() => hub.pushNodes(emptySnapshot), 20);
    await nodes;
    clearInterval(timer);
    hub.pushHead({ nodeId: 'node-a', height: 1, hash: 'a1', reorgDepth: 0, at: Date.now() });
    hub.pushNodes(emptySnapshot);
    await new Promise<void>((resolve) => client.once('nodes:update', () => resolve()));
    assert.equal(got, 0);
  });
});

test('nodes:update carries the rows and the verdict of one snapshot; of two pending, the newer goes whole', async () => {
  await withHub(async (hub, client) => {
    client.emit('subscribe', ['network']);
    const probe = new Promise<void>((resolve) => client.once('nodes:update', () => resolve()));
    const timer = setInterval(() => hub.pushNodes(emptySnapshot), 20);
    await probe;
    clearInterval(timer);
    const row = (height: number) => ({ ...nodeRow, height, lag: 0 });
    const older: NodesResponse = { nodes: [row(62)], network: { status: 'agreed', agreedHeight: 62 }, seq: 10 };
    const newer: NodesResponse = { nodes: [row(63)], network: { status: 'agreed', agreedHeight: 63 }, seq: 11 };
    const got = new Promise<[number | null, number | null, number]>((resolve) =>
      client.on('nodes:update', (nodes, snap) => {
        if (snap.seq >= 10) resolve([nodes[0].height, snap.network.agreedHeight, snap.seq]);
      }),
    );
    // Both pushed within one throttle interval: only the newer one may arrive, rows and verdict together.
    hub.pushNodes(older);
    hub.pushNodes(newer);
    assert.deepEqual(await got, [63, 63, 11]);
  });
});

const nodeRow: NodesResponse['nodes'][number] = {
  id: 'node-a',
  name: 'node-a',
  url: 'http://127.0.0.1:1',
  source: 'local',
  status: 'in-sync',
  statusReason: null,
  height: 0,
  headHash: 'a',
  lag: 0,
  peers: 1,
  lastHeadAt: 1,
  nodeHealth: 'ok',
  healthReasons: [],
  validator: true,
};
