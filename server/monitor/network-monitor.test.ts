// The monitor over stand-in subscribers (what the indexer knows of each node): finality read
// from /health samples reaches the verdict and the safety checker, PoA feeds nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Indexer } from '../indexer/indexer.ts';
import type { NodeSubscriber } from '../indexer/node-subscriber.ts';
import type { HealthPoller } from '../indexer/health-poller.ts';
import { BlockGraph } from '../indexer/block-graph.ts';
import { NetworkMonitor } from './network-monitor.ts';
import type { SafetyViolation } from './safety-checker.ts';

interface FakeNode {
  nodeId: string;
  url: string;
  state: 'live' | 'down';
  lastError: string | null;
  lastHeadAt: number | null;
  lastHealth: unknown;
  lastCommit?: { height: number; hash: string; at: number } | null;
  record: { name: string; source: 'local'; validator: boolean };
  chainHashes: string[];
  chain: { head: { height: number; hash: string } | null; hashAt(h: number): string | undefined };
}

function node(id: string, chainHashes: string[]): FakeNode {
  const n: FakeNode = {
    nodeId: id,
    url: `http://${id}`,
    state: 'live',
    lastError: null,
    lastHeadAt: 0,
    lastHealth: null,
    record: { name: `node-${id}`, source: 'local', validator: true },
    chainHashes,
    chain: {
      get head() {
        return n.chainHashes.length ? { height: n.chainHashes.length - 1, hash: n.chainHashes[n.chainHashes.length - 1] } : null;
      },
      hashAt: (h) => n.chainHashes[h],
    },
  };
  return n;
}

/** A new /health sample (a new object, as the subscriber stores one per sample). */
function sample(n: FakeNode, engine: 'bft' | 'poa', finalizedHeight?: number) {
  const f = finalizedHeight ?? n.chainHashes.length - 1;
  n.lastHealth = {
    status: 'ok',
    reasons: [],
    peers: { connected: 3, inbound: 1, outbound: 2 },
    blockchain: engine === 'bft' ? { height: f, finalized_height: f, finalized_hash: n.chainHashes[f] } : { height: f, finalized_height: null, finalized_hash: null },
    consensus: { engine },
  };
}

/** What the monitor reads of a health-only node (HealthPoller). */
interface FakeHealthOnly {
  nodeId: string;
  url: string;
  state: 'live' | 'down';
  lastError: string | null;
  lastHeadAt: number | null;
  head: { height: number; hash: string } | null;
  target: { name: string };
}

function healthOnly(id: string, head: { height: number; hash: string } | null): FakeHealthOnly {
  return { nodeId: id, url: `http://${id}`, state: 'live', lastError: null, lastHeadAt: 0, head, target: { name: `seed-${id}` } };
}

function monitorOver(nodes: FakeNode[], pollers: FakeHealthOnly[] = [], graph = new BlockGraph()) {
  const indexer = {
    subscribers: () => nodes as unknown as NodeSubscriber[],
    healthOnlyNodes: () => pollers as unknown as HealthPoller[],
    graph,
  } as unknown as Indexer;
  const m = new NetworkMonitor(indexer, { blockTimeMs: 1_000 });
  const violations: SafetyViolation[] = [];
  m.on('violation', (v) => violations.push(v));
  return { m, violations };
}

describe('NetworkMonitor with finality', () => {
  it('names the engine and finalized height, and says halted without a quorum', () => {
    const chain = ['g', 'a1', 'a2', 'a3'];
    const nodes = ['1', '2', '3', '4'].map((id) => node(id, chain));
    const { m } = monitorOver(nodes);
    for (const n of nodes) sample(n, 'bft');
    m.evaluate(1_000);
    assert.equal(m.consensus().engine, 'bft');
    assert.equal(m.consensus().finalizedHeight, 3);
    assert.equal(m.consensus().status, 'agreed');
    nodes[2].state = 'down';
    nodes[3].state = 'down';
    m.evaluate(60_000);
    assert.equal(m.consensus().status, 'halted');
    assert.equal(m.consensus().reason, 'no quorum: 2 of 4 validators reachable, need 3 (missing: node-3, node-4)');
  });

  it('reads liveness from /stream commits between /health samples: a network committing is not halted, and the finalized height follows the commits', () => {
    const chain = ['g', 'a1', 'a2', 'a3'];
    const nodes = ['1', '2', '3', '4'].map((id) => node(id, chain));
    const { m } = monitorOver(nodes);
    for (const n of nodes) sample(n, 'bft');
    m.evaluate(1_000);
    // No new /health sample for a minute, but every node streams a commit each second.
    for (let t = 2; t <= 60; t++) {
      for (const n of nodes) {
        n.chainHashes = [...n.chainHashes, `a${n.chainHashes.length}`];
        n.lastCommit = { height: n.chainHashes.length - 1, hash: n.chainHashes[n.chainHashes.length - 1], at: t * 1_000 };
      }
      m.evaluate(t * 1_000);
      assert.notEqual(m.consensus().status, 'halted', `at ${t} s`);
    }
    assert.equal(m.consensus().finalizedHeight, 62);
    // A stale /health sample below the last commit does not move the tip back.
    sample(nodes[0], 'bft', 3);
    m.evaluate(60_500);
    assert.equal(m.consensus().finalizedHeight, 62);
    // Commits stop: halted after k block times.
    m.evaluate(70_000);
    assert.equal(m.consensus().status, 'halted');
  });

  it('raises a violation once when two nodes report different finalized blocks at one height', () => {
    const a = node('1', ['g', 'a1', 'a2']);
    const b = node('2', ['g', 'a1', 'b2']);
    const { m, violations } = monitorOver([a, b]);
    sample(a, 'bft');
    sample(b, 'bft');
    m.evaluate(1_000);
    m.evaluate(2_000); // same samples again: nothing new
    assert.equal(violations.length, 1);
    assert.equal(violations[0].kind, 'conflicting-finality');
    assert.deepEqual(m.safetyViolations(), violations);
  });

  it('finds a conflict below the reported tips through the indexed chains', () => {
    const a = node('1', ['g', 'a1', 'a2', 'a3']);
    const b = node('2', ['g', 'x1', 'a2', 'a3']); // disagrees at 1, agrees at the tip
    const { m, violations } = monitorOver([a, b]);
    sample(a, 'bft');
    sample(b, 'bft');
    m.evaluate(1_000);
    assert.equal(violations.length, 1);
    assert.equal(violations[0].kind === 'conflicting-finality' && violations[0].height, 1);
  });

  it('raises a regression when a node reports a lower finalized height', () => {
    const a = node('1', ['g', 'a1', 'a2', 'a3']);
    const { m, violations } = monitorOver([a]);
    sample(a, 'bft');
    m.evaluate(1_000);
    sample(a, 'bft', 1);
    m.evaluate(2_000);
    assert.deepEqual(
      violations.map((v) => v.kind),
      ['finality-regressed'],
    );
  });

  it('feeds nothing for PoA nodes, whose forks are not safety violations', () => {
    const a = node('1', ['g', 'a1', 'a2']);
    const b = node('2', ['g', 'a1', 'b2']);
    const { m, violations } = monitorOver([a, b]);
    sample(a, 'poa');
    sample(b, 'poa');
    m.evaluate(1_000);
    assert.equal(violations.length, 0);
    assert.equal(m.consensus().status, 'forked');
    assert.equal(m.consensus().engine, 'poa');
    assert.equal(m.consensus().finalizedHeight, undefined);
  });
});

