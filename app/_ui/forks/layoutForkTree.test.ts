import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ForkBlock, NodeTip } from '../../../wire/explorer-api.ts';
import { layoutForkTree } from './layoutForkTree.ts';

function block(hash: string, parentHash: string, height: number, nodes: string[] = []): ForkBlock {
  return { hash, parentHash, height, proposerName: null, timestamp: height * 500, txCount: 0, firstSeenAt: height * 500, nodes, orphaned: nodes.length === 0 };
}

function tip(nodeId: string, hash: string, height: number): NodeTip {
  return { nodeId, name: `node-${nodeId}`, hash, height, since: 0 };
}

/** A straight chain `prefix`from..to, each block held by `nodes`. */
function chain(prefix: string, from: number, to: number, nodes: string[], parentOfFirst = `${prefix}${from - 1}`): ForkBlock[] {
  const out: ForkBlock[] = [];
  for (let h = from; h <= to; h++) out.push(block(`${prefix}${h}`, h === from ? parentOfFirst : `${prefix}${h - 1}`, h, nodes));
  return out;
}

const all = ['1', '2', '3', '4'];

test('a chain every node agrees on is one lane with all four tips on its head', () => {
  const blocks = chain('m', 10, 20, all);
  const layout = layoutForkTree(
    blocks,
    all.map((n) => tip(n, 'm20', 20)),
  );
  assert.equal(layout.laneCount, 1);
  assert.ok(layout.blocks.every((b) => b.lane === 0));
  assert.deepEqual(
    layout.tipsAt.get('m20')!.map((t) => t.name),
    ['node-1', 'node-2', 'node-3', 'node-4'],
  );
  assert.equal(layout.forkPoints.size, 0);
  assert.equal(layout.columns, 11);
  assert.equal(layout.byHash.get('m10')!.col, 0);
  assert.equal(layout.edges.length, 10);
});

test('the branch holding most nodes takes lane 0 even when the other is longer and has the lower hash', () => {
  const trunk = chain('m', 1, 5, all);
  const majority = chain('b', 6, 8, ['1', '2', '3'], 'm5');
  const minority = chain('a', 6, 10, ['4'], 'm5'); // longer, and 'a…' sorts before 'b…'
  const layout = layoutForkTree([...minority, ...trunk, ...majority], [tip('1', 'b8', 8), tip('2', 'b8', 8), tip('3', 'b8', 8), tip('4', 'a10', 10)]);
  assert.equal(layout.byHash.get('b8')!.lane, 0);
  assert.equal(layout.byHash.get('m5')!.lane, 0);
  assert.equal(layout.byHash.get('a6')!.lane, 1);
  assert.deepEqual([...layout.forkPoints], ['m5']);
  assert.equal(layout.branches[1].parent!.block.hash, 'm5');
});

test('a two-two split is settled by the longer branch, then by the lower hash', () => {
  const trunk = chain('m', 1, 3, all);
  const left = chain('x', 4, 6, ['1', '2'], 'm3');
  const right = chain('y', 4, 7, ['3', '4'], 'm3');
  const tips = [tip('1', 'x6', 6), tip('2', 'x6', 6), tip('3', 'y7', 7), tip('4', 'y7', 7)];
  assert.equal(layoutForkTree([...trunk, ...left, ...right], tips).byHash.get('y7')!.lane, 0);
  const even = chain('z', 4, 6, ['3', '4'], 'm3');
  const evenTips = [tip('1', 'x6', 6), tip('2', 'x6', 6), tip('3', 'z6', 6), tip('4', 'z6', 6)];
  assert.equal(layoutForkTree([...trunk, ...left, ...even], evenTips).byHash.get('x6')!.lane, 0);
});

test('orphans far apart share one lane; overlapping ones do not', () => {
  const trunk = chain('m', 0, 100, all);
  const o1 = block('o10', 'm9', 10);
  const o2 = block('o50', 'm49', 50);
  const o3 = block('o51', 'm50', 51);
  const layout = layoutForkTree(
    [...trunk, o1, o2, o3],
    all.map((n) => tip(n, 'm100', 100)),
  );
  assert.equal(layout.byHash.get('o10')!.lane, 1);
  assert.equal(layout.byHash.get('o50')!.lane, 1);
  assert.equal(layout.byHash.get('o51')!.lane, 2, 'next to o50 it would touch it');
  assert.equal(layout.laneCount, 3);
  assert.deepEqual([...layout.forkPoints].sort(), ['m49', 'm50', 'm9']);
});

test('a side branch with nodes on it ranks above orphans for the lanes near the top', () => {
  const trunk = chain('m', 0, 30, ['1', '2', '3']);
  const orphan = block('o5', 'm4', 5);
  const live = chain('s', 3, 30, ['4'], 'm2');
  const layout = layoutForkTree([...trunk, orphan, ...live], [tip('1', 'm30', 30), tip('2', 'm30', 30), tip('3', 'm30', 30), tip('4', 's30', 30)]);
  assert.equal(layout.byHash.get('s3')!.lane, 1);
  assert.equal(layout.byHash.get('o5')!.lane, 2);
});

test('tips are found on their block, mid-branch or missing from the range', () => {
  const blocks = chain('m', 10, 20, all);
  const layout = layoutForkTree(blocks, [tip('1', 'm20', 20), tip('2', 'm18', 18), tip('3', 'gone', 5)]);
  assert.deepEqual(
    layout.tipsAt.get('m18')!.map((t) => t.nodeId),
    ['2'],
  );
  assert.deepEqual(
    layout.missingTips.map((t) => t.nodeId),
    ['3'],
  );
});

test('holders are not needed: tips alone rank the branches', () => {
  const trunk = chain('m', 1, 3, []);
  const a = chain('a', 4, 5, [], 'm3');
  const b = chain('b', 4, 5, [], 'm3');
  const layout = layoutForkTree([...trunk, ...a, ...b], [tip('1', 'b5', 5), tip('2', 'b5', 5), tip('3', 'a5', 5)]);
  assert.equal(layout.byHash.get('b5')!.lane, 0);
});

test('an empty range lays out nothing and keeps the tips as missing', () => {
  const layout = layoutForkTree([], [tip('1', 'x', 1)]);
  assert.equal(layout.laneCount, 0);
  assert.equal(layout.blocks.length, 0);
  assert.equal(layout.missingTips.length, 1);
});

test('sixteen nodes and two hundred heights with forks every ten heights stay compact and fast', () => {
  const nodes = Array.from({ length: 16 }, (_, i) => String(i + 1));
  const blocks = chain('m', 0, 199, nodes);
  for (let h = 10; h < 200; h += 10) blocks.push(block(`o${h}`, `m${h - 1}`, h)); // orphans
  blocks.push(...chain('p', 150, 199, ['16'], 'm149')); // a node on its own fork
  const tips = nodes.map((n) => tip(n, n === '16' ? 'p199' : 'm199', 199));
  const started = performance.now();
  const layout = layoutForkTree(blocks, tips);
  const ms = performance.now() - started;
  assert.ok(ms < 100, `took ${ms} ms`);
  assert.equal(layout.columns, 200);
  assert.ok(layout.laneCount <= 3, `lanes ${layout.laneCount}`);
  assert.equal(layout.byHash.get('p199')!.lane, 1);
  assert.equal(layout.tipsAt.get('m199')!.length, 15);
});
