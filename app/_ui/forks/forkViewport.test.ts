import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createViewportStore, drawnColumns, inColumns, scrollToCenter, visibleColumns } from './forkViewport.ts';

const box = (scrollLeft: number, viewportWidth = 1000, colPx = 10) => ({ scrollLeft, viewportWidth, colPx, leftPx: 20 });

describe('fork view culling', () => {
  it('the visible columns follow the scroll offset and stay inside the tree', () => {
    assert.deepEqual(visibleColumns(box(0), 5000), { first: 0, last: 97 });
    assert.deepEqual(visibleColumns(box(20_000), 5000), { first: 1998, last: 2097 });
    assert.deepEqual(visibleColumns(box(60_000), 5000), { first: 4999, last: 4999 });
  });

  it('draws a bounded span around the visible columns, however long the tree', () => {
    for (const columns of [500, 5000, 50_000]) {
      const span = drawnColumns(box(2_000), columns);
      const visible = visibleColumns(box(2_000), columns);
      assert.ok(span.first <= visible.first && span.last >= visible.last, 'covers what is visible');
      assert.ok(span.last - span.first + 1 <= 100 * 3, `at most about three screens of columns, not ${span.last - span.first + 1}`);
    }
  });

  it('the span does not change for small scrolls within a chunk, so scrolling rarely re-renders', () => {
    const spans = new Set<string>();
    for (let x = 10_000; x < 10_250; x += 5) spans.add(JSON.stringify(drawnColumns(box(x), 5000)));
    assert.ok(spans.size <= 2, `${spans.size} distinct spans over 25 columns of scrolling`);
  });

  it('picks the blocks of the span by binary search over column-sorted blocks', () => {
    const blocks = Array.from({ length: 5000 }, (_, i) => ({ col: Math.floor(i / 2) })); // two blocks a column
    const picked = inColumns(blocks, (b) => b.col, { first: 100, last: 104 });
    assert.equal(picked.length, 10);
    assert.equal(picked[0].col, 100);
    assert.equal(picked.at(-1)!.col, 104);
    assert.deepEqual(
      inColumns(blocks, (b) => b.col, { first: 3000, last: 3100 }),
      [],
    );
    assert.deepEqual(
      inColumns(blocks, (b) => b.col, { first: 0, last: -1 }),
      [],
    );
  });

  it('centres a column in the viewport', () => {
    assert.equal(scrollToCenter(100, { viewportWidth: 1000, colPx: 10, leftPx: 20 }), 20 + 1005 - 500);
    assert.equal(scrollToCenter(2, { viewportWidth: 1000, colPx: 10, leftPx: 20 }), 0);
  });

  it('the viewport store tells subscribers only of real changes', () => {
    const store = createViewportStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.set({ from: 1, to: 10 });
    store.set({ from: 1, to: 10 });
    store.set({ from: 2, to: 11 });
    off();
    store.set({ from: 3, to: 12 });
    assert.equal(calls, 2);
    assert.deepEqual(store.get(), { from: 3, to: 12 });
  });
});
