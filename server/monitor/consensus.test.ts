import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bftQuorum, judgeConsensus, type NodeChainView } from './consensus.ts';

/** A node view over a chain given as a list of hashes by height (index = height). */
function view(id: string, chain: string[], opts: { lastHeadAt?: number; reachable?: boolean } = {}): NodeChainView {
  return {
    id,
    reachable: opts.reachable ?? true,
    head: chain.length ? { height: chain.length - 1, hash: chain[chain.length - 1] } : null,
    lastHeadAt: opts.lastHeadAt ?? 1_000,
    hashAt: (h) => chain[h],
  };
}
const opts = { now: 1_000, blockTimeMs: 1000, stallBlockTimes: 5, behindBlocks: 3 };

describe('judgeConsensus', () => {
  it('says agreed when every node is on one chain, and marks a lagging node behind', () => {
    const chain = ['g', 'a1', 'a2', 'a3', 'a4', 'a5'];
    const v = judgeConsensus([view('n1', chain), view('n2', chain), view('n3', chain.slice(0, 2))], opts);
    assert.equal(v.network.status, 'agreed');
    assert.equal(v.network.agreedHeight, 1);
    assert.equal(v.nodes.get('n1')!.status, 'in-sync');
    assert.equal(v.nodes.get('n3')!.status, 'behind');
    assert.equal(v.nodes.get('n3')!.lag, 4);
  });

  it('finds two branches after a 2|2 partition, with the fork height', () => {
    const a = ['g', 'x1', 'a2', 'a3'];
    const b = ['g', 'x1', 'b2', 'b3', 'b4'];
    const v = judgeConsensus([view('n1', a), view('n2', a), view('n3', b), view('n4', b)], opts);
    assert.equal(v.network.status, 'forked');
    assert.equal(v.network.forkHeight, 2);
    assert.deepEqual(v.network.groups, [
      ['n3', 'n4'],
      ['n1', 'n2'],
    ]);
    // An even split has no main branch: the side a block ahead changes every few slots, so
    // neither is called in sync.
    assert.equal(v.nodes.get('n1')!.status, 'diverged');
    assert.equal(v.nodes.get('n3')!.status, 'diverged');
    assert.equal(v.nodes.get('n3')!.reason, 'split at height 2 into branches of 2 nodes each: none is the main one');
    assert.equal(v.nodes.get('n1')!.lag, 1);
    assert.equal(v.nodes.get('n3')!.lag, 0);
  });

  it('after a 3|1 partition the branch most nodes follow is in sync and the lone node has diverged, ahead or behind', () => {
    const a = ['g', 'x1', 'a2', 'a3'];
    const b = ['g', 'x1', 'b2', 'b3', 'b4'];
    const v = judgeConsensus([view('n1', a), view('n2', a), view('n3', a), view('n4', b)], opts);
    assert.equal(v.network.status, 'forked');
    assert.deepEqual(
      ['n1', 'n2', 'n3', 'n4'].map((id) => v.nodes.get(id)!.status),
      ['in-sync', 'in-sync', 'in-sync', 'diverged'],
    );
    assert.equal(v.nodes.get('n4')!.reason, 'on another branch, split at height 2');
  });

  it('says stalled when no head moved for k block times, and down for an unreachable node', () => {
    const chain = ['g', 'a1'];
    const v = judgeConsensus([view('n1', chain, { lastHeadAt: 0 }), view('n2', chain, { lastHeadAt: 0, reachable: false })], { ...opts, now: 60_000 });
    assert.equal(v.network.status, 'stalled');
    assert.equal(v.nodes.get('n1')!.status, 'stalled');
    assert.equal(v.nodes.get('n2')!.status, 'down');
  });

  it('says unknown when no node has reported a head', () => {
    const v = judgeConsensus([view('n1', [], { reachable: false })], opts);
    assert.equal(v.network.status, 'unknown');
  });
});

