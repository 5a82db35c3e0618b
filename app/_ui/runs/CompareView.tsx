'use client';
// /runs/compare?a=ID&b=ID: two runs side by side, typically the same schedule on PoA and on
// BFT. Verdicts, what each engine did under the same faults (forks and reorgs against stalls,
// from runStats.ts), recovery after each fault paired by its place in the schedule, and both
// timelines drawn on one time axis (seconds since each run started).
import Link from 'next/link';
import { useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'next/navigation';
import type { RunDetail } from '../../../wire/run-api.ts';
import { duration } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { RunChart } from './RunChart.tsx';
import { describeFault, faultLabel, pairFaults, recoveryOf, recoveryText, runDurationMs, sameSchedule, seconds, validityText, type FaultPair } from './runModel.ts';
import { runStats, type RunStats } from './runStats.ts';
import { forkText, reorgText, stallText } from './RunStatsList.tsx';
import { useRun } from './useRuns.ts';
import { useRunNames } from './useRunNames.ts';
import { VerdictBadge } from './VerdictBadge.tsx';
import styles from './runs.module.css';

function runId(v: string | null): number | null {
  return v !== null && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null;
}

interface Side {
  run: RunDetail;
  stats: RunStats | null;
}

interface Row {
  key: string;
  label: ReactNode;
  cell: (s: Side) => ReactNode;
}

const ROWS: Row[] = [
  { key: 'run', label: 'Run', cell: (s) => <Link href={`/runs/${s.run.id}`}>{`${s.run.name} #${s.run.id}`}</Link> },
  { key: 'engine', label: 'Engine', cell: (s) => s.run.engine.toUpperCase() },
  { key: 'nodes', label: 'Nodes · seed', cell: (s) => `${s.run.nodes} · ${s.run.seed ?? '—'}` },
  { key: 'length', label: 'Length', cell: (s) => duration(runDurationMs(s.run, s.run.endedAt ?? s.run.startedAt)) },
  { key: 'verdict', label: 'Verdict', cell: (s) => <VerdictBadge run={s.run} /> },
  {
    key: 'checks',
    label: 'Safety · liveness · integrity',
    cell: (s) => (s.run.verdict ? [s.run.verdict.safety, s.run.verdict.liveness, s.run.verdict.integrity].map((c) => validityText(c.valid)).join(' · ') : '—'),
  },
  { key: 'forks', label: 'Forks (most branches at once)', cell: (s) => (s.stats ? forkText(s.stats) : '—') },
  { key: 'reorgs', label: 'Reorgs (count, deepest)', cell: (s) => (s.stats ? reorgText(s.stats) : '—') },
  { key: 'stall', label: 'Longest stall', cell: (s) => (s.stats ? stallText(s.stats) : '—') },
  {
    key: 'recovery',
    label: 'Recovery median / max',
    cell: (s) => (s.run.recoveryMedianSec === null || s.run.recoveryMaxSec === null ? '—' : `${seconds(s.run.recoveryMedianSec)} / ${seconds(s.run.recoveryMaxSec)}`),
  },
];

function SummaryTable({ a, b }: { a: Side; b: Side }) {
  const columns: Column<Row>[] = [
    { key: 'what', header: '', headerLabel: 'Measure', className: 'strong', cell: (r) => r.label },
    { key: 'a', header: `A · ${a.run.engine.toUpperCase()}`, className: 'wrap', cell: (r) => r.cell(a), cellProps: (r) => ({ 'data-testid': `cmp-a-${r.key}` }) },
    { key: 'b', header: `B · ${b.run.engine.toUpperCase()}`, className: 'wrap', cell: (r) => r.cell(b), cellProps: (r) => ({ 'data-testid': `cmp-b-${r.key}` }) },
  ];
  return <DataTable rows={ROWS} rowKey={(r) => r.key} columns={columns} testId="compare-summary" />;
}

function RecoveryPairs({ a, b, namesA }: { a: RunDetail; b: RunDetail; namesA: ReadonlyMap<string, string> }) {
  const pairs = pairFaults(a, b);
  const rec = (run: RunDetail, f: FaultPair['a']) => (f ? recoveryText(recoveryOf(f, run.verdict?.recoveries)) : '— (no such fault)');
  const columns: Column<FaultPair>[] = [
    { key: 'n', header: '#', align: 'end', cell: (p) => p.position },
    {
      key: 'fault',
      header: 'Fault (as in A)',
      className: 'wrap',
      cell: (p) => (p.a ? `${faultLabel(p.a.kind)}: ${describeFault(p.a, namesA)}` : p.b ? faultLabel(p.b.kind) : '—'),
    },
    { key: 'a', header: `Recovery A · ${a.engine.toUpperCase()}`, className: 'wrap', cell: (p) => rec(a, p.a), cellProps: () => ({ 'data-testid': 'pair-a' }) },
    { key: 'b', header: `Recovery B · ${b.engine.toUpperCase()}`, className: 'wrap', cell: (p) => rec(b, p.b), cellProps: () => ({ 'data-testid': 'pair-b' }) },
  ];
  return (
    <DataTable
      rows={pairs}
      rowKey={(p) => p.position}
      columns={columns}
      testId="compare-recoveries"
      rowProps={() => ({ 'data-testid': 'pair-row' })}
      empty={<Empty>Neither run applied a fault.</Empty>}
    />
  );
}

function Compared({ a, b }: { a: RunDetail; b: RunDetail }) {
  const namesA = useRunNames(a);
  const namesB = useRunNames(b);
  const statsA = useMemo(() => (a.history ? runStats(a.history) : null), [a.history]);
  const statsB = useMemo(() => (b.history ? runStats(b.history) : null), [b.history]);
  const axisMs = Math.max(a.history ? a.history.endedAt - a.history.startedAt : 0, b.history ? b.history.endedAt - b.history.startedAt : 0);
  const same = sameSchedule(a, b);
  // One height axis too: how far each engine got in the same time is part of the comparison.
  const heightMax = [a, b].reduce((m, r) => (r.history ? r.history.heads.reduce((hm, h) => Math.max(hm, h.height), m) : m), 0);
  return (
    <>
      <h1>
        Compare runs #{a.id} and #{b.id}
      </h1>
      <p className={`${styles.scheduleNote} ${same ? 'muted' : 'state-error'}`} data-testid="schedule-match">
        {same
          ? `Same schedule (${a.schedule.length} step${a.schedule.length === 1 ? '' : 's'} at the same times)${a.seed === b.seed ? `, same seed ${a.seed ?? '—'}` : `, different seeds (${a.seed ?? '—'} and ${b.seed ?? '—'})`}: differences below come from the engines.`
          : 'These runs ran different schedules: faults are paired by their order, so compare with care.'}
      </p>
      <SummaryTable a={{ run: a, stats: statsA }} b={{ run: b, stats: statsB }} />
      <h2>Recovery after each fault</h2>
      <RecoveryPairs a={a} b={b} namesA={namesA} />
      <h2>Timelines on one time and height axis</h2>
      <p className="muted small">
        Both charts run from each run&apos;s start; a shaded band is a fault in force. PoA typically keeps producing on both sides of a partition (the orange strip: heads on
        different branches, then rings where nodes reorganise after the heal); BFT stops (flat lines) until a quorum of validators hears each other again.
      </p>
      {[
        { label: 'A', run: a, names: namesA, stats: statsA },
        { label: 'B', run: b, names: namesB, stats: statsB },
      ].map((s) => (
        <section key={s.label} data-testid={`compare-chart-${s.label.toLowerCase()}`}>
          <h3>
            {s.label} · {s.run.engine.toUpperCase()} · <Link href={`/runs/${s.run.id}`}>{s.run.name}</Link>
          </h3>
          {s.run.history ? (
            <RunChart history={s.run.history} names={s.names} axisMs={axisMs} heightMax={heightMax} stats={s.stats} recoveries={s.run.verdict?.recoveries} />
          ) : (
            <Empty>No history recorded.</Empty>
          )}
        </section>
      ))}
    </>
  );
}

export function CompareView() {
  const search = useSearchParams();
  const idA = runId(search.get('a'));
  const idB = runId(search.get('b'));
  const a = useRun(idA ?? 0, idA !== null);
  const b = useRun(idB ?? 0, idB !== null);
  if (idA === null || idB === null)
    return (
      <Empty>
        Pick two runs to compare on the <Link href="/runs">runs list</Link> (the address needs <code>?a=ID&amp;b=ID</code>).
      </Empty>
    );
  for (const [q, id] of [
    [a, idA],
    [b, idB],
  ] as const) {
    if (q.error && !q.data) return <ErrorState error={q.error} what={`run #${id}`} />;
  }
  if (!a.data || !b.data) return <Loading what="both runs" />;
  return <Compared a={a.data.run} b={b.data.run} />;
}
