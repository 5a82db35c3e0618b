import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeConsensus, type NodeChainView } from './consensus.ts';

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
    assert.equal(v.nodes.get('n1')!.status, 'diverged');
    assert.equal(v.nodes.get('n3')!.status, 'in-sync');
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
