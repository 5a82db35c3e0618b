import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeightsResponse, NodeStatus } from '../../../wire/explorer-api.ts';
import { chartDomain, chartScales, extendFinalized, extendHeights, heightTicks, stepPath } from './heightSeries.ts';

function node(id: string, height: number | null): NodeStatus {
  return {
    id,
    name: `name-${id}`,
    url: '',
    source: 'local',
    status: 'in-sync',
    statusReason: null,
    height,
    headHash: null,
    lag: 0,
    peers: 0,
    lastHeadAt: null,
    nodeHealth: 'ok',
    healthReasons: [],
    validator: true,
  };
}

test('a push appends a point only for nodes whose height moved', () => {
  const res: HeightsResponse = {
    since: 0,
    series: [
      { nodeId: 'a', name: 'A', points: [[1_000, 5]] },
      { nodeId: 'b', name: 'B', points: [[1_000, 5]] },
    ],
  };
  const next = extendHeights(res, [node('a', 6), node('b', 5)], 2_000, 60_000);
  assert.deepEqual(next.series[0].points, [
    [1_000, 5],
    [2_000, 6],
  ]);
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
  const res: HeightsResponse = {
    since: 0,
    series: [
      {
        nodeId: 'a',
        name: 'A',
        points: [
          [1_000, 1],
          [2_000, 2],
          [3_000, 3],
          [9_000, 4],
        ],
      },
    ],
  };
  const next = extendHeights(res, [node('a', 4)], 10_000, 5_000);
  assert.deepEqual(next.series[0].points, [
    [3_000, 3],
    [9_000, 4],
  ]);
});

test('the domain covers only heights visible in the window, padded', () => {
  const d = chartDomain(
    [
      {
        nodeId: 'a',
        name: 'A',
        points: [
          [0, 1],
          [3_000, 100],
          [9_000, 110],
        ],
      },
    ],
    10_000,
    6_000,
  );
  assert.equal(d.t0, 4_000);
  assert.equal(d.t1, 10_000);
  assert.ok(d.h0 <= 100 && d.h0 > 1, `h0 ${d.h0}`);
  assert.ok(d.h1 >= 110);
});

test('with no points the domain is the window and heights 0 to 1', () => {
  assert.deepEqual(chartDomain([], 10_000, 6_000), { t0: 4_000, t1: 10_000, h0: 0, h1: 1 });
});

const box = { width: 200, height: 100, pad: { left: 10, right: 10, top: 5, bottom: 15 } };

test('the scales put the window inside the padding, the lowest height at the bottom', () => {
  const { x, y } = chartScales({ t0: 1_000, t1: 2_000, h0: 10, h1: 20 }, box);
  assert.deepEqual([x(1_000), x(1_500), x(2_000)], [10, 100, 190]);
  assert.deepEqual([y(10), y(15), y(20)], [85, 45, 5]);
});

test('a chart narrower than its padding still gets a plot 10 px wide', () => {
  const { x } = chartScales({ t0: 0, t1: 1, h0: 0, h1: 1 }, { ...box, width: 5 });
  assert.deepEqual(x.range(), [10, 20]);
});

test('grid lines sit on whole heights only', () => {
  const { y } = chartScales({ t0: 0, t1: 1, h0: 0, h1: 2 }, box);
  assert.deepEqual(heightTicks(y, 4), [0, 1, 2]);
  const wide = chartScales({ t0: 0, t1: 1, h0: 0, h1: 75 }, box).y;
  assert.deepEqual(heightTicks(wide, 4), [0, 20, 40, 60]);
});

test('a step path holds each height until the next change and runs to the right edge', () => {
  const d = stepPath(
    [
      [0, 1],
      [10, 2],
    ],
    (t) => t,
    (h) => h * 10,
    0,
    20,
  );
  // Horizontal at height 1 until t=10, up to height 2, then flat to the right edge (t=20).
  assert.equal(d, 'M0,10L10,10L10,20L20,20L20,20');
});

test('a step path starts at the left edge when its first point is older than the window', () => {
  assert.equal(
    stepPath(
      [
        [-5, 1],
        [10, 2],
      ],
      (t) => t,
      (h) => h * 10,
      0,
      20,
    ),
    stepPath(
      [
        [0, 1],
        [10, 2],
      ],
      (t) => t,
      (h) => h * 10,
      0,
      20,
    ),
  );
  assert.equal(
    stepPath(
      [],
      (t) => t,
      (h) => h,
      0,
      20,
    ),
    '',
  );
});

test('the finalized line grows only when the finalized height rises, and PoA gets none', () => {
  const res = { since: 0, series: [], finalized: [[1_000, 4]] as Array<[number, number]> };
  const next = extendFinalized(res, 6, 2_000, 60_000);
  assert.deepEqual(next.finalized, [
    [1_000, 4],
    [2_000, 6],
  ]);
  assert.equal(extendFinalized(next, 6, 3_000, 60_000), next, 'same height: nothing added');
  assert.equal(extendFinalized(next, 5, 3_000, 60_000), next, 'never down');
  const poa = { since: 0, series: [] };
  assert.equal(extendFinalized(poa, undefined, 3_000, 60_000), poa);
  assert.deepEqual(extendFinalized(poa, 2, 3_000, 60_000).finalized, [[3_000, 2]], 'a BFT network whose history had no commits yet starts the line');
  const old = {
    since: 0,
    series: [],
    finalized: [
      [0, 1],
      [10, 2],
      [70_000, 3],
    ] as Array<[number, number]>,
  };
  assert.deepEqual(
    extendFinalized(old, 4, 80_000, 60_000).finalized,
    [
      [10, 2],
      [70_000, 3],
      [80_000, 4],
    ],
    'points before the window go, except the one the line starts from',
  );
});
