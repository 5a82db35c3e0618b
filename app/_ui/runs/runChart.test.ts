import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChainReading } from '../../../wire/run-history.ts';
import { downsampleSteps, finalizedLine, runChartData, stepLine, type StepPoint } from './runChart.ts';
import { fixtureRun } from './fixtureRuns.test-helper.ts';

const reading = (at: number, height: number, nodeId = 'n1'): ChainReading => ({ nodeId, at, height, hash: 'a'.repeat(64) });

test('a step line keeps only the readings where the height changed, relative to the start', () => {
  assert.deepEqual(stepLine([reading(100, 1), reading(200, 1), reading(300, 2), reading(400, 2), reading(500, 1)], 100), [
    [0, 1],
    [200, 2],
    [400, 1],
  ]);
});

test('the finalized line is the highest any node finalized, never going down', () => {
  assert.deepEqual(finalizedLine([reading(0, 1, 'a'), reading(0, 2, 'b'), reading(10, 1, 'a'), reading(20, 3, 'a')], 0), [
    [0, 2],
    [20, 3],
  ]);
});

test('downsampling keeps each column’s first, lowest, highest and last point in time order', () => {
  const points: StepPoint[] = Array.from({ length: 1000 }, (_, i) => [i, i % 100 === 50 ? -5 : i]);
  const out = downsampleSteps(points, 1000, 10);
  assert.ok(out.length <= 40, `${out.length} points`);
  for (let i = 1; i < out.length; i++) assert.ok(out[i][0] > out[i - 1][0], 'in time order');
  // Every column's dip to -5 survives, and the last point is kept.
  assert.equal(out.filter((p) => p[1] === -5).length, 10);
  assert.deepEqual(out[out.length - 1], [999, 999]);
  assert.deepEqual(out[0], [0, 0]);
});

test('a short line is not downsampled', () => {
  const points: StepPoint[] = [
    [0, 1],
    [10, 2],
  ];
  assert.deepEqual(downsampleSteps(points, 100, 5), points);
});

test('a 5000-reading history shrinks to a few points per column per node', () => {
  const heads: ChainReading[] = [];
  for (let i = 0; i < 5000; i++) heads.push(reading(i * 10, i, `n${i % 4}`));
  const data = runChartData(
    { engine: 'poa', nodes: ['n0', 'n1', 'n2', 'n3'], startedAt: 0, endedAt: 50_000, cutShort: false, recoveryBoundSec: 15, faults: [], heads, finalized: [], index: null },
    100,
  );
  assert.equal(data.nodes.length, 4);
  for (const n of data.nodes) assert.ok(n.points.length <= 400, `${n.nodeId}: ${n.points.length}`);
  assert.equal(data.minHeight, 0);
  assert.equal(data.maxHeight, 4999);
});

test('the BFT fixture charts four head lines and a finalized line; the PoA one no finalized line', () => {
  const bft = runChartData(fixtureRun('bft').history!, 800);
  assert.equal(bft.nodes.length, 4);
  assert.ok(bft.finalized.length > 10);
  assert.ok(bft.durationMs > 70_000);
  const poa = runChartData(fixtureRun('poa').history!, 800);
  assert.deepEqual(poa.finalized, []);
});
