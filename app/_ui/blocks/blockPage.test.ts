import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockSummary } from '../../../wire/explorer-api.ts';
import { insertIntoFirstPage, splitPush } from './blockPage.ts';

function block(height: number, hash = `h${height}`, nodes: string[] = ['a']): BlockSummary {
  return {
    hash,
    height,
    parentHash: `h${height - 1}`,
    proposer: 'p',
    proposerName: null,
    timestamp: height,
    txCount: 0,
    sizeBytes: 0,
    firstSeenAt: 0,
    firstSeenBy: null,
    nodes,
    orphaned: false,
  };
}

test('a pushed block already on the page replaces its row in place', () => {
  const page = { blocks: [block(3), block(2)], nextBefore: 2 };
  const { updated, fresh } = splitPush(page, [block(2, 'h2', ['a', 'b'])]);
  assert.deepEqual(updated.blocks[1].nodes, ['a', 'b']);
  assert.equal(fresh.length, 0);
});

test('unknown blocks are new, except ones older than the page', () => {
  const page = { blocks: [block(5), block(4)], nextBefore: 4 };
  const { updated, fresh } = splitPush(page, [block(6), block(1)]);
  assert.equal(updated, page);
  assert.deepEqual(
    fresh.map((b) => b.height),
    [6],
  );
});

test('inserting keeps the newest heights whole and moves the older-page cursor', () => {
  const page = { blocks: [block(5), block(4), block(3)], nextBefore: 3 };
  const next = insertIntoFirstPage(page, [block(6), block(4, 'h4b')], 3);
  assert.deepEqual(
    next.blocks.map((b) => `${b.height}:${b.hash}`),
    ['6:h6', '5:h5', '4:h4', '4:h4b'],
  );
  assert.equal(next.nextBefore, 4);
});

test('a page shorter than its size just grows', () => {
  const page = { blocks: [block(1)], nextBefore: 1 };
  assert.deepEqual(
    insertIntoFirstPage(page, [block(2)], 5).blocks.map((b) => b.height),
    [2, 1],
  );
});
