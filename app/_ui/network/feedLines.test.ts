import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkEvent } from '../../../wire/explorer-api.ts';
import { eventsSince, groupHeads, mergeEvents } from './feedLines.ts';

const ev = (id: string, at: number, kind: NetworkEvent['kind'] = 'head'): NetworkEvent => ({ id, at, kind, nodeId: null, message: id });

test('pushes are merged newest first without duplicates', () => {
  const merged = mergeEvents([ev('a', 1), ev('b', 2)], [ev('c', 3), ev('b', 2)], 10);
  assert.deepEqual(
    merged.map((e) => e.id),
    ['c', 'b', 'a'],
  );
});

test('a burst of new heads does not push a reorg out of the feed', () => {
  const heads = Array.from({ length: 10 }, (_, i) => ev(`h${i}`, 10 + i));
  const merged = mergeEvents([ev('r', 5, 'reorg')], heads, 3);
  assert.deepEqual(
    merged.map((e) => e.id),
    ['h9', 'h8', 'h7', 'r'],
  );
});

test('consecutive new heads collapse into one line; other events stay their own line', () => {
  const lines = groupHeads([ev('h3', 9), ev('h2', 8), ev('p', 7, 'peer'), ev('h1', 6)]);
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0].kind === 'heads' && [lines[0].newest.id, lines[0].oldest.id, lines[0].count], ['h3', 'h2', 2]);
  assert.equal(lines[1].kind, 'event');
});

test('a paused feed counts the events it has not shown, and says when the count may be short', () => {
  const frozen = [ev('2', 2), ev('1', 1)];
  assert.deepEqual(eventsSince(frozen, [ev('4', 4), ev('3', 3), ...frozen]), { count: 2, capped: false });
  assert.deepEqual(eventsSince(frozen, frozen), { count: 0, capped: false });
  // The capped list holds only new events: more may have come than it keeps.
  assert.deepEqual(eventsSince(frozen, [ev('6', 6), ev('5', 5)]), { count: 2, capped: true });
});
