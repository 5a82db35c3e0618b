// Integration: node-targeted faults given a selector instead of a node, on a real 4-node local
// testnet, read from the nodes themselves (/health). The controller picks the nodes once, records
// them with the seed, acts on each, and heal or expiry undoes it on every one of them; the same
// selector and seed pick the same nodes again, so a restart brings back what a kill took.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { startChaosTestnet, type ChaosTestnet } from '../testing/chaos-testnet.ts';
import type { NodeStatus } from '../../wire/explorer-api.ts';
import type { Health } from '../../wire/node-api.ts';
import type { ChaosRecord } from '../../wire/chaos-api.ts';

describe('target selectors on node faults, on a 4-node testnet', { timeout: 300_000 }, () => {
  let net: ChaosTestnet;
  const health = (n: NodeStatus) => net.nodeGet<Health>(n, '/health');
  /** Each node's reading of `field`, by id (null when the node does not answer). */
  const readAll = async <T>(ns: NodeStatus[], read: (h: Health) => T): Promise<Record<string, T | null>> =>
    Object.fromEntries(await Promise.all(ns.map(async (n) => [n.id, await health(n).then(read, () => null)] as const)));
  /** Waits until every node reads `want(id)`; the timeout message shows the last readings. */
  const waitForAll = async <T>(ns: NodeStatus[], read: (h: Health) => T, want: (id: string) => T | null, what: string) => {
    await waitFor(
      async () => {
        const last = await readAll(ns, read);
        // Thrown, so the timeout message says what the nodes read last.
        if (!ns.every((n) => last[n.id] === want(n.id))) throw new Error(JSON.stringify(last));
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 250, what },
    );
  };
  /** Heals everything, then waits until no node says paused and the nodes agree again. */
  const healUnpaused = async (ns: NodeStatus[], what: string) => {
    await net.chaos({ kind: 'heal' });
    await waitForAll(
      ns,
      (h) => h.paused,
      () => false,
      'no node paused after the heal',
    );
    await net.agreed(what);
  };
  const nameOf = (ns: NodeStatus[], id: string) => ns.find((n) => n.id === id)!.name;
  /** The record names the picked nodes three ways: targets, params.resolvedTargets, and a result per node. */
  const assertRecordedPick = (record: ChaosRecord, ns: NodeStatus[], count: number) => {
    assert.equal(record.targets.length, count, `picked ${count}: ${record.targets.join(', ')}`);
    assert.ok(record.targets.every((id) => ns.some((n) => n.id === id)));
    assert.deepEqual(record.params.resolvedTargets, record.targets);
    assert.equal(typeof record.params.seed, 'number', 'the seed is recorded');
    assert.deepEqual(Object.keys(record.result ?? {}).sort(), record.targets.map((id) => nameOf(ns, id)).sort(), 'one result per picked node');
  };

  before(async () => {
    net = await startChaosTestnet({ nodes: 4, blockTimeMs: 300, txRate: 1, prefix: 'chaos-selectors-it-' });
  });
  afterEach(() => net?.cleanUp());
  after(() => net?.stop());

  it('pause with select minority: exactly one of four nodes says paused, and the heal resumes it', async () => {
    const ns = await net.nodes();
    const record = await net.chaos({ kind: 'pause', select: { pick: 'minority' } });
    assertRecordedPick(record, ns, 1);
    const [paused] = record.targets;
    await waitForAll(
      ns,
      (h) => h.paused,
      (id) => id === paused,
      `only ${nameOf(ns, paused)} paused`,
    );

    await healUnpaused(ns, 'agreement after resuming the minority');
  });

  it('clock-skew with random-k 2 and seed 7: the same two nodes each time; expiry and heal reset both', async () => {
    const ns = await net.nodes();
    const skew = { kind: 'clock-skew', select: { pick: 'random-k', k: 2 }, seed: 7, offsetMs: 900 };
    const first = await net.chaos({ ...skew, durationSec: 5 });
    assertRecordedPick(first, ns, 2);
    assert.equal(first.params.seed, 7);
    const skewed = (id: string) => (first.targets.includes(id) ? 900 : 0);
    await waitForAll(ns, (h) => h.clockOffsetMs, skewed, 'the two picked nodes skewed by 900 ms');
    // The duration ends it on both picked nodes.
    await waitForAll(
      ns,
      (h) => h.clockOffsetMs,
      () => 0,
      'every offset back to 0 after the 5 s expiry',
    );

    const second = await net.chaos(skew);
    assert.deepEqual(second.targets, first.targets, 'the same selector and seed pick the same nodes');
    await waitForAll(ns, (h) => h.clockOffsetMs, skewed, 'the same two nodes skewed again');
    await net.chaos({ kind: 'heal', actionId: second.id });
    await waitForAll(
      ns,
      (h) => h.clockOffsetMs,
      () => 0,
      'every offset back to 0 after healing the action',
    );
  });

  it('kill with minority-third takes one of four nodes down; restart with the same select and seed brings that node back', async () => {
    const ns = await net.nodes();
    const kill = await net.chaos({ kind: 'kill', select: { pick: 'minority-third' }, seed: 11 });
    assertRecordedPick(kill, ns, 1);
    const [victim] = kill.targets;
    const up = (id: string) => (id === victim ? null : true);
    await waitForAll(ns, () => true, up, `only ${nameOf(ns, victim)} down`);

    const restart = await net.chaos({ kind: 'restart', select: { pick: 'minority-third' }, seed: 11 });
    assert.deepEqual(restart.targets, kill.targets, 'the restart picks the killed node');
    await waitForAll(
      ns,
      () => true,
      () => true,
      'every node answering after the restart',
    );
    await net.agreed('agreement after the restart', 90_000);
  });

  it('a selector that cannot be met is refused before anything is recorded: 400 CHAOS_BAD_TARGET; node and select together: 400', async () => {
    const before = (await net.api<{ history: ChaosRecord[] }>('/api/chaos')).history.length;
    const res = await net.post({ kind: 'pause', select: { pick: 'random-k', k: 9 } });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'CHAOS_BAD_TARGET');
    assert.match(body.error.message, /asks for 9 nodes, only 4/);
    const both = await net.post({ kind: 'pause', node: (await net.nodes())[0].id, select: { pick: 'one' } });
    assert.equal(both.status, 400);
    assert.match(JSON.stringify(await both.json()), /give exactly one of node/);
    assert.equal((await net.api<{ history: ChaosRecord[] }>('/api/chaos')).history.length, before, 'nothing recorded');
  });

  it('names nodes as the explorer shows them (node-2) as well as by id; the record keeps ids', async () => {
    const ns = await net.nodes();
    const idOfName = (name: string) => ns.find((n) => n.name === name)!.id;
    const pause = await net.chaos({ kind: 'pause', node: 'node-2' });
    assert.deepEqual(pause.targets, [idOfName('node-2')]);
    assert.equal(pause.params.node, idOfName('node-2'));
    await waitForAll(
      ns,
      (h) => h.paused,
      (id) => id === idOfName('node-2'),
      'node-2 paused, named by its name',
    );
    const partition = await net.chaos({
      kind: 'partition',
      groups: [
        ['node-1', idOfName('node-3')],
        ['node-2', 'node-4'],
      ],
      durationSec: 5,
    });
    assert.equal(partition.status, 'applied');
    assert.deepEqual(partition.params.groups, [
      [idOfName('node-1'), idOfName('node-3')],
      [idOfName('node-2'), idOfName('node-4')],
    ]);
    const unknown = await net.post({ kind: 'pause', node: 'node-9' });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(await unknown.json()), /unknown node\(s\): node-9 \(name a node by its id or its name/);

    await healUnpaused(ns, 'agreement after the heal');
  });
});
