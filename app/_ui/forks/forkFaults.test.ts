import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChaosRecord } from '../../../wire/chaos-api.ts';
import { faultText, faultsAt, forkSearch, parseForkSearch } from './forkFaults.ts';

function rec(
  id: number,
  kind: ChaosRecord['kind'],
  at: number,
  revertedAt: number | null,
  params: Record<string, unknown> = {},
  status: ChaosRecord['status'] = 'applied',
): ChaosRecord {
  return { id, at, actor: 'api-token', kind, params, targets: [], status, result: null, expiresAt: null, revertedAt };
}

const names = new Map([
  ['a', 'node-1'],
  ['b', 'node-2'],
  ['c', 'node-3'],
  ['d', 'node-4'],
]);

test('live: the server’s active list, oldest first', () => {
  const active = [rec(5, 'latency', 50, null, { target: {}, delayMs: 300, jitterMs: 0 }), rec(3, 'partition', 30, null)];
  assert.deepEqual(
    faultsAt({ active, history: [] }, null).map((r) => r.id),
    [3, 5],
  );
  assert.deepEqual(faultsAt(undefined, null), []);
});

test('in the past: lasting faults applied by then and not yet reverted', () => {
  const history = [rec(1, 'partition', 100, 200), rec(2, 'heal', 200, null), rec(3, 'kill', 150, null), rec(4, 'loss', 120, null, {}, 'failed'), rec(6, 'pause', 300, null)];
  const res = { active: [history[4]], history };
  assert.deepEqual(
    faultsAt(res, 150).map((r) => r.id),
    [1],
  );
  assert.deepEqual(
    faultsAt(res, 200).map((r) => r.id),
    [],
  );
  assert.deepEqual(
    faultsAt(res, 99).map((r) => r.id),
    [],
  );
  assert.deepEqual(
    faultsAt(res, 400).map((r) => r.id),
    [6],
  );
});

test('a partition reads as its groups by name; other faults as the chaos page says them', () => {
  assert.equal(
    faultText(
      rec(1, 'partition', 0, null, {
        groups: [
          ['a', 'b'],
          ['c', 'd'],
        ],
        oneWay: false,
      }),
      names,
    ),
    'partition node-1, node-2 | node-3, node-4',
  );
  assert.equal(faultText(rec(1, 'partition', 0, null, { groups: [['a'], ['b', 'c', 'd']], oneWay: true }), names), 'partition node-1 | node-2, node-3, node-4 (one-way)');
  assert.equal(faultText(rec(2, 'latency', 0, null, { target: { node: 'c' }, delayMs: 200, jitterMs: 50 }), names), '200 ms delay ± 50 ms jitter on every link of node-3');
});

test('the view’s URL: at, from and to round-trip; malformed values are dropped', () => {
  assert.deepEqual(parseForkSearch(new URLSearchParams('at=1700000000000&from=40')), { at: 1700000000000, from: 40, to: undefined });
  assert.deepEqual(parseForkSearch(new URLSearchParams('at=soon&from=-3&to=x')), { at: null, from: undefined, to: undefined });
  assert.deepEqual(parseForkSearch(new URLSearchParams('from=50&to=10')), { at: null, from: 50, to: undefined });
  assert.equal(forkSearch({ at: 123, from: 4, to: 9 }), '?from=4&to=9&at=123');
  assert.equal(forkSearch({ at: null }), '');
  assert.deepEqual(parseForkSearch(new URLSearchParams(forkSearch({ at: 5, from: 1 }).slice(1))), { at: 5, from: 1, to: undefined });
});
