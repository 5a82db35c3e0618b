import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeightSeries, HeightsResponse, NodeStatus } from '../../../wire/explorer-api.ts';
import { chartDomain, chartScales, extendFinalized, extendHeights, heightAt, heightAxisTicks, MIN_LABEL_GAP_PX, stepPath, timeAxisTicks } from './heightSeries.ts';

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

test("the 'all' window (an endless keep) trims nothing and keeps the server's start", () => {
  const res: HeightsResponse = {
    since: 500,
    series: [
      {
        nodeId: 'a',
        name: 'A',
        points: [
          [500, 1],
          [1_000, 2],
        ],
      },
    ],
  };
  const next = extendHeights(res, [node('a', 3)], 10_000_000, Infinity);
  assert.equal(next.since, 500);
  assert.deepEqual(next.series[0].points, [
    [500, 1],
    [1_000, 2],
    [10_000_000, 3],
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

test('grid lines sit on whole heights only, on a domain widened to round numbers', () => {
  const { y } = chartScales({ t0: 0, t1: 1, h0: 0, h1: 2 }, box);
  assert.deepEqual(
    heightAxisTicks(y).map((t) => t.value),
    [2, 1, 0],
  );
  const wide = chartScales({ t0: 0, t1: 1, h0: 0, h1: 75 }, box).y;
  assert.deepEqual(wide.domain(), [0, 100], 'nice: the top grid line is on the edge');
  assert.deepEqual(
    heightAxisTicks(wide).map((t) => t.value),
    [100, 50, 0],
  );
});

// The chart's real size (HeightChart.tsx).
const chartBox = { width: 600, height: 220, pad: { left: 52, right: 12, top: 10, bottom: 26 } };
const flat = (nodeId: string, h: number, from = 0): HeightSeries => ({ nodeId, name: nodeId, points: [[from, h]] });

/** Labels are unique, descending from top to bottom, and never closer than a label's height. */
function assertReadable(ticks: Array<{ value: number; px: number }>, what: string) {
  for (let i = 1; i < ticks.length; i++) {
    assert.ok(ticks[i].value < ticks[i - 1].value, `${what}: ${ticks.map((t) => t.value).join(', ')} descend top to bottom`);
    assert.ok(ticks[i].px - ticks[i - 1].px >= MIN_LABEL_GAP_PX, `${what}: ${ticks[i - 1].value} and ${ticks[i].value} are ${ticks[i].px - ticks[i - 1].px} px apart`);
  }
  assert.ok(ticks.length >= 2, `${what}: at least two labels`);
}

test('the fork of issue 16 (every node flat at 130, finalized line beside them): 131, 130, 129 once each, in order', () => {
  // Hand-written ticks once gave 129, 130, 130, 131, 131 here (a half step rounded): labels
  // keyed by value then repeated, and React left stale ones (100, 50, 0) between them.
  const series = ['a', 'b', 'c', 'd'].map((id) => flat(id, 130));
  const d = chartDomain([...series, flat('finalized', 130)], 300_000, 300_000);
  const ticks = heightAxisTicks(chartScales(d, chartBox).y);
  assert.deepEqual(
    ticks.map((t) => t.value),
    [131, 130, 129],
  );
  assertReadable(ticks, 'flat at 130');
});

test('height labels stay unique, in order and apart for forks of every shape, with or without a node still at 0', () => {
  for (let lo = 0; lo <= 400; lo += 7) {
    for (const spread of [0, 1, 2, 3, 5, 8, 13, 40, 130, 999]) {
      for (const withZero of [false, true]) {
        const series = [flat('a', lo), flat('b', lo + spread), flat('fin', Math.max(0, lo - 1))];
        if (withZero) series.push(flat('late', 0));
        const d = chartDomain(series, 300_000, 300_000);
        for (const height of [220, 120, 70]) assertReadable(heightAxisTicks(chartScales(d, { ...chartBox, height }).y), `lo ${lo} spread ${spread} zero ${withZero} h ${height}`);
      }
    }
  }
});

test('a plot too short for every d3 tick keeps the top label and drops the ones that would touch', () => {
  const { y } = chartScales({ t0: 0, t1: 1, h0: 0, h1: 1_000 }, { ...chartBox, height: 66 });
  const ticks = heightAxisTicks(y);
  assert.equal(ticks[0].value, 1_000);
  assertReadable(ticks, 'short plot');
});

test('time labels: whole minutes over 5 minutes, a readable clock over an hour, the date over days', () => {
  process.env.TZ = 'UTC';
  const now = Date.UTC(2026, 10, 30, 8, 13, 20);
  const five = timeAxisTicks(chartScales({ t0: now - 300_000, t1: now, h0: 0, h1: 1 }, chartBox).x);
  assert.deepEqual(
    five.map((t) => t.label),
    ['08:09', '08:10', '08:11', '08:12'],
  );
  const hour = timeAxisTicks(chartScales({ t0: now - 3_600_000, t1: now, h0: 0, h1: 1 }, chartBox).x);
  assert.ok(hour.length >= 3 && hour.every((t) => /^\d\d:(00|15|30|45)$/.test(t.label)), hour.map((t) => t.label).join(' '));
  const days = timeAxisTicks(chartScales({ t0: now - 3 * 86_400_000, t1: now, h0: 0, h1: 1 }, chartBox).x);
  assert.ok(days.length >= 2 && days.every((t) => /^Nov \d\d? \d\d:\d\d$/.test(t.label)), days.map((t) => t.label).join(' '));
  for (const ticks of [five, hour, days]) {
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i].px - ticks[i - 1].px >= 72, 'labels do not overlap');
    assert.ok(
      ticks.every((t) => t.px <= chartBox.width - chartBox.pad.right - 72),
      "none runs into 'now'",
    );
  }
});

test("the height under the cursor is the step line's value there", () => {
  const points: Array<[number, number]> = [
    [10, 1],
    [20, 2],
    [30, 5],
  ];
  assert.deepEqual(
    [5, 10, 15, 20, 29, 30, 99].map((t) => heightAt(points, t)),
    [null, 1, 1, 2, 2, 5, 5],
  );
  assert.equal(heightAt([], 10), null);
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
