// Integration: a 2|2 partition made with admin drop rules grows two forks, and its links stay
// down (their redials lose the handshake to the fault, with no reconnect in between); after
// healing, every node ends on one chain and the losing side reports a reorg (with its depth)
// on /stream.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.ts';
import { freePorts } from '../../lib/free-port.ts';
import { NodeClient, type StreamRecorder } from '../testkit/node-client.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { LocalTestnet } from './local-testnet.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partition-it-'));
let testnet: LocalTestnet;
let streams: StreamRecorder[] = [];

describe('partition and heal', { timeout: 150_000 }, () => {
  before(async () => {
    testnet = new LocalTestnet(
      { nodes: 4, basePort: await freePorts(4), blockTimeMs: 250, dataDir, txRate: 1, pingIntervalMs: 1000 },
      { logger: createLogger({ level: 'warn', name: 'test' }) },
    );
    await testnet.start();
  });

  after(async () => {
    for (const s of streams) s.close();
    await testnet?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('two forks grow under a 2|2 partition and reconverge by reorg after healing', async () => {
    const nodes = testnet.nodes().map((n) => new NodeClient(n.url, n.adminToken));
    const ids = await Promise.all(nodes.map(async (c) => (await c.health()).node.id));
    await waitFor(async () => (await Promise.all(nodes.map((c) => c.health()))).every((h) => h.peers.connected === 3 && h.blockchain.height >= 4), {
      timeoutMs: 30_000,
      what: 'a connected network',
    });
    streams = nodes.map((c) => c.stream());
    await waitFor(() => streams.every((s) => s.events[0]?.type === 'hello'), { timeoutMs: 10_000, what: 'hello on every stream' });

    const groups = [
      [0, 1],
      [2, 3],
    ];
    const other = (i: number) => groups.find((g) => !g.includes(i))!;
    await Promise.all(nodes.map((c, i) => c.setRules(other(i).map((j) => ({ peer: ids[j], direction: 'both' as const, drop: true })))));
    const splitAt = Math.max(...(await Promise.all(nodes.map(async (c) => (await c.health()).blockchain.height))));

    // Both sides keep producing (each holds 2 of the 4 slots): their chains differ above the split.
    await waitFor(
      async () => {
        const hs = await Promise.all(nodes.map((c) => c.health()));
        if (!hs.every((h) => h.blockchain.height >= splitAt + 6)) return false;
        const probe = splitAt + 4;
        const [a, b] = await Promise.all([nodes[0].block(probe), nodes[2].block(probe)]);
        return a !== null && b !== null && a.hash !== b.hash;
      },
      { timeoutMs: 40_000, what: 'two forks above the split' },
    );
    // A partition cuts a link as a real one stops a connection: once a link across the cut has
    // dropped, its redials lose their handshake to the fault (/peers says so, naming the peer)
    // and none comes up as "connected" until the heal, so no link flaps.
    await waitFor(
      async () => {
        const lists = await Promise.all(nodes.map((c) => c.peers()));
        return lists.every((peers, i) => other(i).every((j) => peers.some((p) => p.id === ids[j] && p.state !== 'connected' && /link fault/.test(p.lastReconnectReason ?? ''))));
      },
      { timeoutMs: 40_000, what: 'every link across the cut redialled, its handshake lost to the fault' },
    );
    streams.forEach((s, i) => {
      const across = s.of('peer').filter((e) => other(i).some((j) => e.peer.id === ids[j]));
      const firstDrop = across.findIndex((e) => e.event === 'disconnected');
      const reconnects = across.slice(firstDrop + 1).filter((e) => e.event === 'connected');
      assert.deepEqual(reconnects, [], `node ${i + 1} reconnected across the cut during the partition`);
    });
    const chaosEvents = streams[0].of('chaos');
    assert.ok(
      chaosEvents.some((e) => e.chaos.rules.length === 2),
      'rule change was streamed',
    );

    await Promise.all(nodes.map((c) => c.setRules([])));
    await waitFor(
      async () => {
        const hs = await Promise.all(nodes.map((c) => c.health()));
        const common = Math.min(...hs.map((h) => h.blockchain.height)) - 1;
        if (common < splitAt + 8) return false;
        const hashes = await Promise.all(nodes.map(async (c) => (await c.block(common))?.hash));
        return hashes.every((h) => h === hashes[0]);
      },
      { timeoutMs: 60_000, what: 'one chain after healing' },
    );
    const reorgs = streams.flatMap((s) => s.of('head')).filter((e) => e.reorg !== null);
    assert.ok(reorgs.length > 0, 'some node reorganised');
    assert.ok(
      reorgs.some((e) => e.reorg!.depth >= 2),
      `a reorg of depth >= 2: ${JSON.stringify(reorgs.map((r) => r.reorg))}`,
    );
    for (const r of reorgs) assert.ok(r.reorg!.commonAncestor.height < r.reorg!.oldHead.height);
    assert.deepEqual(
      streams.flatMap((s) => s.invalid),
      [],
      'every stream event matches the wire schema',
    );
    // Seq numbers strictly increase on each stream.
    for (const s of streams) {
      const seqs = s.events.slice(1).map((e) => e.seq);
      assert.ok(seqs.every((q, i) => i === 0 || q > seqs[i - 1]));
    }
    for (const c of nodes) assert.equal((await c.health()).status, 'ok');
  });
});
