'use client';
// /runs: every recorded run (experiments, scenarios, chaos soaks), newest first, with engine,
// length, faults, verdict and recovery times; pick two to compare them side by side (the same
// schedule on PoA and on BFT), import a run file from another instance.
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { RunKindSchema, type RunKind, type RunSummary } from '../../../wire/run-api.ts';
import { dateTime, duration } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { actorLabel } from '../chaos/chaosModel.ts';
import { useHealth } from '../nodes/useNodes.ts';
import { ImportRun } from './ImportRun.tsx';
import { StartExperiment } from './StartExperiment.tsx';
import { runDurationMs, seconds } from './runModel.ts';
import { useRuns } from './useRuns.ts';
import { VerdictBadge } from './VerdictBadge.tsx';
import styles from './runs.module.css';

const KINDS = RunKindSchema.options;

function EmptyRuns() {
  return (
    <div className="state" data-testid="runs-empty">
      <p className={styles.emptyTitle}>No runs recorded yet.</p>
      <p>A run is a fault schedule played against a testnet and judged afterwards (did the nodes stay on one chain, did they recover, does the index match). To make one:</p>
      <ol className={styles.steps}>
        <li>
          Run an experiment on a fresh local testnet of its own: <code>npm run experiment -- experiments/split-brain.json --out run.json</code> (add <code>--engine bft</code> for
          the BFT engine).
        </li>
        <li>
          Import <code>run.json</code> here with <strong>Import a run file</strong> above (sign in first).
        </li>
      </ol>
      <p>
        Or start one on this instance with <strong>Start an experiment</strong> above (or a scenario on the <Link href="/chaos">Chaos page</Link>): it is recorded here as it runs,
        with no import.
      </p>
    </div>
  );
}

function recoveryCell(r: RunSummary): string {
  if (r.recoveryMedianSec === null || r.recoveryMaxSec === null) return '—';
  return `${seconds(r.recoveryMedianSec)} / ${seconds(r.recoveryMaxSec)}`;
}

export function RunsView() {
  const [kind, setKind] = useState<RunKind | undefined>(undefined);
  const [picked, setPicked] = useState<number[]>([]);
  const runs = useRuns(kind);
  const health = useHealth();
  const now = useNow();
  const list = useMemo(() => [...(runs.data?.runs ?? [])].sort((a, b) => b.startedAt - a.startedAt || b.id - a.id), [runs.data?.runs]);

  function toggle(id: number) {
    // Two at most: picking a third drops the oldest pick.
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  }

  const columns: Column<RunSummary>[] = [
    {
      key: 'pick',
      header: '',
      headerLabel: 'Pick to compare',
      cell: (r) => <input type="checkbox" checked={picked.includes(r.id)} onChange={() => toggle(r.id)} aria-label={`Compare ${r.name} (#${r.id})`} data-testid="run-pick" />,
    },
    {
      key: 'name',
      header: 'Run',
      className: 'wrap',
      cell: (r) => (
        <>
          <Link href={`/runs/${r.id}`} data-testid="run-link">
            {r.name}
          </Link>{' '}
          <span className="muted small">#{r.id}</span>
          {r.importedAt !== null && (
            <span className="badge small-badge" title={`Imported ${dateTime(r.importedAt)} from a run file`} data-testid="imported-marker">
              imported
            </span>
          )}
        </>
      ),
    },
    { key: 'kind', header: 'Kind', cell: (r) => r.kind },
    { key: 'engine', header: 'Engine', cell: (r) => r.engine.toUpperCase(), cellProps: () => ({ 'data-testid': 'run-engine' }) },
    { key: 'nodes', header: 'Nodes', align: 'end', cell: (r) => r.nodes },
    { key: 'started', header: 'Started', cell: (r) => dateTime(r.startedAt) },
    { key: 'duration', header: 'Length', align: 'end', cell: (r) => (r.status === 'running' ? `${duration(runDurationMs(r, now))} so far` : duration(runDurationMs(r, now))) },
    { key: 'faults', header: 'Faults', align: 'end', cell: (r) => r.faults },
    { key: 'verdict', header: 'Verdict', cell: (r) => <VerdictBadge run={r} /> },
    {
      key: 'recovery',
      header: 'Recovery median / max',
      align: 'end',
      cell: recoveryCell,
      cellProps: () => ({ title: 'Time from each heal until every node was past the highest height any node had at the heal (and, on PoA, on one chain again)' }),
    },
    { key: 'actor', header: 'By', className: 'muted', cell: (r) => actorLabel(r.actor) },
  ];

  const [a, b] = picked;
  let body;
  if (runs.isPending) body = <Loading what="runs" />;
  else if (runs.error && !runs.data) body = <ErrorState error={runs.error} what="the runs" />;
  else
    body = (
      <DataTable
        rows={list}
        rowKey={(r) => r.id}
        columns={columns}
        testId="runs-table"
        rowProps={(r) => ({ 'data-testid': 'run-row', 'data-run-id': r.id, 'data-engine': r.engine })}
        empty={kind ? <div className="state">No {kind} runs. Choose another kind above.</div> : <EmptyRuns />}
      />
    );

  return (
    <>
      <h1>Runs</h1>
      <p className="lede">
        Every experiment, scenario and chaos soak, kept with its fault schedule, each node&apos;s head history and a verdict: <strong>valid</strong> (the nodes stayed safe,
        recovered after every heal and the index matches their chains), <strong>invalid</strong> (one of those failed) or <strong>unknown</strong> (it could not be judged, e.g. the
        run was cut short).
      </p>
      <StartExperiment engine={health.data?.network.engine} />
      <ImportRun />
      <div className={styles.listHead}>
        <label>
          Kind{' '}
          <select value={kind ?? ''} onChange={(e) => setKind(e.target.value === '' ? undefined : (e.target.value as RunKind))} data-testid="kind-filter">
            <option value="">all</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small">{picked.length === 2 ? 'Two runs picked.' : 'Tick two runs to compare them side by side.'}</span>
        {a !== undefined && b !== undefined ? (
          <Link className="button button-primary" href={`/runs/compare?a=${a}&b=${b}`} data-testid="compare-link">
            Compare
          </Link>
        ) : (
          <button type="button" className="button" disabled>
            Compare
          </button>
        )}
      </div>
      {body}
    </>
  );
}
