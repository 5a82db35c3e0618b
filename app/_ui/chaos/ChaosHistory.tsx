'use client';
// Every recorded chaos action, newest first: who did what to which nodes, the result on each
// node, and when it was reverted.
import { useId, useMemo } from 'react';
import type { ChaosRecord } from '../../../wire/chaos-api.ts';
import { clockTime, dateTime } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Empty } from '../common/QueryState.tsx';
import { KIND_LABELS, actorLabel, describeAction, nameOf, resultParts, type Names } from './chaosModel.ts';
import styles from './chaos.module.css';

const statusBadge: Record<string, string> = { applied: 'badge-ok', partial: 'badge-warn', failed: 'badge-bad', reverted: '', pending: '' };

function Result({ result }: { result: Record<string, string> | null }) {
  if (!result || Object.keys(result).length === 0) return <span className="muted">—</span>;
  const { ok, failed } = resultParts(result);
  return (
    <div className={styles.result}>
      {failed.map(([k, v]) => (
        <div key={k} className={styles.bad}>
          {k}: {v}
        </div>
      ))}
      {ok.length > 0 &&
        (ok.length <= 4 ? (
          <div>
            <span className={styles.good}>ok</span> <span className="muted">{ok.join(', ')}</span>
          </div>
        ) : (
          <details>
            <summary>
              <span className={styles.good}>ok</span> <span className="muted">({ok.length} steps)</span>
            </summary>
            <span className="muted">{ok.join(', ')}</span>
          </details>
        ))}
    </div>
  );
}

function historyColumns(names: Names, activeIds: ReadonlySet<number>): Column<ChaosRecord>[] {
  return [
    { key: 'id', header: '#', align: 'end', cell: (r) => r.id },
    { key: 'when', header: 'When', cellProps: (r) => ({ title: dateTime(r.at) }), cell: (r) => clockTime(r.at) },
    { key: 'who', header: 'Who', cell: (r) => actorLabel(r.actor) },
    { key: 'action', header: 'Action', className: 'strong', cell: (r) => KIND_LABELS[r.kind] ?? r.kind },
    { key: 'what', header: 'What', className: 'wrap', cell: (r) => describeAction(r.kind, r.params, names) },
    {
      key: 'targets',
      header: 'Targets',
      className: 'wrap',
      cell: (r) => (r.targets.length ? r.targets.map((t) => nameOf(names, t)).join(', ') : <span className="muted">—</span>),
    },
    { key: 'result', header: 'Result per node', className: 'wrap', cell: (r) => <Result result={r.result} /> },
    {
      key: 'status',
      header: 'Status',
      cell: (r) => (
        <>
          <span className={`badge ${statusBadge[r.status] ?? ''}`}>{r.status}</span>
          {activeIds.has(r.id) && <span className="badge badge-bad">in force</span>}
        </>
      ),
    },
    {
      key: 'reverted',
      header: 'Reverted',
      cellProps: (r) => ({ title: r.revertedAt ? dateTime(r.revertedAt) : undefined }),
      cell: (r) =>
        r.revertedAt ? (
          clockTime(r.revertedAt)
        ) : r.expiresAt && activeIds.has(r.id) ? (
          <span className="muted">due {clockTime(r.expiresAt)}</span>
        ) : (
          <span className="muted">—</span>
        ),
    },
  ];
}

const historyRowProps = (r: ChaosRecord) => ({ 'data-testid': 'history-row', 'data-kind': r.kind, 'data-status': r.status });

export function ChaosHistory({ history, names, activeIds }: { history: ChaosRecord[]; names: Names; activeIds: ReadonlySet<number> }) {
  const id = useId();
  const columns = useMemo(() => historyColumns(names, activeIds), [names, activeIds]);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>History {history.length > 0 && <span className="muted small">(newest first, last {history.length})</span>}</h2>
      <DataTable
        columns={columns}
        rows={history}
        rowKey={(r) => r.id}
        rowProps={historyRowProps}
        className={styles.history}
        testId="chaos-history"
        empty={
          <Empty>
            No chaos actions yet. Every action, from this page or from a script (POST /api/chaos with the token), is recorded here with who did it, to which nodes, and the result
            on each node.
          </Empty>
        }
      />
    </section>
  );
}
