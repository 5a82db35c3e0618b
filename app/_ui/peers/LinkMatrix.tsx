'use client';
// The link matrix: a row per node, a column per peer, each cell coloured by the row node's own
// report of that link (carrying traffic, blocked by a fault, silent, down, no link), connected
// ones shaded by RTT. Clicking a cell (or Enter on it) selects the link; the view shows its
// details from both ends. It leads the page above 8 nodes, where the graph is a hairball.
import { memo } from 'react';
import { BAD_RTT_MS, SLOW_RTT_MS } from './linkHealth.ts';
import { cellSize, labelEvery, type LinkMatrixModel, type MatrixCell } from './linkMatrix.ts';
import styles from './peers.module.css';

const LABEL_W = 70;
const LABEL_H = 58;
/** Room right of the last column for its slanted name. */
const PAD_R = 34;

export function cellClass(c: MatrixCell): string {
  return c.state === 'connected' ? styles[`connected-${c.tone ?? 'ok'}`] : styles[c.state];
}

function cellTitle(c: MatrixCell, name: (id: string) => string): string {
  const head = `${name(c.row)} → ${name(c.col)}: `;
  const rtt = c.rttMs !== null ? `, RTT ${c.rttMs < 10 ? c.rttMs.toFixed(1) : Math.round(c.rttMs)} ms` : '';
  const faults = c.faults.length > 0 && c.state !== 'blocked' ? `; chaos: ${c.faults.join(', ')}` : '';
  switch (c.state) {
    case 'connected':
      return `${head}carrying traffic${rtt}${faults}`;
    case 'blocked':
      return `${head}blocked by ${c.blockedBy.join(', ')}`;
    case 'silent':
      return `${head}connected but nothing heard for two keep-alive periods${faults}`;
    case 'down':
      return `${head}${c.fromRow?.state ?? 'down'}${faults}`;
    case 'none':
      return `${head}${name(c.row)} reports no link`;
  }
}

export const LinkMatrix = memo(function LinkMatrix({
  model,
  selected,
  onSelect,
  onNode,
}: {
  model: LinkMatrixModel;
  selected: { row: string; col: string } | null;
  onSelect: (cell: { row: string; col: string } | null) => void;
  /** A row's name clicked: show that node's links. */
  onNode?: (id: string) => void;
}) {
  const n = model.nodes.length;
  const size = cellSize(n);
  const every = labelEvery(n);
  const focusable = n <= 16;
  const names = new Map(model.nodes.map((x) => [x.id, x.name]));
  const name = (id: string) => names.get(id) ?? id;
  const width = LABEL_W + n * size + PAD_R;
  const height = LABEL_H + n * size;
  const fontSize = size >= 14 ? 11 : 9;
  const on = (id: string) => selected !== null && (selected.row === id || selected.col === id);
  // The selected row's and column's names are always written; thinned-out neighbours closer than
  // `every` give way to them, so two names never overlap.
  const selectedAt = model.nodes.map((x, i) => (on(x.id) ? i : -1)).filter((i) => i >= 0);
  const labelled = (i: number) => on(model.nodes[i].id) || (i % every === 0 && selectedAt.every((j) => Math.abs(j - i) >= every));
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className={styles.matrix}
      data-testid="link-matrix"
      data-nodes={n}
      role="group"
      aria-label={`Link matrix of ${n} nodes: rows report their link to each column`}
    >
      {model.nodes.map((node, i) =>
        labelled(i) ? (
          <g key={node.id}>
            <text
              x={LABEL_W - 6}
              y={LABEL_H + i * size + size / 2 + fontSize / 3}
              textAnchor="end"
              fontSize={fontSize}
              className={`${styles.axisLabel} ${styles.rowLabel}${on(node.id) ? ` ${styles.axisLabelOn}` : ''}`}
              data-testid="matrix-row-label"
              role="link"
              tabIndex={focusable ? 0 : undefined}
              onClick={() => onNode?.(node.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onNode?.(node.id);
              }}
            >
              <title>{`${node.name}: show its links below`}</title>
              {node.name}
            </text>
            <text
              transform={`translate(${LABEL_W + i * size + size / 2 + fontSize / 3}, ${LABEL_H - 6}) rotate(-60)`}
              fontSize={fontSize}
              className={`${styles.axisLabel}${on(node.id) ? ` ${styles.axisLabelOn}` : ''}`}
            >
              {node.name}
            </text>
          </g>
        ) : null,
      )}
      {model.rows.map((row, r) =>
        row.cells.map((c, k) => {
          const x = LABEL_W + k * size;
          const y = LABEL_H + r * size;
          if (!c) return <rect key={`d${r}`} x={x} y={y} width={size} height={size} className={styles.diagonal} />;
          const isSel = selected?.row === c.row && selected.col === c.col;
          const pick = () => onSelect(isSel ? null : { row: c.row, col: c.col });
          return (
            <rect
              key={`${r}-${k}`}
              x={x}
              y={y}
              width={size}
              height={size}
              className={`${styles.cell} ${cellClass(c)}${isSel ? ` ${styles.cellSelected}` : ''}`}
              data-testid="matrix-cell"
              data-row={name(c.row)}
              data-col={name(c.col)}
              data-state={c.state}
              role="button"
              tabIndex={focusable ? 0 : undefined}
              aria-pressed={isSel}
              aria-label={cellTitle(c, name)}
              onClick={pick}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  pick();
                }
              }}
            >
              <title>{cellTitle(c, name)}</title>
            </rect>
          );
        }),
      )}
    </svg>
  );
});

function Swatch({ className }: { className: string }) {
  return (
    <svg className={styles.swatch} width={12} height={12} aria-hidden="true">
      <rect width={12} height={12} rx={2} className={className} />
    </svg>
  );
}

export function MatrixLegend() {
  return (
    <ul className={styles.matrixLegend}>
      <li>
        <Swatch className={styles['connected-ok']} />
        carrying traffic, RTT under {SLOW_RTT_MS} ms
      </li>
      <li>
        <Swatch className={styles['connected-slow']} />
        carrying, RTT {SLOW_RTT_MS}–{BAD_RTT_MS} ms
      </li>
      <li>
        <Swatch className={styles['connected-bad']} />
        carrying, RTT over {BAD_RTT_MS} ms
      </li>
      <li>
        <Swatch className={styles.blocked} />
        blocked by a chaos fault (partition, 100% loss)
      </li>
      <li>
        <Swatch className={styles.silent} />
        up, but nothing heard for two keep-alive periods
      </li>
      <li>
        <Swatch className={styles.down} />
        down: reconnecting, backing off or banned
      </li>
      <li>
        <Swatch className={styles.none} />
        no link reported
      </li>
    </ul>
  );
}
