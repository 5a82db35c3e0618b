'use client';
// Every recorded chaos action, newest first: who did what to which nodes, the result on each
// node, and when it was reverted.
import { useId } from 'react';
import type { ChaosRecord } from '../../../wire/chaos-api.ts';
import { clockTime, dateTime } from '../../_lib/format.ts';
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

export function ChaosHistory({ history, names, activeIds }: { history: ChaosRecord[]; names: Names; activeIds: ReadonlySet<number> }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        History {history.length > 0 && <span className="muted small">(newest first, last {history.length})</span>}
      </h2>
      {history.length === 0 ? (
        <Empty>No chaos actions yet. Every action, from this page or from a script (POST /api/chaos with the token), is recorded here with who did it, to which nodes, and the result on each node.</Empty>
      ) : (
        <div className="table-scroll">
          <table className={`table ${styles.history}`} data-testid="chaos-history">
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">What</th>
                <th scope="col">Targets</th>
                <th scope="col">Result per node</th>
                <th scope="col">Status</th>
                <th scope="col">Reverted</th>
              </tr>
            </thead>
            <tbody>
              {history.map((r) => (
                <tr key={r.id} data-testid="history-row" data-kind={r.kind} data-status={r.status}>
                  <td className="num">{r.id}</td>
                  <td title={dateTime(r.at)}>{clockTime(r.at)}</td>
                  <td>{actorLabel(r.actor)}</td>
                  <td className="strong">{KIND_LABELS[r.kind] ?? r.kind}</td>
                  <td className="wrap">{describeAction(r.kind, r.params, names)}</td>
                  <td className="wrap">{r.targets.length ? r.targets.map((t) => nameOf(names, t)).join(', ') : <span className="muted">—</span>}</td>
                  <td className="wrap">
                    <Result result={r.result} />
                  </td>
                  <td>
                    <span className={`badge ${statusBadge[r.status] ?? ''}`}>{r.status}</span>
                    {activeIds.has(r.id) && <span className="badge badge-bad">in force</span>}
                  </td>
                  <td title={r.revertedAt ? dateTime(r.revertedAt) : undefined}>
                    {r.revertedAt ? clockTime(r.revertedAt) : r.expiresAt && activeIds.has(r.id) ? <span className="muted">due {clockTime(r.expiresAt)}</span> : <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