/** A BFT validator: head = finalized tip (Tendermint finalizes each block it commits). */
function bftView(id: string, chain: string[], o: { reachable?: boolean; lastFinalizedAt?: number; validator?: boolean; finalized?: number } = {}): NodeChainView {
  const f = o.finalized ?? chain.length - 1;
  return {
    ...view(id, chain, { reachable: o.reachable, lastHeadAt: o.lastFinalizedAt ?? 1_000 }),
    name: `node-${id}`,
    validator: o.validator ?? true,
    engine: 'bft',
    finalized: { height: f, hash: chain[f] },
    lastFinalizedAt: o.lastFinalizedAt ?? 1_000,
  };
}

describe('judgeConsensus on a BFT network', () => {
  const chain = ['g', 'a1', 'a2', 'a3'];

  it('quorum is more than two thirds of the validators', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map(bftQuorum), [1, 2, 3, 3, 4, 5, 5, 7]);
  });

  it('says agreed with the engine and the height every reachable node finalized', () => {
    const v = judgeConsensus([bftView('1', chain), bftView('2', chain, { finalized: 2 }), bftView('3', chain.slice(0, 2), { reachable: false })], opts);
    assert.equal(v.network.status, 'agreed');
    assert.equal(v.network.engine, 'bft');
    // node 3 is down: not counted; node 2 finalized only up to 2.
    assert.equal(v.network.finalizedHeight, 2);
    assert.equal(v.network.reason, undefined);
  });

  it('says halted with no quorum when 2 of 4 validators are reachable, naming the missing ones', () => {
    const stuck = { lastFinalizedAt: 0 };
    const v = judgeConsensus(
      [bftView('1', chain, stuck), bftView('2', chain, stuck), bftView('3', chain, { ...stuck, reachable: false }), bftView('4', chain, { ...stuck, reachable: false })],
      { ...opts, now: 60_000 },
    );
    assert.equal(v.network.status, 'halted');
    assert.equal(v.network.reason, 'no quorum: 2 of 4 validators reachable, need 3 (missing: node-3, node-4)');
    assert.deepEqual(v.network.validators, { total: 4, reachable: 2, quorum: 3, missing: ['3', '4'] });
    assert.equal(v.network.finalizedHeight, 3);
  });

  it('says halted, not stalled, when every validator answers but nothing finalizes', () => {
    const v = judgeConsensus([bftView('1', chain, { lastFinalizedAt: 0 }), bftView('2', chain, { lastFinalizedAt: 0 }), bftView('3', chain, { lastFinalizedAt: 0 })], {
      ...opts,
      now: 60_000,
    });
    assert.equal(v.network.status, 'halted');
    assert.equal(v.network.reason, 'no block finalized for 60 s although 3 of 3 validators are reachable (quorum 3)');
  });

  it('under a partition between nodes, names who lacks whose votes (from the votes each node hears)', () => {
    const stuck = { lastFinalizedAt: 0 };
    const withVotes = (id: string, heard: string[]) => ({ ...bftView(id, chain, stuck), publicKey: `pk${id}`, votesHeard: heard.map((h) => `pk${h}`) });
    const v = judgeConsensus(
      [withVotes('1', ['1', '2']), withVotes('2', ['1', '2']), withVotes('3', ['3', '4']), { ...bftView('4', chain, stuck), publicKey: 'pk4', votesHeard: null }],
      {
        ...opts,
        now: 60_000,
      },
    );
    assert.equal(v.network.status, 'halted');
    assert.equal(
      v.network.reason,
      'no block finalized for 60 s although 4 of 4 validators are reachable (quorum 3); votes missing: node-1, node-2 lack votes from node-3, node-4 (hear 2 of 4, need 3); node-3 lacks votes from node-1, node-2 (hear 2 of 4, need 3)',
    );
    assert.deepEqual(v.network.validators?.missingVotes, [
      { nodeId: '1', missing: ['3', '4'] },
      { nodeId: '2', missing: ['3', '4'] },
      { nodeId: '3', missing: ['1', '2'] },
    ]);
  });

  it('is not halted while the highest finalized height rose within k block times, nor before any node reported finality', () => {
    const recent = judgeConsensus([bftView('1', chain, { lastFinalizedAt: 0 }), bftView('2', [...chain, 'a4'], { lastFinalizedAt: 58_000, reachable: false })], {
      ...opts,
      now: 60_000,
    });
    assert.notEqual(recent.network.status, 'halted');
    const unread = judgeConsensus([{ ...bftView('1', chain), finalized: null, lastFinalizedAt: null }], { ...opts, now: 60_000 });
    assert.notEqual(unread.network.status, 'halted');
    assert.equal(unread.network.finalizedHeight, null);
  });

  it('does not count a lagging node catching up to the top finalized height as progress', () => {
    const v = judgeConsensus([bftView('1', chain, { lastFinalizedAt: 0 }), bftView('2', chain, { lastFinalizedAt: 59_000 }), bftView('3', chain, { lastFinalizedAt: 0 })], {
      ...opts,
      now: 60_000,
    });
    assert.equal(v.network.status, 'halted');
  });

  it('says halted with 0 reachable when every validator is down', () => {
    const v = judgeConsensus([bftView('1', chain, { lastFinalizedAt: 0, reachable: false }), bftView('2', chain, { lastFinalizedAt: 0, reachable: false })], {
      ...opts,
      now: 60_000,
    });
    assert.equal(v.network.status, 'halted');
    assert.match(v.network.reason!, /^no quorum: 0 of 2 validators reachable, need 2/);
  });

  it('still says forked (the worse news) when branches exist', () => {
    const b = ['g', 'b1', 'b2', 'b3'];
    const v = judgeConsensus([bftView('1', chain, { lastFinalizedAt: 0 }), bftView('2', b, { lastFinalizedAt: 0 })], { ...opts, now: 60_000 });
    assert.equal(v.network.status, 'forked');
    assert.equal(v.network.engine, 'bft');
  });

  it('leaves a PoA network as before, only naming the engine', () => {
    const poa = (id: string, c: string[], lastHeadAt: number): NodeChainView => ({ ...view(id, c, { lastHeadAt }), engine: 'poa', finalized: null });
    const v = judgeConsensus([poa('1', chain, 0), poa('2', chain, 0)], { ...opts, now: 60_000 });
    assert.equal(v.network.status, 'stalled');
    assert.equal(v.network.engine, 'poa');
    assert.equal(v.network.finalizedHeight, undefined);
    assert.equal(v.network.reason, undefined);
  });
});

