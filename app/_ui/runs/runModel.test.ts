import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFault, exportFileName, faultsInOrder, forkMomentOf, pairFaults, recoveryOf, recoveryText, runNodeNames, sameSchedule, seconds, verdictBadge } from './runModel.ts';
import { fixtureRun } from './fixtureRuns.test-helper.ts';

test('node names come from pairing the schedule as written with the faults as resolved', () => {
  const run = fixtureRun('poa');
  const names = runNodeNames(run);
  assert.deepEqual(
    run.history!.nodes.map((id) => names.get(id)),
    ['node-1', 'node-2', 'node-3', 'node-4'],
  );
  const [f1] = faultsInOrder(run);
  assert.equal(describeFault(f1, names), 'split into 2 groups: node-1, node-2 | node-3, node-4 for 20 s');
});

test('a fault of a kind this version does not know is described by its kind and targets', () => {
  const names = new Map([['id1', 'node-1']]);
  assert.equal(describeFault({ id: 1, kind: 'solar-flare', targets: ['id1'], appliedAt: 0, healedAt: 1 }, names), 'solar-flare on node-1');
});

test('recovery states are told honestly: recovered, interrupted, not recovered, still active', () => {
  const fault = { id: 3, kind: 'partition', targets: [], appliedAt: 0, healedAt: 1000 };
  const rec = { faultId: 3, kind: 'partition', healedAt: 1000, recoveredAt: 2100, recoverySec: 1.1, interrupted: false };
  assert.equal(recoveryText(recoveryOf(fault, [rec])), '1.1 s');
  assert.match(recoveryText(recoveryOf(fault, [{ ...rec, interrupted: true }])), /next fault began/);
  assert.match(recoveryText(recoveryOf(fault, [{ ...rec, recoveredAt: null, recoverySec: null }])), /not recovered/);
  assert.match(recoveryText(recoveryOf({ ...fault, healedAt: null }, [])), /still in force/);
  assert.match(recoveryText(recoveryOf(fault, undefined)), /not judged/);
});

test('the fork view opens just before a fault’s heal, never before it began', () => {
  assert.equal(forkMomentOf({ id: 1, kind: 'x', targets: [], appliedAt: 1000, healedAt: 5000 }, 9000), 4500);
  assert.equal(forkMomentOf({ id: 1, kind: 'x', targets: [], appliedAt: 1000, healedAt: 1200 }, 9000), 1000);
  assert.equal(forkMomentOf({ id: 1, kind: 'x', targets: [], appliedAt: 1000, healedAt: null }, 9000), 8500);
});

test('verdict badges', () => {
  assert.deepEqual(verdictBadge({ valid: true, status: 'finished' }), { label: 'valid', tone: 'ok' });
  assert.deepEqual(verdictBadge({ valid: false, status: 'finished' }), { label: 'invalid', tone: 'bad' });
  assert.deepEqual(verdictBadge({ valid: 'unknown', status: 'cancelled' }), { label: 'unknown', tone: 'warn' });
  assert.deepEqual(verdictBadge({ valid: null, status: 'running' }), { label: 'running', tone: 'neutral' });
  assert.deepEqual(verdictBadge({ valid: null, status: 'error' }), { label: 'error', tone: 'bad' });
});

test('export file names are slugs of the run name and id', () => {
  assert.equal(exportFileName({ name: 'split-brain on PoA vs BFT', id: 7 }), 'split-brain-on-poa-vs-bft-run-7.run.json');
  assert.equal(exportFileName({ name: '!!!', id: 2 }), 'run-run-2.run.json');
});

test('the two fixtures ran the same schedule and pair fault by fault', () => {
  const poa = fixtureRun('poa');
  const bft = fixtureRun('bft');
  assert.ok(sameSchedule(poa, bft));
  const pairs = pairFaults(poa, bft);
  assert.equal(pairs.length, 2);
  assert.ok(pairs.every((p) => p.a?.kind === 'partition' && p.b?.kind === 'partition'));
  assert.equal(seconds(1.105), '1.1 s');
  assert.equal(seconds(0.254), '0.25 s');
  assert.equal(seconds(42.4), '42 s');
  assert.equal(seconds(1.009), '1.0 s');
});
