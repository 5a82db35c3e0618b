import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChaosRecord } from '../../../wire/chaos-api.ts';
import { faultBands } from './faultBands.ts';

function rec(id: number, kind: ChaosRecord['kind'], at: number, revertedAt: number | null, extra: Partial<ChaosRecord> = {}): ChaosRecord {
  return { id, at, actor: 'api-token', kind, params: {}, targets: [], status: 'applied', result: null, expiresAt: null, revertedAt, ...extra };
}
const names = new Map([
  ['a', 'node-1'],
  ['b', 'node-2'],
]);

test('a healed fault is a band from apply to heal; an active one runs to now', () => {
  const partition = rec(1, 'partition', 1_000, 4_000, { params: { groups: [['a'], ['b']] }, status: 'reverted' });
  const latency = rec(2, 'latency', 6_000, null, { params: { target: {}, delayMs: 120, jitterMs: 0 } });
  const bands = faultBands({ active: [latency], history: [latency, partition] }, 0, 10_000, names);
  assert.deepEqual(
    bands.map((b) => [b.id, b.kind, b.from, b.to, b.active]),
    [
      [1, 'partition', 1_000, 4_000, false],
      [2, 'latency', 6_000, 10_000, true],
    ],
  );
  assert.equal(bands[0].label, 'partition node-1 | node-2');
});

test('bands are clipped to the window and faults wholly outside it are left out', () => {
  const before = rec(1, 'partition', 100, 900, { status: 'reverted' });
  const across = rec(2, 'partition', 500, 2_000, { status: 'reverted' });
  const bands = faultBands({ active: [], history: [before, across] }, 1_000, 3_000, names);
  assert.deepEqual(
    bands.map((b) => [b.id, b.from, b.to]),
    [[2, 1_000, 2_000]],
  );
});

test('one-off actions (kill, heal) and failed faults draw no band', () => {
  const history = [rec(1, 'heal', 500, null), rec(2, 'partition', 600, null, { status: 'failed' }), rec(3, 'kill', 700, null)];
  assert.deepEqual(faultBands({ active: [], history }, 0, 1_000, names), []);
  assert.deepEqual(faultBands(undefined, 0, 1_000, names), []);
});

test('a past fault that expired without a heal record ends at its expiry', () => {
  const expired = rec(4, 'latency', 1_000, null, { expiresAt: 3_000, params: { target: {}, delayMs: 50, jitterMs: 0 } });
  const [band] = faultBands({ active: [], history: [expired] }, 0, 10_000, names);
  assert.deepEqual([band.from, band.to, band.active], [1_000, 3_000, false]);
});
