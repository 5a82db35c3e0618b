import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { DataTable, type Column } from './DataTable.tsx';

interface Row {
  id: string;
  n: number;
}

const columns: Column<Row>[] = [
  { key: 'id', header: 'Name', className: 'strong', cellProps: (r) => ({ title: `row ${r.id}` }), cell: (r) => r.id },
  { key: 'n', header: 'Count', align: 'end', className: (r) => (r.n > 1 ? 'text-bad' : undefined), cell: (r) => r.n },
  { key: 'arrow', header: null, headerLabel: 'became', cellProps: () => ({ 'aria-hidden': 'true' }), cell: () => '→' },
];

test('columns give the headers, number alignment, cell classes and attributes; rows their data-* attributes', () => {
  const html = renderToStaticMarkup(
    createElement(DataTable<Row>, {
      columns,
      rows: [
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
      ],
      rowKey: (r) => r.id,
      rowProps: (r) => ({ 'data-testid': 'x-row', 'data-n': r.n }),
      testId: 'x-table',
      className: 'extra',
    }),
  );
  assert.equal(
    html,
    '<div class="table-scroll"><table class="table extra" data-testid="x-table"><thead><tr>' +
      '<th scope="col">Name</th><th scope="col" class="num">Count</th><th scope="col" aria-label="became"></th></tr></thead><tbody>' +
      '<tr data-testid="x-row" data-n="1"><td title="row a" class="strong">a</td><td class="num">1</td><td aria-hidden="true">→</td></tr>' +
      '<tr data-testid="x-row" data-n="2"><td title="row b" class="strong">b</td><td class="num text-bad">2</td><td aria-hidden="true">→</td></tr>' +
      '</tbody></table></div>',
  );
});

test('with no rows the empty state replaces the table, and without one an empty table is drawn', () => {
  const empty = createElement('p', null, 'nothing yet');
  assert.equal(renderToStaticMarkup(createElement(DataTable<Row>, { columns, rows: [], rowKey: (r) => r.id, empty })), '<p>nothing yet</p>');
  assert.match(
    renderToStaticMarkup(createElement(DataTable<Row>, { columns, rows: [], rowKey: (r) => r.id, scroll: false })),
    /^<table class="table"><thead>.*<tbody><\/tbody><\/table>$/,
  );
});

test('self-rendered rows keep the column headers', () => {
  const html = renderToStaticMarkup(
    createElement(DataTable<Row>, {
      columns,
      rows: [{ id: 'a', n: 1 }],
      rowKey: (r) => r.id,
      renderRow: (r) => createElement('tr', null, createElement('td', { colSpan: 3 }, r.id)),
    }),
  );
  assert.match(html, /<th scope="col">Name<\/th>.*<tbody><tr><td colSpan="3">a<\/td><\/tr><\/tbody>/);
});