describe('NetworkMonitor with health-only nodes', () => {
  it('lists them with their height, in the agreed network, and marks them health-only', () => {
    const full = node('a', ['g', 'b1', 'b2', 'b3']);
    const seed = healthOnly('h1', { height: 2, hash: 'b2' });
    const { m } = monitorOver([full], [seed]);
    m.evaluate(1_000);
    assert.equal(m.consensus().status, 'agreed');
    assert.equal(m.consensus().agreedHeight, 2);
    const status = m.nodes().find((n) => n.id === 'h1')!;
    assert.deepEqual([status.name, status.height, status.headHash, status.status, status.healthOnly, status.peers], ['seed-h1', 2, 'b2', 'in-sync', true, null]);
    assert.equal(m.nodes().find((n) => n.id === 'a')!.healthOnly, undefined);
  });

  it('another hash at a height a full node knows is a divergence; an unreachable one is down with the read error', () => {
    const full = node('a', ['g', 'b1', 'b2', 'b3']);
    const seed = healthOnly('h1', { height: 2, hash: 'x2' });
    const gone = healthOnly('h2', null);
    gone.state = 'down';
    gone.lastError = 'GET http://h2/health: fetch failed';
    const { m } = monitorOver([full], [seed, gone]);
    m.evaluate(1_000);
    assert.equal(m.consensus().status, 'forked');
    const h1 = m.nodes().find((n) => n.id === 'h1')!;
    assert.equal(h1.status, 'diverged');
    const h2 = m.nodes().find((n) => n.id === 'h2')!;
    assert.deepEqual([h2.status, h2.statusReason], ['down', 'GET http://h2/health: fetch failed']);
  });

  it('two health-only nodes at different heights agree when nothing says otherwise; at one height, different hashes diverge', () => {
    const a = healthOnly('h1', { height: 7, hash: 'p7' });
    const b = healthOnly('h2', { height: 5, hash: 'p5' });
    const { m } = monitorOver([], [a, b]);
    m.evaluate(1_000);
    assert.equal(m.consensus().status, 'agreed');
    b.head = { height: 7, hash: 'q7' };
    m.evaluate(1_100);
    assert.equal(m.consensus().status, 'forked');
    assert.match(m.nodes().find((n) => n.status === 'diverged')!.statusReason ?? '', /unknown height \(a health-only node reports only its head\)/);
  });

  it('a health-only node ahead of a full node is on its branch when the index links its head down to the full head', () => {
    const graph = new BlockGraph();
    graph.add({ hash: 'b4', height: 4, parentHash: 'b3' });
    graph.add({ hash: 'x4', height: 4, parentHash: 'x3' });
    graph.add({ hash: 'x3', height: 3, parentHash: 'b2' });
    const full = node('a', ['g', 'b1', 'b2', 'b3']);
    const onMain = healthOnly('h1', { height: 4, hash: 'b4' });
    const { m } = monitorOver([full], [onMain], graph);
    m.evaluate(1_000);
    assert.equal(m.consensus().status, 'agreed');
    onMain.head = { height: 4, hash: 'x4' };
    m.evaluate(1_100);
    assert.equal(m.consensus().status, 'forked');
    assert.equal(m.consensus().forkHeight, 3);
  });

  it('a health-only node whose head stopped moving stalls like any node', () => {
    const full = node('a', ['g', 'b1', 'b2']);
    full.lastHeadAt = 10_000;
    const seed = healthOnly('h1', { height: 2, hash: 'b2' });
    seed.lastHeadAt = 1_000;
    const { m } = monitorOver([full], [seed]);
    m.evaluate(10_500);
    const h1 = m.nodes().find((n) => n.id === 'h1')!;
    assert.equal(h1.status, 'stalled');
    assert.match(h1.statusReason ?? '', /no new head for 10 s/);
  });
});
