import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BlockGraph, type BlockLink } from './block-graph.ts';
import { CanonicalChain, UnknownAncestorError } from './canonical-chain.ts';

function chainOf(prefix: string, from: number, to: number, parentOfFirst: string, graph: BlockGraph): BlockLink[] {
  const out: BlockLink[] = [];
  let parent = parentOfFirst;
  for (let h = from; h <= to; h++) {
    const link = { hash: `${prefix}${h}`, height: h, parentHash: parent };
    graph.add(link);
    out.push(link);
    parent = link.hash;
  }
  return out;
}

describe('CanonicalChain', () => {
  it('extends without a reorg and rewrites heights with the right depth on a reorg', async () => {
    const graph = new BlockGraph();
    const lookup = async (h: string) => graph.get(h);
    const main = chainOf('a', 0, 5, '0', graph);
    const chain = new CanonicalChain();
    const first = await chain.moveHead(main[5], lookup);
    assert.equal(first.fromHeight, 0);
    assert.equal(first.hashes.length, 6);
    assert.equal(first.reorgDepth, 0);

    // A competing branch from height 3 that grows to 6: heights 3..5 of 'a' are replaced.
    const fork = chainOf('b', 3, 6, 'a2', graph);
    const move = await chain.moveHead(fork[3], lookup);
    assert.equal(move.fromHeight, 3);
    assert.deepEqual(move.hashes, ['b3', 'b4', 'b5', 'b6']);
    assert.equal(move.reorgDepth, 3);
    assert.deepEqual(move.oldHead, { height: 5, hash: 'a5' });
    assert.equal(chain.hashAt(2), 'a2');
    assert.equal(chain.hashAt(6), 'b6');
  });

  it('refuses to move onto a block whose ancestors are unknown', async () => {
    const graph = new BlockGraph();
    const chain = new CanonicalChain();
    await assert.rejects(
      chain.moveHead({ hash: 'x9', height: 9, parentHash: 'x8' }, async (h) => graph.get(h)),
      UnknownAncestorError,
    );
  });

  it('evicts the oldest links beyond its capacity', () => {
    const graph = new BlockGraph(3);
    chainOf('a', 0, 4, '0', graph);
    assert.equal(graph.has('a0'), false);
    assert.equal(graph.has('a4'), true);
  });
});