describe('judgeConsensus with head-only (health-only) nodes', () => {
  /** A node known only by its head: no hash below it. */
  const headOnly = (id: string, height: number, hash: string): NodeChainView => ({
    id,
    reachable: true,
    head: { height, hash },
    lastHeadAt: 1_000,
    hashAt: (h) => (h === height ? hash : undefined),
    headOnly: true,
  });

  it('a head-only node above the full nodes does not hide a fork between them', () => {
    const v = judgeConsensus([headOnly('h', 5, 'top5'), view('n1', ['g', 'x1', 'a2', 'a3', 'a4']), view('n2', ['g', 'x1', 'b2', 'b3', 'b4'])], opts);
    assert.equal(v.network.status, 'forked');
    assert.deepEqual(v.network.groups, [['h', 'n1'], ['n2']]);
    assert.equal(v.network.forkHeight, undefined, 'the head-only node leads the main branch: the split height is not known');
  });

  it('full nodes alone judge as before: an unknown hash in a full chain is another branch', () => {
    const shortWindow: NodeChainView = { ...view('n1', ['g', 'a1', 'a2', 'a3']), hashAt: (h) => (h >= 2 ? ['g', 'a1', 'a2', 'a3'][h] : undefined) };
    const v = judgeConsensus([shortWindow, view('n2', ['g', 'a1'])], opts);
    assert.equal(v.network.status, 'forked');
  });
});
