// The chaos page's node picker: what each draft sends, checked against the server's own schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asSentence, describeAction, describeNodeTargets, parseAction, shortNodeTargets } from './chaosModel.ts';
import { EMPTY_TARGET, isolateFields, nodeTargetFields, PICK_CHOICES } from './nodeTarget.ts';

const names = new Map([
  ['a1', 'node-1'],
  ['b2', 'node-2'],
  ['c3', 'node-3'],
  ['d4', 'node-4'],
]);

test('a chosen node sends node; a selection sends select (k for random-k) and the seed only when given', () => {
  assert.deepEqual(nodeTargetFields({ ...EMPTY_TARGET, node: 'b2' }), { node: 'b2' });
  assert.deepEqual(nodeTargetFields({ ...EMPTY_TARGET, mode: 'minority' }), { select: { pick: 'minority' } });
  assert.deepEqual(nodeTargetFields({ ...EMPTY_TARGET, mode: 'random-k', k: '3', seed: '7' }), { select: { pick: 'random-k', k: 3 }, seed: 7 });
  for (const { mode } of PICK_CHOICES) {
    const body = { kind: 'pause', ...nodeTargetFields({ mode, node: 'a1', k: '2', seed: '' }) };
    assert.ok(parseAction(body).ok, `${mode}: ${JSON.stringify(body)}`);
  }
});

test('an unchosen node, a bad k and a bad seed are refused on their own fields before sending', () => {
  const noNode = parseAction({ kind: 'pause', ...nodeTargetFields(EMPTY_TARGET) });
  assert.ok(!noNode.ok && noNode.errors.node);
  const badK = parseAction({ kind: 'kill', ...nodeTargetFields({ ...EMPTY_TARGET, mode: 'random-k', k: '0' }) });
  assert.ok(!badK.ok && badK.errors['select.k']);
  const badSeed = parseAction({ kind: 'kill', ...nodeTargetFields({ ...EMPTY_TARGET, mode: 'one', seed: '-3' }) });
  assert.ok(!badSeed.ok && badSeed.errors.seed);
});

test('isolate takes a chosen node as select ids, and refuses none chosen on select.ids', () => {
  assert.deepEqual(isolateFields({ ...EMPTY_TARGET, node: 'c3' }), { select: { pick: 'ids', ids: ['c3'] } });
  assert.deepEqual(isolateFields({ ...EMPTY_TARGET, mode: 'minority-third', seed: '4' }), { select: { pick: 'minority-third' }, seed: 4 });
  const none = parseAction({ kind: 'partition-shape', shape: 'isolate', ...isolateFields(EMPTY_TARGET) });
  assert.ok(!none.ok && Object.keys(none.errors).some((k) => k.startsWith('select.ids')));
});

test('a selection reads as words: before sending, how many of the known nodes; once recorded, which ones and the seed', () => {
  assert.equal(describeNodeTargets({ select: { pick: 'minority' } }, names), 'a minority (1 of 4, at random from a fresh seed)');
  assert.equal(describeNodeTargets({ select: { pick: 'random-k', k: 2 }, seed: 7 }, names), '2 random nodes (2 of 4, at random from seed 7)');
  assert.equal(describeNodeTargets({ select: { pick: 'all' } }, names), 'every node (4)');
  assert.equal(describeNodeTargets({ select: { pick: 'ids', ids: ['a1', 'c3'] } }, names), 'node-1, node-3');
  assert.equal(describeNodeTargets({ select: { pick: 'majority' }, seed: 3, resolvedTargets: ['a1', 'b2', 'd4'] }, names), 'a majority (node-1, node-2, node-4; seed 3)');
  assert.equal(
    describeAction('pause', { select: { pick: 'minority-third' }, seed: 9, resolvedTargets: ['b2'], durationSec: 5 }, names),
    'pause fewer than a third (node-2; seed 9): no producing, no processing for 5 s',
  );
  assert.equal(
    describeAction('clock-skew', { select: { pick: 'one' }, seed: 1, resolvedTargets: ['c3'], offsetMs: 900 }, names),
    'shift the clocks of one node (node-3; seed 1) by +900 ms',
  );
  assert.equal(describeAction('kill', { node: 'd4' }, names), 'kill node-4 (SIGKILL)', 'a named node reads as before');
});

test('partition shapes and the new link options read as words before they are resolved too', () => {
  assert.equal(describeAction('partition-shape', { shape: 'isolate', select: { pick: 'minority' } }, names), 'isolate a minority from the rest (at random from a fresh seed)');
  assert.equal(
    describeAction('partition-shape', { shape: 'isolate', select: { pick: 'minority' }, seed: 2, resolved: { groups: [['b2'], ['a1', 'c3', 'd4']] } }, names),
    'isolate a minority: node-2 (seed 2)',
  );
  assert.equal(describeAction('partition-shape', { shape: 'bridge', seed: 5 }, names), 'bridge: two halves cut apart, one node still sees both (seed 5)');
  assert.equal(describeAction('loss', { target: {}, pct: 20, correlation: 25, seed: 4 }, names), 'drop 20% of messages on all links, correlated 25%, seed 4');
  assert.equal(describeAction('bandwidth', { target: {}, bytesPerSec: 5000, burst: 20000 }, names), 'cap all links at 5 kB/s (bursts of 20,000 B pass at once)');
});

test('a dialog title names the nodes in short: the node, or the selection’s words', () => {
  assert.equal(shortNodeTargets({ node: 'c3' }, names), 'node-3');
  assert.equal(shortNodeTargets({ select: { pick: 'minority-third' }, seed: 2 }, names), 'fewer than a third');
  assert.equal(shortNodeTargets({ select: { pick: 'ids', ids: ['a1', 'b2'] } }, names), 'node-1, node-2');
  assert.equal(asSentence('pause a minority'), 'Pause a minority');
});
