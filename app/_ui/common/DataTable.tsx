'use client';
// The one table scaffolding every list in the explorer shares: the scroll box, the `table`
// class, column headers, right-aligned numeric columns, a key per row and the empty state.
// Each table declares its columns (header + how a row fills the cell) and keeps its own look
// through class names and data-* attributes on rows and cells (the browser tests select on them).
import { Fragment, memo, type HTMLAttributes, type Key, type ReactNode, type TdHTMLAttributes } from 'react';

/** data-* attributes (data-testid, data-height, …): React writes them as given, skips undefined. */
export type DataAttributes = { [name: `data-${string}`]: string | number | boolean | undefined };

export type RowAttributes = HTMLAttributes<HTMLTableRowElement> & DataAttributes;
export type CellAttributes = TdHTMLAttributes<HTMLTableCellElement> & DataAttributes;

/** A column's header: what the `<th>` shows. */
export interface ColumnHeader {
  key: string;
  header: ReactNode;
  /** Accessible name of a header that shows no text. */
  headerLabel?: string;
  /** 'end': a number column, right-aligned with tabular figures (the `num` class), header included. */
  align?: 'end';
}

/** A column: its header and how one row fills its cell. */
export interface Column<Row> extends ColumnHeader {
  cell: (row: Row) => ReactNode;
  /** Extra classes of the cell (muted, wrap, strong, …), fixed or per row. */
  className?: string | ((row: Row) => string | undefined);
  /** Other attributes of the cell: title, data-testid, aria-hidden, … */
  cellProps?: (row: Row) => CellAttributes;
}

interface CommonProps<Row> {
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => Key;
  testId?: string;
  /** Classes beside `table` (a CSS module's table style). */
  className?: string;
  /** Wrapped in a horizontally scrolling box (default), or the bare table. */
  scroll?: boolean;
  /** Shown instead of the table when there are no rows; without it an empty table is drawn. */
  empty?: ReactNode;
}

interface ColumnRows<Row> extends CommonProps<Row> {
  columns: readonly Column<Row>[];
  rowProps?: (row: Row) => RowAttributes;
  renderRow?: never;
}

/** Rows that hold their own state (a form per row) render themselves; the columns give the headers. */
interface OwnRows<Row> extends CommonProps<Row> {
  columns: readonly ColumnHeader[];
  renderRow: (row: Row) => ReactNode;
  rowProps?: never;
}

export type DataTableProps<Row> = ColumnRows<Row> | OwnRows<Row>;

function joinClasses(...names: Array<string | undefined | false>): string | undefined {
  const joined = names.filter(Boolean).join(' ');
  return joined || undefined;
}

function HeaderCell({ column }: { column: ColumnHeader }) {
  return (
    <th scope="col" className={column.align === 'end' ? 'num' : undefined} aria-label={column.headerLabel}>
      {column.header}
    </th>
  );
}

// Memoised: a row re-renders only when its data or the columns (what its cells depend on) change.
const DataRow = memo(function DataRow<Row>({ row, columns, rowProps }: { row: Row; columns: readonly Column<Row>[]; rowProps?: (row: Row) => RowAttributes }) {
  return (
    <tr {...rowProps?.(row)}>
      {columns.map((c) => (
        <td key={c.key} {...c.cellProps?.(row)} className={joinClasses(c.align === 'end' && 'num', typeof c.className === 'function' ? c.className(row) : c.className)}>
          {c.cell(row)}
        </td>
      ))}
    </tr>
  );
}) as <Row>(props: { row: Row; columns: readonly Column<Row>[]; rowProps?: (row: Row) => RowAttributes }) => ReactNode;

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { rows, rowKey, testId, className, scroll = true, empty, columns } = props;
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const table = (
    <table className={joinClasses('table', className)} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <HeaderCell key={c.key} column={c} />
          ))}
        </tr>
      </thead>
      <tbody>
        {props.renderRow
          ? rows.map((row, i) => <Fragment key={rowKey(row, i)}>{props.renderRow!(row)}</Fragment>)
          : rows.map((row, i) => <DataRow key={rowKey(row, i)} row={row} columns={props.columns} rowProps={props.rowProps} />)}
      </tbody>
    </table>
  );
  return scroll ? <div className="table-scroll">{table}</div> : table;
}
