import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChaosRecord } from '../../../wire/chaos-api.ts';
import { applyLiveUpdate, countdown, describeAction, parseAction, partitionBody, resultParts, upsertRecords, withRecord } from './chaosModel.ts';

function rec(id: number, patch: Partial<ChaosRecord> = {}): ChaosRecord {
  return { id, at: id * 1000, actor: 'browser-session', kind: 'partition', params: {}, targets: [], status: 'applied', result: null, expiresAt: null, revertedAt: null, ...patch };
}

const names = new Map([
  ['a1', 'node-1'],
  ['b2', 'node-2'],
  ['c3', 'node-3'],
  ['d4', 'node-4'],
]);

test('a live update replaces the active list and upserts changed records into the history, newest first', () => {
  const old = { active: [rec(1)], history: [rec(1)] };
  const next = applyLiveUpdate(old, { active: [rec(2)], changed: [rec(1, { status: 'reverted', revertedAt: 5000 }), rec(2)] });
  assert.deepEqual(
    next?.active.map((r) => r.id),
    [2],
  );
  assert.deepEqual(
    next?.history.map((r) => `${r.id}:${r.status}`),
    ['2:applied', '1:reverted'],
  );
});

test('a live update before the first load leaves the cache empty (the GET fills it)', () => {
  assert.equal(applyLiveUpdate(undefined, { active: [], changed: [rec(1)] }), undefined);
});

test('a stale unreverted copy never overwrites a reverted record', () => {
  const history = upsertRecords([rec(3, { status: 'reverted', revertedAt: 9 })], [rec(3)]);
  assert.equal(history[0].status, 'reverted');
});

test('our own POST answer goes into the history and refreshes an active entry with the same id', () => {
  const next = withRecord({ active: [rec(4, { status: 'partial' })], history: [] }, rec(4));
  assert.equal(next?.active[0].status, 'applied');
  assert.deepEqual(
    next?.history.map((r) => r.id),
    [4],
  );
});

test('the partition body keeps groups in order, drops empty ones and validates like the server', () => {
  const { body, letters } = partitionBody({ assignment: { a1: 0, b2: 2, c3: 2, d4: null }, groupCount: 3, oneWay: true, duration: '30' }, ['a1', 'b2', 'c3', 'd4']);
  assert.deepEqual(body, { kind: 'partition', groups: [['a1'], ['b2', 'c3']], oneWay: true, durationSec: 30 });
  assert.deepEqual(letters, ['A', 'C']);
  assert.equal(parseAction(body).ok, true);
});

test('a one-group partition and a bad duration are refused with field errors before sending', () => {
  const { body } = partitionBody({ assignment: { a1: 0, b2: 0 }, groupCount: 2, oneWay: false, duration: '0.5' }, ['a1', 'b2']);
  const parsed = parseAction(body);
  assert.equal(parsed.ok, false);
  if (!parsed.ok) {
    assert.match(parsed.errors.groups, /at least two groups/);
    assert.ok(parsed.errors.durationSec);
  }
});

test('a missing required number reads "required"; an empty node target is not "all links"', () => {
  const latency = parseAction({ kind: 'latency', target: {} });
  assert.equal(!latency.ok && latency.errors.delayMs, 'required');
  const noNode = parseAction({ kind: 'loss', target: { node: '' }, pct: 5 });
  assert.equal(noNode.ok, false);
  assert.ok(!noNode.ok && Object.keys(noNode.errors).some((k) => k.startsWith('target')));
});

