// Integration: partition shapes and clock faults on a real 5-node local testnet, read from the
// nodes themselves (/peers, /health). A majorities-ring leaves each node hearing exactly the
// majority its recorded view names; a clock strobe makes the node's reported offset flip and
// stop flipping after the heal; a clock bump moves the current offset.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { startChaosTestnet, type ChaosTestnet } from '../testing/chaos-testnet.ts';
import type { NodeStatus } from '../../wire/explorer-api.ts';
import { PartitionResolutionSchema } from '../../wire/chaos-api.ts';
import type { Health, PeerInfo } from '../../wire/node-api.ts';

describe('partition shapes and clock faults on a 5-node testnet', { timeout: 240_000 }, () => {
  let net: ChaosTestnet;
  const nodes = () => net.nodes();
  const nodeGet = <T>(n: NodeStatus, p: string) => net.nodeGet<T>(n, p);
  const chaos = (body: unknown) => net.chaos(body);

  /**
   * The peers node `n` really hears from: a dropped link can still read "connected" (the socket
   * reconnects and lives until its ping timeout), so a link counts as live when a connection to
   * that peer delivered messages between two reads of /peers (gossip flows every block, 300 ms).
   */
  const livePeers = () => {
    const lastCount = new Map<string, number>();
    return async (n: NodeStatus): Promise<string[]> => {
      const peers = (await nodeGet<{ peers: PeerInfo[] }>(n, '/peers')).peers.filter((p) => p.state === 'connected' && p.id);
      const live = new Set<string>();
      for (const p of peers) {
        const key = `${n.id}>${p.id}|${p.direction}|${p.connectedSince}`;
        if ((lastCount.get(key) ?? Infinity) < p.messagesIn) live.add(p.id!);
        lastCount.set(key, p.messagesIn);
      }
      return [...live].sort();
    };
  };
  const waitForLivePeers = async (n: NodeStatus, expected: string[], what: string) => {
    const live = livePeers();
    await waitFor(
      async () => {
        const have = await live(n);
        // Thrown, so the timeout message says what the node had last.
        if (JSON.stringify(have) !== JSON.stringify(expected)) throw new Error(`live links to ${have.join(', ') || 'none'}`);
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, what: `${n.name} ${what} ${expected.join(', ')}` },
    );
  };
  const clockOffset = async (n: NodeStatus) => (await nodeGet<Health>(n, '/health')).clockOffsetMs;

  before(async () => {
    net = await startChaosTestnet({ nodes: 5, blockTimeMs: 300, txRate: 1, prefix: 'chaos-shapes-it-' });
  });
  // A test that failed half-way must not leave its fault to the next one.
  afterEach(() => net?.cleanUp());
  after(() => net?.stop());

  it('majorities-ring: every node hears exactly its recorded majority, all links back after the heal', async () => {
    const ns = await nodes();
    const record = await chaos({ kind: 'partition-shape', shape: 'majorities-ring', seed: 7, durationSec: 600 });
    const resolved = PartitionResolutionSchema.parse(record.params.resolved);
    assert.equal(resolved.seed, 7, 'the seed is recorded');
    assert.deepEqual(record.targets, ns.map((n) => n.id).sort(), 'the ring touches every node');
    const views = new Set(Object.values(resolved.views).map((v) => v.join(',')));
    assert.equal(views.size, 5, 'five different majorities');

    for (const n of ns) {
      const expected = resolved.views[n.id].filter((id) => id !== n.id).sort();
      assert.ok(expected.length + 1 >= 3, `${n.name} keeps a majority`);
      await waitForLivePeers(n, expected, 'hearing exactly its majority');
    }

    await chaos({ kind: 'heal' });
    for (const n of ns) {
      await waitForLivePeers(
        n,
        ns
          .filter((p) => p.id !== n.id)
          .map((p) => p.id)
          .sort(),
        'hearing all four peers after the heal',
      );
    }
    await net.agreed('agreement after healing the ring');
  });

  it('a shape without a seed gets one drawn and recorded; a shape that cannot be met is a coded 400', async () => {
    const record = await chaos({ kind: 'partition-shape', shape: 'isolate', select: { pick: 'minority-third' } });
    const resolved = PartitionResolutionSchema.parse(record.params.resolved);
    assert.equal(record.params.seed, resolved.seed);
    assert.equal(typeof resolved.seed, 'number');
    assert.equal(record.targets.length, 1, 'fewer than a third of 5 is one node');
    assert.deepEqual(resolved.groups[0], record.targets);

    const bad = await net.post({ kind: 'partition-shape', shape: 'isolate', select: { pick: 'random-k', k: 9 } });
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'CHAOS_BAD_TARGET');
    assert.match(body.error.message, /asks for 9 nodes, only 5/);
  });

  it('clock-strobe: the node’s offset alternates +delta / 0 each period and stays 0 after the heal; clock-bump moves the offset', async () => {
    const x = (await nodes())[2];
    await chaos({ kind: 'clock-strobe', node: x.id, deltaMs: 5_000, periodMs: 400 });
    // Wait for the flips themselves: +5000, then 0, then +5000 again, seen on the node.
    const seen: number[] = [];
    await waitFor(
      async () => {
        const o = await clockOffset(x);
        if (seen.at(-1) !== o) seen.push(o);
        return seen.join(',').includes('5000,0,5000,0');
      },
      { timeoutMs: 30_000, intervalMs: 50, what: `offset flips 5000/0 (seen ${seen.join(',')})` },
    );
    assert.ok(
      seen.every((o) => o === 5_000 || o === 0),
      `only +delta and 0: ${seen.join(',')}`,
    );

    await chaos({ kind: 'heal' });
    // Stopped: the offset reads 0 without a break for five periods.
    let zeroSince: number | null = null;
    await waitFor(
      async () => {
        const o = await clockOffset(x);
        if (o !== 0) zeroSince = null;
        else zeroSince ??= Date.now();
        return zeroSince !== null && Date.now() - zeroSince > 2_000;
      },
      { timeoutMs: 30_000, intervalMs: 50, what: 'the offset to stay 0 after the heal' },
    );

    await chaos({ kind: 'clock-skew', node: x.id, offsetMs: 1_000 });
    await chaos({ kind: 'clock-bump', node: x.id, deltaMs: -3_500 });
    assert.equal(await clockOffset(x), -2_500, 'the bump moved the offset from 1000 by -3500');
  });
});
