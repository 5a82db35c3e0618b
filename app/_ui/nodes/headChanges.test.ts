import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import type { HeadChange } from '../../../wire/live-events.ts';
import { applyHeadChanges } from './headChanges.ts';

const node = (id: string, height: number, headHash: string): NodeStatus => ({
  id,
  name: id,
  url: `http://${id}`,
  source: 'local',
  status: 'in-sync',
  statusReason: null,
  height,
  headHash,
  lag: 0,
  peers: 3,
  lastHeadAt: 1,
  nodeHealth: 'ok',
  healthReasons: [],
  validator: true,
});
const head = (seq: number, nodeId: string, height: number, hash: string): HeadChange => ({ seq, nodeId, height, hash, reorgDepth: 0, at: 1 });

test('each node takes its latest head; other fields stay until the next snapshot', () => {
  const nodes = [node('a', 5, 'a5'), node('b', 5, 'b5')];
  const next = applyHeadChanges(nodes, [head(1, 'a', 6, 'a6'), head(2, 'a', 7, 'a7'), head(3, 'b', 6, 'b6')]);
  assert.deepEqual(
    next.map((n) => [n.id, n.height, n.headHash, n.status, n.lag]),
    [
      ['a', 7, 'a7', 'in-sync', 0],
      ['b', 6, 'b6', 'in-sync', 0],
    ],
  );
});

test('a reorg to a lower or equal height is applied too', () => {
  const next = applyHeadChanges([node('a', 7, 'a7')], [head(4, 'a', 7, 'x7')]);
  assert.equal(next[0].headHash, 'x7');
});

test('nothing new (unknown node, same head) returns the same array, so React keeps its render', () => {
  const nodes = [node('a', 5, 'a5')];
  assert.equal(applyHeadChanges(nodes, [head(1, 'a', 5, 'a5'), head(2, 'zz', 9, 'z9')]), nodes);
});
