import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePins, pinnedFirst, togglePin } from './pins.ts';

const rows = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
const order = (r: Array<{ id: string }>) => r.map((x) => x.id).join('');

test('pinned rows come first in the order they were pinned, the rest keep theirs', () => {
  assert.equal(order(pinnedFirst(rows, ['c', 'a'])), 'cabd');
  assert.equal(order(pinnedFirst(rows, [])), 'abcd');
});

test('a pin of a node no longer listed is ignored, not shown as an empty row', () => {
  assert.equal(order(pinnedFirst(rows, ['gone', 'd'])), 'dabc');
});

test('toggling pins a node last and unpins it where it was', () => {
  assert.deepEqual(togglePin(['a'], 'c'), ['a', 'c']);
  assert.deepEqual(togglePin(['a', 'c', 'b'], 'c'), ['a', 'b']);
});

test('stored pins: a JSON array of ids; anything else reads as no pins', () => {
  assert.deepEqual(parsePins('["a","b","a"]'), ['a', 'b']);
  assert.deepEqual(parsePins('["a",3,null]'), ['a']);
  for (const bad of [null, '', 'not json', '{"a":1}', '42']) assert.deepEqual(parsePins(bad), [], String(bad));
});
