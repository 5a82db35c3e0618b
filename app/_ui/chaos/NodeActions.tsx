'use client';
// Per-node faults: pause / resume, clock offset, kill, restart; and one more node.
import Link from 'next/link';
import { useId, useMemo, useState } from 'react';
import type { ChaosRecord } from '../../../wire/chaos-api.ts';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { DataTable, type ColumnHeader } from '../common/DataTable.tsx';
import { statusClass } from '../nodes/NodeTable.tsx';
import { useActionForm } from './ChaosActions.tsx';
import { DurationField, OutcomeLine } from './Fields.tsx';
import { errorFor, numberOrUndefined } from './chaosModel.ts';
import styles from './chaos.module.css';

// Each row holds its own form state (clock offset, outcome), so rows render themselves.
const nodeActionColumns: ColumnHeader[] = [
  { key: 'node', header: 'Node' },
  { key: 'status', header: 'Status' },
  { key: 'height', header: 'Height', align: 'end' },
  { key: 'pause', header: 'Pause' },
  { key: 'clock', header: 'Clock offset' },
  { key: 'process', header: 'Process' },
];

export function NodeActions({ nodes, active }: { nodes: NodeStatus[]; active: ChaosRecord[] }) {
  const id = useId();
  const [duration, setDuration] = useState('');
  const sorted = useMemo(() => [...nodes].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [nodes]);
  const durationSec = numberOrUndefined(duration);
  const durationError =
    durationSec !== undefined && !(Number.isInteger(durationSec) && durationSec >= 1 && durationSec <= 86_400) ? 'a whole number of seconds, 1 to 86400' : undefined;

  return (
    <section className={`panel ${styles.card}`} aria-labelledby={`${id}-title`} data-testid="node-actions">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Node actions
      </h2>
      <p className={styles.panelNote}>
        Pause stops a node producing and processing blocks; a clock offset shifts the time it believes it is (negative: behind). Kill and restart act on the process (local testnet
        only).
      </p>
      <div className={styles.formRow}>
        <DurationField label="Revert pause / clock offset after (seconds)" value={duration} onChange={setDuration} error={durationError} />
      </div>
      <DataTable
        columns={nodeActionColumns}
        rows={sorted}
        rowKey={(n) => n.id}
        renderRow={(n) => <NodeRow node={n} active={active} durationSec={durationError ? undefined : durationSec} />}
        className={styles.nodeTable}
        empty={<p className="muted">No nodes known yet.</p>}
      />
      <AddNode />
    </section>
  );
}

function NodeRow({ node, active, durationSec }: { node: NodeStatus; active: ChaosRecord[]; durationSec: number | undefined }) {
  const { names, outcome, errors, busy, run } = useActionForm();
  const [offset, setOffset] = useState('');
  // `targets` holds the nodes a fault hit, whether it named the node or a selection picked it.
  const paused = active.some((r) => r.kind === 'pause' && r.targets.includes(node.id));
  const skew = active.find((r) => r.kind === 'clock-skew' && r.targets.includes(node.id));
  const dur = durationSec !== undefined ? { durationSec } : {};
  const durText = durationSec !== undefined ? ` for ${durationSec} s` : ' until you resume it';
  const offsetError = errorFor(errors, 'offsetMs');

  const pause = () =>
    run(
      { kind: 'pause', node: node.id, ...dur },
      {
        title: `Pause ${node.name}?`,
        confirmLabel: 'Pause',
        body: (
          <p>
            {node.name} stops producing and processing blocks{durText}. The other nodes go on without it.
          </p>
        ),
      },
    );
  const skewClock = () => {
    const offsetMs = numberOrUndefined(offset);
    return run(
      { kind: 'clock-skew', node: node.id, offsetMs, ...dur },
      {
        title: `Shift ${node.name}'s clock?`,
        confirmLabel: 'Shift clock',
        body: (
          <p>
            {node.name}&apos;s clock moves by {offsetMs !== undefined && offsetMs >= 0 ? '+' : ''}
            {offsetMs} ms{durationSec !== undefined ? ` for ${durationSec} s` : ' until healed'}. It then proposes in the wrong slots and stamps blocks with skewed times; blocks
            too far in the future are rejected by the others.
          </p>
        ),
      },
    );
  };
  const kill = () =>
    run(
      { kind: 'kill', node: node.id },
      { title: `Kill ${node.name}?`, confirmLabel: 'Kill', body: <p>The node process gets SIGKILL and stays down until you restart it. Its chain on disk is kept.</p> },
    );
  const restart = () =>
    run(
      { kind: 'restart', node: node.id },
      { title: `Restart ${node.name}?`, confirmLabel: 'Restart', body: <p>The node process is stopped and started again; it resumes from its chain on disk and catches up.</p> },
    );

  return (
    <>
      <tr data-testid="node-action-row" data-node={node.name}>
        <td>
          <Link href={`/nodes/${encodeURIComponent(node.id)}`} className="strong">
            {node.name}
          </Link>
        </td>
        <td>
          <span className={`badge ${statusClass[node.status]}`} title={node.statusReason ?? undefined}>
            {node.status}
          </span>
          {paused && <span className="badge badge-warn">paused</span>}
          {skew && (
            <span className="badge badge-warn">
              clock {Number(skew.params.offsetMs) >= 0 ? '+' : ''}
              {String(skew.params.offsetMs)} ms
            </span>
          )}
        </td>
        <td className="num">{node.height ?? '—'}</td>
        <td>
          <span className="button-group">
            <button type="button" className="button" onClick={() => void pause()} aria-disabled={busy || undefined}>
              Pause…
            </button>
            <button type="button" className="button" onClick={() => void run({ kind: 'resume', node: node.id })} aria-disabled={busy || undefined}>
              Resume
            </button>
          </span>
        </td>
        <td>
          <form
            className={styles.inline}
            onSubmit={(e) => {
              e.preventDefault();
              void skewClock();
            }}
          >
            <input
              type="number"
              step={1}
              min={-3_600_000}
              max={3_600_000}
              value={offset}
              onChange={(e) => setOffset(e.target.value)}
              placeholder="± ms"
              aria-label={`Clock offset of ${node.name} in milliseconds (negative: behind)`}
              aria-invalid={offsetError ? true : undefined}
            />
            <button type="submit" className="button" aria-disabled={busy || undefined}>
              Shift…
            </button>
          </form>
          {offsetError && <span className={styles.fieldError}>{offsetError}</span>}
        </td>
        <td>
          <span className="button-group">
            <button type="button" className={`button ${styles.dangerQuiet}`} onClick={() => void kill()} aria-disabled={busy || undefined}>
              Kill…
            </button>
            <button type="button" className="button" onClick={() => void restart()} aria-disabled={busy || undefined}>
              Restart…
            </button>
          </span>
        </td>
      </tr>
      {outcome.kind !== 'idle' && (
        <tr className={styles.outcomeRow}>
          <td colSpan={nodeActionColumns.length}>
            <OutcomeLine outcome={outcome} names={names} />
          </td>
        </tr>
      )}
    </>
  );
}

function AddNode() {
  const { names, outcome, busy, run } = useActionForm();
  return (
    <div className={styles.formRow}>
      <button type="button" className="button" onClick={() => void run({ kind: 'add-node' })} aria-disabled={busy || undefined} data-testid="add-node">
        + Add node
      </button>
      <span className="muted small">Starts one more node of the local testnet (not a validator: it follows the chain).</span>
      <OutcomeLine outcome={outcome} names={names} />
    </div>
  );
}
