import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeightsResponse, NodeStatus } from '../../../wire/explorer-api.ts';
import { chartScale, extendHeights, stepPath } from './heightSeries.ts';

function node(id: string, height: number | null): NodeStatus {
  return {
    id, name: `name-${id}`, url: '', source: 'local', status: 'in-sync', statusReason: null, height, headHash: null, lag: 0,
    peers: 0, lastHeadAt: null, nodeHealth: 'ok', healthReasons: [], validator: true,
  };
}

test('a push appends a point only for nodes whose height moved', () => {
  const res: HeightsResponse = { since: 0, series: [{ nodeId: 'a', name: 'A', points: [[1_000, 5]] }, { nodeId: 'b', name: 'B', points: [[1_000, 5]] }] };
  const next = extendHeights(res, [node('a', 6), node('b', 5)], 2_000, 60_000);
  assert.deepEqual(next.series[0].points, [[1_000, 5], [2_000, 6]]);
  assert.equal(next.series[1], res.series[1], 'an unchanged series keeps its identity');
});

test('nothing changed returns the same object, so React skips the render', () => {
  const res: HeightsResponse = { since: 0, series: [{ nodeId: 'a', name: 'A', points: [[1_000, 5]] }] };
  assert.equal(extendHeights(res, [node('a', 5), node('x', null)], 2_000, 60_000), res);
});

test('a node seen for the first time starts its own series', () => {
  const res: HeightsResponse = { since: 0, series: [] };
  const next = extendHeights(res, [node('a', 3)], 2_000, 60_000);
  assert.deepEqual(next.series, [{ nodeId: 'a', name: 'name-a', points: [[2_000, 3]] }]);
});

test('points older than the window are dropped except the last one before it', () => {
  const res: HeightsResponse = { since: 0, series: [{ nodeId: 'a', name: 'A', points: [[1_000, 1], [2_000, 2], [3_000, 3], [9_000, 4]]}] };
  const next = extendHeights(res, [node('a', 4)], 10_000, 5_000);
  assert.deepEqual(next.series[0].points, [[3_000, 3], [9_000, 4]]);
});

test('the scale covers only heights visible in the window, padded', () => {
  const s = chartScale([{ nodeId: 'a', name: 'A', points: [[0, 1], [3_000, 100], [9_000, 110]] }], 10_000, 6_000);
  assert.equal(s.t0, 4_000);
  assert.ok(s.h0 <= 100 && s.h0 > 1, `h0 ${s.h0}`);
  assert.ok(s.h1 >= 110);
});

test('a step path holds each height until the next change and runs to the right edge', () => {
  const d = stepPath([[0, 1], [10, 2]], (t) => t, (h) => h * 10, 0, 20);
  assert.equal(d, 'M0.0,10.0H10.0V20.0H20.0');
});
