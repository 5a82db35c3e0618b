import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeStatus, NodesResponse } from '../../../wire/explorer-api.ts';
import { newerSnapshot, snapshotOfPush } from './nodesSnapshot.ts';

const node = (id: string, height: number, lag: number): NodeStatus => ({
  id,
  name: id,
  url: `http://${id}`,
  source: 'local',
  status: 'in-sync',
  statusReason: null,
  height,
  headHash: `${id}${height}`,
  lag,
  peers: 3,
  lastHeadAt: 1,
  nodeHealth: 'ok',
  healthReasons: [],
  validator: true,
});

const snap = (seq: number, heights: number[]): NodesResponse => {
  const best = Math.max(...heights);
  return { nodes: heights.map((h, i) => node(`n${i}`, h, best - h)), network: { status: 'agreed', agreedHeight: Math.min(...heights) }, seq };
};

test('a push replaces the held snapshot whole: rows, lags and verdict of one moment', () => {
  const held = snap(10, [63, 62, 62]);
  const next = newerSnapshot(held, snapshotOfPush(snap(11, [63, 63, 63]).nodes, { network: { status: 'agreed', agreedHeight: 63 }, seq: 11 }));
  assert.deepEqual(
    next.nodes.map((n) => [n.height, n.lag]),
    [
      [63, 0],
      [63, 0],
      [63, 0],
    ],
  );
  assert.equal(next.network.agreedHeight, 63);
});

test('an older snapshot (a slow HTTP answer, a late push) does not take the page back', () => {
  const held = snap(11, [63, 63]);
  assert.equal(newerSnapshot(held, snap(10, [62, 62])), held);
  assert.equal(newerSnapshot(undefined, snap(10, [62, 62])).seq, 10);
});