test('actions are described in words with node names', () => {
  assert.equal(
    describeAction(
      'partition',
      {
        groups: [
          ['a1', 'b2'],
          ['c3', 'd4'],
        ],
        oneWay: false,
      },
      names,
    ),
    'split into 2 groups: node-1, node-2 | node-3, node-4',
  );
  assert.equal(
    describeAction('latency', { target: { from: 'a1', to: 'b2' }, delayMs: 200, jitterMs: 50, durationSec: 10 }, names),
    '200 ms delay ± 50 ms jitter on node-1 → node-2 for 10 s',
  );
  assert.equal(describeAction('loss', { target: {}, pct: 20 }, names), 'drop 20% of messages on all links');
  assert.equal(describeAction('bandwidth', { target: { node: 'c3' }, bytesPerSec: 20000 }, names), 'cap every link of node-3 at 20 kB/s');
  assert.equal(describeAction('clock-skew', { node: 'd4', offsetMs: -1500 }, names), "shift node-4's clock by −1,500 ms");
  assert.equal(describeAction('heal', { actionId: 7 }, names), 'revert #7');
  assert.equal(describeAction('kill', { node: 'zzzzzzzzzzzzzzzz' }, names), 'kill zzzzzzzz… (SIGKILL)');
  assert.equal(describeAction('delay-proposals', { node: 'b2', delayMs: 1500, durationSec: 30 }, names), 'make node-2 hold each proposal back 1500 ms for 30 s');
  assert.match(describeAction('equivocate', { node: 'a1' }, names), /^make node-1 equivocate: /);
  // The kinds of the experiments issue read as words too, not as raw JSON.
  assert.equal(
    describeAction('reorder', { target: {}, pct: 40, gap: 3, correlation: 50 }, names),
    'reorder 40% of messages on all links (each held behind the next 3), correlated 50%',
  );
  assert.equal(describeAction('corrupt', { target: { node: 'a1' }, pct: 2 }, names), 'flip a byte in 2% of frames on every link of node-1');
  assert.equal(
    describeAction('partition-shape', { shape: 'bridge', seed: 9, resolved: { groups: [['a1', 'b2'], ['c3']], bridge: 'd4' }, durationSec: 20 }, names),
    'bridge: node-1, node-2 | node-3, node-4 sees both (seed 9) for 20 s',
  );
  assert.equal(describeAction('partition-shape', { shape: 'isolate', seed: 1, resolved: { groups: [['c3'], ['a1', 'b2', 'd4']] } }, names), 'isolate node-3 (seed 1)');
  assert.equal(describeAction('clock-strobe', { node: 'b2', deltaMs: 2000, periodMs: 1000, symmetric: true }, names), "strobe node-2's clock ±2000 ms every 1000 ms");
  assert.equal(describeAction('clock-bump', { node: 'b2', deltaMs: -500 }, names), "bump node-2's clock by −500 ms once");
});

test('byzantine actions are validated like the others: delay-proposals needs its delay', () => {
  assert.ok(parseAction({ kind: 'equivocate', node: 'a1' }).ok);
  const noDelay = parseAction({ kind: 'delay-proposals', node: 'a1' });
  assert.ok(!noDelay.ok && 'delayMs' in noDelay.errors);
});

test('countdowns round up and switch units', () => {
  assert.equal(countdown(41_200), '42 s');
  assert.equal(countdown(125_000), '2 min 05 s');
  assert.equal(countdown(-5), '0 s');
});

test('storage faults read as words, and their detailed results count as successes', () => {
  assert.equal(describeAction('storage-truncate', { node: 'a1', bytes: 5000 }, names), "cut 5,000 bytes off the end of stopped node-1's block log");
  assert.equal(
    describeAction('storage-bitflip', { node: 'b2', flips: 3, where: 'header', seed: 9 }, names),
    "flip 3 bit(s) in the file header of stopped node-2's block log (seed 9)",
  );
  assert.deepEqual(resultParts({ 'node-1': 'ok: cut 5000 of 9000 bytes', 'node-2': 'ok', 'node-3': 'unreachable' }), {
    ok: ['node-1 (cut 5000 of 9000 bytes)', 'node-2'],
    failed: [['node-3', 'unreachable']],
  });
  assert.equal(parseAction({ kind: 'storage-bitflip', node: 'a1', flips: 65 }).ok, false);
  assert.deepEqual(parseAction({ kind: 'storage-bitflip', node: 'a1', flips: 2 }), { ok: true, action: { kind: 'storage-bitflip', node: 'a1', flips: 2, where: 'records' } });
});
