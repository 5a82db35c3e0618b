// Integration: the control plane over a real 4-validator BFT testnet (500 ms blocks) and a real
// Postgres, faults injected through POST /api/chaos. What BFT promises, checked on the nodes
// themselves (their /health and block pages): every node finalizes the same blocks; a 2|2
// partition has no quorum, so nothing new is finalized anywhere (at most the commit in flight),
// the monitor says 'halted' with a reason, and after the heal commits resume with no finalized
// block changed; a 3|1 partition keeps the three committing while the one waits, and after the
// heal it catches up to the same chain. The safety checker raises no violation throughout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../node/testkit/wait-for.ts';
import type { HealthResponse } from '../wire/explorer-api.ts';
import { startBftPlane, type BftPlane, type Tip } from './testing/bft-plane.ts';

const BLOCK_TIME_MS = 500;

describe('control plane over a partitioned BFT testnet', { timeout: 300_000 }, () => {
  let t: BftPlane;
  let ids: string[] = [];
  const api = <T>(p: string) => t.api<T>(p);
  const chaos = async (body: unknown) => void (await t.chaos(body));
  const tip = (id: string) => t.tip(id);
  const tips = (of: string[] = ids) => t.tips(of);
  const clients = { get: (id: string) => t.clients.get(id) };
  const assertSameChain = (upTo: number, of: string[] = ids) => t.assertSameChain(upTo, of);
  const safetyViolations = () => t.alerts('safety-violation');

  /**
   * Sample the nodes until each one's own clock (uptime) moved on by `blockTimes` block times,
   * checking on every sample that no node's finalized height exceeds `bound(id)`. Uptime is
   * whole seconds, so one second more than asked is awaited.
   */
  const holdsFor = async (of: string[], blockTimes: number, bound: (id: string, t: Tip) => void) => {
    const start = await tips(of);
    const needSec = Math.ceil((blockTimes * BLOCK_TIME_MS) / 1000) + 1;
    await waitFor(
      async () => {
        const now = await tips(of);
        now.forEach((t, i) => bound(of[i], t));
        return now.every((t, i) => t.uptimeSec - start[i].uptimeSec >= needSec);
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `${blockTimes} block times on every node's clock` },
    );
  };

  before(async () => {
    t = await startBftPlane({ blockTimeMs: BLOCK_TIME_MS });
    ids = t.ids;
  });

  after(async () => {
    await t?.stop();
  });

  it('4 validators commit: the same finalized hash at a height on every node', async () => {
    await waitFor(async () => (await tips()).every((t) => t.height >= 10), { timeoutMs: 60_000, what: 'every node finalized height 10' });
    const at = Math.min(...(await tips()).map((t) => t.height));
    // /health names only the tip: read each node's at the same height (the lowest tip), then all chains.
    const hashes = await Promise.all(ids.map(async (id) => (await clients.get(id)!.block(at)).hash));
    assert.equal(new Set(hashes).size, 1, `one hash at height ${at}: ${hashes.join(', ')}`);
    await assertSameChain(at);
    const h = await api<HealthResponse>('/api/health');
    assert.equal(h.network.engine, 'bft');
    assert.deepEqual(await safetyViolations(), []);
  });

  it('2|2 partition: halted, nothing new finalized, no block differs; after the heal commits resume and no block is reverted', async () => {
    const before = Math.min(...(await tips()).map((t) => t.height));
    const recorded = await assertSameChain(before);

    await chaos({ kind: 'partition', groups: [ids.slice(0, 2), ids.slice(2)] });
    const atPartition = Math.max(...(await tips()).map((t) => t.height));

    const halted = await waitFor(
      async () => {
        const h = await api<HealthResponse>('/api/health');
        return h.network.status === 'halted' ? h.network : null;
      },
      { timeoutMs: 60_000, what: "the monitor to say 'halted'" },
    );
    assert.equal(halted.engine, 'bft');
    assert.ok(halted.reason && halted.reason.length > 0, 'a halted verdict gives its reason');
    // Every validator answers the control plane; the reason names who lacks whose votes (read from each node's GET /consensus).
    const named = await waitFor(
      async () => {
        const n = (await api<HealthResponse>('/api/health')).network;
        return n.status === 'halted' && (n.validators?.missingVotes?.length ?? 0) === 4 ? n : null;
      },
      { timeoutMs: 30_000, what: 'the halted reason to name the missing votes of all four validators' },
    );
    const half = (id: string) => (ids.slice(0, 2).includes(id) ? ids.slice(2) : ids.slice(0, 2));
    for (const v of named.validators!.missingVotes!) assert.deepEqual([...v.missing].sort(), [...half(v.nodeId)].sort(), `${v.nodeId} lacks the other side's votes`);
    assert.match(named.reason!, /votes missing: .* lack votes from .*\(hear 2 of 4, need 3\)/);

    const bound = (id: string, t: Tip) => assert.ok(t.height <= atPartition + 1, `${id} finalized ${t.height} while partitioned (at the partition: ${atPartition})`);
    await holdsFor(ids, 8, bound);
    const partitioned = await tips();
    await assertSameChain(Math.min(...partitioned.map((t) => t.height)));
    // A node whose tip is above the lowest one: its extra block (the one in flight) matches any other node's at that height.
    const top = Math.max(...partitioned.map((t) => t.height));
    const atTop = partitioned.filter((t) => t.height === top).map((t) => t.hash);
    assert.equal(new Set(atTop).size, 1, `one finalized hash at ${top}`);

    await chaos({ kind: 'heal' });
    await waitFor(async () => (await tips()).every((t, i) => t.height >= partitioned[i].height + 3), {
      timeoutMs: 60_000,
      what: 'every node finalized 3 more heights after the heal',
    });
    const after = Math.min(...(await tips()).map((t) => t.height));
    const healed = await assertSameChain(after);
    assert.deepEqual(healed.slice(0, before), recorded, 'no block finalized before the partition changed');
    await waitFor(
      async () => {
        const h = await api<HealthResponse>('/api/health');
        return h.network.status === 'agreed';
      },
      { timeoutMs: 30_000, what: "the monitor to say 'agreed' again" },
    );
    assert.deepEqual(await safetyViolations(), []);
  });

  it('3|1 partition: the three keep committing, the one waits; after the heal it catches up to the same chain', async () => {
    const three = ids.slice(0, 3);
    const lone = ids[3];
    await chaos({ kind: 'partition', groups: [three, [lone]] });
    const loneAt = (await tip(lone)).height;
    const threeAt = Math.max(...(await tips(three)).map((t) => t.height));
    const loneBound = (id: string, t: Tip) => assert.ok(t.height <= loneAt + 1, `${id} alone finalized ${t.height} (at the partition: ${loneAt})`);
    await waitFor(
      async () => {
        loneBound(lone, await tip(lone));
        return (await tips(three)).every((t) => t.height >= threeAt + 5);
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the three commit 5 more heights while the one is cut off' },
    );
    loneBound(lone, await tip(lone));

    await chaos({ kind: 'heal' });
    const others = Math.min(...(await tips(three)).map((t) => t.height));
    await waitFor(async () => (await tip(lone)).height >= others, { timeoutMs: 60_000, what: `the lone node to catch up to height ${others}` });
    await assertSameChain(others);
    assert.deepEqual(await safetyViolations(), []);
  });
});
