// Chaos records → the run's faults: targets and times kept, heals/restarts/resumes are not
// faults, a failed action never acted, a kill ends when its node restarts, an expired one at
// its expiry, one still active has no end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChaosRecord } from '../../wire/chaos-api.ts';
import { faultsOf } from './run-faults.ts';

const rec = (over: Partial<ChaosRecord> & Pick<ChaosRecord, 'id' | 'kind' | 'at'>): ChaosRecord => ({
  actor: 'experiment',
  params: {},
  targets: [],
  status: 'applied',
  result: null,
  expiresAt: null,
  revertedAt: null,
  ...over,
});

test('chaos records become the faults of a run, each with its targets and its end', () => {
  const records = [
    rec({ id: 1, kind: 'partition', at: 1000, targets: ['a', 'b', 'c', 'd'], status: 'reverted', revertedAt: 9000 }),
    rec({ id: 2, kind: 'heal', at: 9000 }),
    rec({ id: 3, kind: 'kill', at: 10_000, targets: ['c'] }),
    rec({ id: 4, kind: 'restart', at: 17_000, targets: ['c'] }),
    rec({ id: 5, kind: 'loss', at: 20_000, targets: ['a', 'b'], expiresAt: 27_000 }),
    rec({ id: 6, kind: 'pause', at: 30_000, targets: ['b'], status: 'failed' }),
    rec({ id: 7, kind: 'latency', at: 40_000, targets: ['a'], expiresAt: 90_000 }),
  ];
  assert.deepEqual(faultsOf(records, 60_000), [
    { id: 1, kind: 'partition', targets: ['a', 'b', 'c', 'd'], appliedAt: 1000, healedAt: 9000, params: {} },
    { id: 3, kind: 'kill', targets: ['c'], appliedAt: 10_000, healedAt: 17_000, params: {} },
    { id: 5, kind: 'loss', targets: ['a', 'b'], appliedAt: 20_000, healedAt: 27_000, params: {} },
    { id: 7, kind: 'latency', targets: ['a'], appliedAt: 40_000, healedAt: null, params: {} },
  ]);
});
