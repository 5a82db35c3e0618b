import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockSummary, ForkBlock, ForksResponse, NodeStatus } from '../../../wire/explorer-api.ts';
import { applyBlocks, applyNodes } from './forkLive.ts';

function fb(height: number, hash = `h${height}`): ForkBlock {
  return { hash, parentHash: `h${height - 1}`, height, proposerName: null, timestamp: 0, txCount: 0, firstSeenAt: 0, nodes: ['a'], orphaned: false };
}
function summary(height: number, hash = `h${height}`, nodes = ['a'], parentHash = `h${height - 1}`): BlockSummary {
  return {
    hash,
    parentHash,
    height,
    proposer: 'p',
    proposerName: null,
    timestamp: 0,
    txCount: 0,
    sizeBytes: 0,
    firstSeenAt: 0,
    firstSeenBy: null,
    nodes,
    orphaned: nodes.length === 0,
  };
}
function tree(from: number, to: number): ForksResponse {
  const blocks: ForkBlock[] = [];
  for (let h = from; h <= to; h++) blocks.push(fb(h));
  return { from, to, at: 0, blocks, tips: [{ nodeId: 'a', name: 'A', hash: `h${to}`, height: to, since: 0 }], forkPoints: [], reorgs: [], historyStart: 0 };
}
function status(id: string, height: number, hash: string): NodeStatus {
  return {
    id,
    name: id.toUpperCase(),
    url: '',
    source: 'local',
    status: 'in-sync',
    statusReason: null,
    height,
    headHash: hash,
    lag: 0,
    peers: 0,
    lastHeadAt: 5,
    nodeHealth: 'ok',
    healthReasons: [],
    validator: true,
  };
}

test('a new block slides a default-range window up by one height', () => {
  const next = applyBlocks(tree(10, 19), [summary(20)], 'slide');
  assert.equal(next.from, 11);
  assert.equal(next.to, 20);
  assert.deepEqual([next.blocks[0].height, next.blocks[next.blocks.length - 1].height], [11, 20]);
});

test('a young chain’s default window grows from genesis up to 60 heights before it slides', () => {
  const young = applyBlocks(tree(0, 15), [summary(16)], 'slide');
  assert.deepEqual([young.from, young.to, young.blocks.length], [0, 16, 17]);
  const full = applyBlocks(tree(0, 59), [summary(60)], 'slide');
  assert.deepEqual([full.from, full.to], [1, 60]);
});

test('an explicit range ignores blocks outside it and does not slide', () => {
  const res = tree(10, 19);
  assert.equal(applyBlocks(res, [summary(20)], 'fixed'), res);
});

test('a second child makes its parent a fork point', () => {
  const next = applyBlocks(tree(10, 19), [summary(19, 'h19b', ['b'], 'h18')], 'slide');
  assert.deepEqual(next.forkPoints, ['h18']);
});

test('holders follow the tips: a block no tip descends from, beside a held one, is orphaned', () => {
  const res = applyBlocks(tree(10, 19), [summary(19, 'h19b', [], 'h18'), summary(20, 'h20b', [], 'h19b')], 'slide');
  const moved = applyNodes(res, [status('a', 20, 'h20b')]);
  const get = (h: string) => moved.blocks.find((b) => b.hash === h)!;
  assert.deepEqual(get('h20b').nodes, ['a']);
  assert.deepEqual(get('h18').nodes, ['a']);
  assert.equal(get('h19').orphaned, true);
  assert.deepEqual(get('h19').nodes, []);
});

test('a head whose block has not arrived keeps the old tip until the block push', () => {
  const res = tree(10, 19);
  const early = applyNodes(res, [status('a', 20, 'h20')]);
  assert.equal(early.tips[0].hash, 'h19');
  const later = applyNodes(applyBlocks(early, [summary(20)], 'slide'), [status('a', 20, 'h20')]);
  assert.equal(later.tips[0].hash, 'h20');
  assert.deepEqual(later.blocks.at(-1)!.nodes, ['a']);
});

test('a push that changes nothing keeps the same object', () => {
  const res = tree(10, 19);
  assert.equal(applyBlocks(res, [summary(15)], 'slide'), res);
  assert.equal(applyNodes(res, [status('a', 19, 'h19')]), res);
});

test('node heads move the tips; a new node gets a tip', () => {
  const next = applyNodes(tree(10, 19), [status('a', 18, 'h18'), status('b', 19, 'h19')]);
  assert.deepEqual(
    next.tips.map((t) => [t.nodeId, t.hash]),
    [
      ['a', 'h18'],
      ['b', 'h19'],
    ],
  );
  assert.deepEqual(next.blocks.find((b) => b.hash === 'h19')!.nodes, ['b']);
});

test('a range with only a lower end grows upward', () => {
  const next = applyBlocks(tree(10, 19), [summary(20)], 'grow');
  assert.deepEqual([next.from, next.to], [10, 20]);
});
