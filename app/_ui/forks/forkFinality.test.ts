import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ForkBlock } from '../../../wire/explorer-api.ts';
import { finalityAt, finalitySentence } from './forkFinality.ts';

const block = (height: number, finalized?: boolean): ForkBlock => ({
  hash: String(height).padStart(64, '0'),
  parentHash: String(height - 1).padStart(64, '0'),
  height,
  proposerName: null,
  timestamp: 0,
  txCount: 0,
  firstSeenAt: 0,
  nodes: [],
  orphaned: false,
  ...(finalized === undefined ? {} : { finalized }),
});
const point = (name: string, height: number) => ({ nodeId: `id-${name}`, name, hash: String(height).padStart(64, '0'), height });

test('finality points group on their block; a tip outside the range is listed apart', () => {
  const drawn = new Set([block(5).hash, block(6).hash]);
  const { at, missing } = finalityAt([point('node-2', 6), point('node-1', 6), point('node-3', 2)], (h) => drawn.has(h));
  assert.deepEqual(
    at.get(block(6).hash)?.map((p) => p.name),
    ['node-1', 'node-2'],
  );
  assert.deepEqual(
    missing.map((p) => p.name),
    ['node-3'],
  );
  assert.equal(finalityAt(undefined, () => true).at.size, 0, 'PoA: nothing');
});

test('the finality sentence: every node at one height, nodes apart, none yet, and PoA', () => {
  const blocks = [block(5, true), block(6, true), block(7, false)];
  assert.equal(finalitySentence({ blocks, finality: [point('node-1', 6), point('node-2', 6)] }), 'Finality: 2 of 3 drawn blocks final; every node finalized up to #6.');
  assert.equal(finalitySentence({ blocks, finality: [point('node-2', 5), point('node-1', 6)] }), 'Finality: 2 of 3 drawn blocks final; node-1 #6, node-2 #5.');
  assert.match(finalitySentence({ blocks, finality: [] })!, /no node reports/);
  assert.equal(finalitySentence({ blocks: [block(5)] }), null);
});
