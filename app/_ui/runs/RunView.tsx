'use client';
// /runs/[id]: one recorded run. What it was (name, engine, seed, who ran it), its verdict, a
// timeline of every node's height with the faults shaded, each fault with its recovery and a
// link to the fork view at that moment, the alerts raised, the schedule as resolved, and an
// Export link that downloads the run as one file another instance can import.
import Link from 'next/link';
import { useMemo } from 'react';
import type { RunDetail } from '../../../wire/run-api.ts';
import { dateTime, duration } from '../../_lib/format.ts';
import { actorLabel, describeAction, nameOf, type Names } from '../chaos/chaosModel.ts';
import type { ChaosKind } from '../../../wire/chaos-api.ts';
import type { AlertRecord } from '../../../wire/explorer-api.ts';
import { severityClass } from '../network/ActiveAlerts.tsx';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { RunChart } from './RunChart.tsx';
import { offset, RunFaults } from './RunFaults.tsx';
import { exportFileName, faultLabel, runDurationMs } from './runModel.ts';
import { useRunNames } from './useRunNames.ts';
import { runStats } from './runStats.ts';
import { RunStatsList } from './RunStatsList.tsx';
import { exportUrl, useRun } from './useRuns.ts';
import { VerdictPanel } from './VerdictPanel.tsx';
import styles from './runs.module.css';

function RunHeader({ run }: { run: RunDetail }) {
  const now = useNow();
  return (
    <>
      <div className={styles.titleRow}>
        <h1 data-testid="run-name">{run.name}</h1>
        <span className="badge">{run.engine.toUpperCase()}</span>
        <span className="muted">
          {run.kind} #{run.id}
        </span>
        <a className={`button ${styles.exportLink}`} href={exportUrl(run.id)} download={exportFileName(run)} data-testid="export-link">
          Export run file
        </a>
      </div>
      {run.description && <p className="lede">{run.description}</p>}
      <dl className="fields" data-testid="run-fields">
        <dt>Engine</dt>
        <dd data-testid="run-engine">{run.engine === 'bft' ? 'BFT (votes, instant finality)' : 'PoA (round-robin proposers, longest chain)'}</dd>
        <dt>Nodes</dt>
        <dd>{run.nodes}</dd>
        <dt>Seed</dt>
        <dd className="mono">{run.seed ?? '— (a scenario has none)'}</dd>
        <dt>Started</dt>
        <dd>{dateTime(run.startedAt)}</dd>
        <dt>Length</dt>
        <dd>
          {duration(runDurationMs(run, now))}
          {run.status === 'running' ? ' so far' : ''}
        </dd>
        <dt>Status</dt>
        <dd data-testid="run-status">
          {run.status}
          {run.history?.cutShort ? ' (cut short before its schedule ended)' : ''}
        </dd>
        <dt>Run by</dt>
        <dd>{actorLabel(run.actor)}</dd>
        <dt>Imported</dt>
        <dd data-testid="run-imported">{run.importedAt === null ? 'no: recorded on this instance' : `${dateTime(run.importedAt)}, from a run file`}</dd>
      </dl>
    </>
  );
}

/** How an alert ended: one-off events (a reorg) do not clear; conditions (a divergence) do, or last past the run. */
function alertEnd(a: AlertRecord, start: number): string {
  if (a.details.event === true) return '(a one-off event)';
  return a.clearedAt === null ? '(still raised when the run ended)' : `(cleared ${offset(a.clearedAt, start)})`;
}

function Alerts({ run }: { run: RunDetail }) {
  const start = run.history?.startedAt ?? run.startedAt;
  if (run.alerts.length === 0) return <p className="state">The monitor raised no alerts during this run.</p>;
  const sorted = [...run.alerts].sort((a, b) => a.raisedAt - b.raisedAt);
  return (
    <ul className="alert-list" data-testid="run-alerts">
      {sorted.map((a) => (
        <li key={a.id} data-testid="run-alert">
          <span className={`badge ${severityClass[a.severity]}`}>{a.severity}</span> <span className="muted small">{offset(a.raisedAt, start)}</span> {a.message}{' '}
          <span className="muted small">{alertEnd(a, start)}</span>
        </li>
      ))}
    </ul>
  );
}

function Schedule({ run, names }: { run: RunDetail; names: Names }) {
  if (run.schedule.length === 0) return <p className="state">No schedule steps.</p>;
  return (
    <ol className="alert-list" data-testid="run-schedule">
      {run.schedule.map((s, i) => {
        const { kind, ...params } = s.action;
        // A kind this version does not know is described by its parameters (describeAction's default).
        const words = describeAction(kind as ChaosKind, params, names);
        return (
          <li key={i} data-testid="schedule-step">
            <span className="muted small">+{s.at} s</span> <strong>{faultLabel(kind)}</strong>: {words}
          </li>
        );
      })}
    </ol>
  );
}

export function RunBody({ run }: { run: RunDetail }) {
  const names = useRunNames(run);
  const stats = useMemo(() => (run.history ? runStats(run.history) : null), [run.history]);
  return (
    <>
      <RunHeader run={run} />
      <h2>Verdict</h2>
      <VerdictPanel run={run} />
      <h2>Timeline</h2>
      {run.history ? (
        <>
          <p className="muted small">
            Each line is one node&apos;s head height over the run. A shaded band is a fault in force; flat lines mean no new blocks. Two branches at the same height draw as one
            line, so the strip above the plot marks when the heads were on different branches. Hover a band, strip or ring for details.
          </p>
          <RunChart history={run.history} names={names} stats={stats} recoveries={run.verdict?.recoveries} />
        </>
      ) : (
        <p className="state">No head history was recorded for this run.</p>
      )}
      {stats && (
        <>
          <h2>What the chain did</h2>
          <RunStatsList stats={stats} />
        </>
      )}
      <h2>Faults and recovery</h2>
      {run.importedAt !== null && (
        <p className="muted small" data-testid="imported-note">
          This run was imported: its blocks are in the index of the instance that ran it, not here, so the fork view cannot show them.
        </p>
      )}
      <RunFaults run={run} names={names} />
      <h2>Alerts</h2>
      <Alerts run={run} />
      <h2>Schedule</h2>
      <Schedule run={run} names={names} />
      {run.history && (
        <p className="muted small">
          Nodes: {run.history.nodes.map((id) => `${nameOf(names, id)} (${id})`).join(', ')} · recovery bound {run.history.recoveryBoundSec} s
        </p>
      )}
      <p>
        <Link href="/runs">← All runs</Link>
      </p>
    </>
  );
}

export function RunView({ id }: { id: number }) {
  const run = useRun(id);
  if (run.isPending) return <Loading what={`run #${id}`} />;
  if (run.error && !run.data) return <ErrorState error={run.error} what={`run #${id}`} />;
  return <RunBody run={run.data.run} />;
}
