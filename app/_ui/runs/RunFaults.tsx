'use client';
// The faults of a run in the order they were applied: what each did (in words, with node
// names), when it began and was healed, how long the network took to recover after the heal,
// and a link to the fork view at that moment (only for a run recorded on this instance: an
// imported run's blocks are not in this index).
import Link from 'next/link';
import type { RunDetail } from '../../../wire/run-api.ts';
import type { RunFault } from '../../../wire/run-history.ts';
import type { Names } from '../chaos/chaosModel.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { forkSearch } from '../forks/forkFaults.ts';
import { describeFault, faultLabel, faultsInOrder, forkMomentOf, recoveryOf, recoveryText } from './runModel.ts';

/** "+5.0 s" after the run's start. */
export function offset(ms: number, startedAt: number): string {
  return `+${((ms - startedAt) / 1000).toFixed(1)} s`;
}

export function RunFaults({ run, names }: { run: RunDetail; names: Names }) {
  const faults = faultsInOrder(run);
  const endedAt = run.history?.endedAt ?? run.endedAt ?? run.startedAt;
  const startedAt = run.history?.startedAt ?? run.startedAt;
  const local = run.importedAt === null;
  const columns: Column<RunFault>[] = [
    { key: 'n', header: '#', align: 'end', cell: (f) => faults.indexOf(f) + 1 },
    { key: 'kind', header: 'Fault', cell: (f) => faultLabel(f.kind) },
    { key: 'what', header: 'What it did', className: 'wrap', cell: (f) => describeFault(f, names) },
    { key: 'applied', header: 'Applied', align: 'end', cell: (f) => offset(f.appliedAt, startedAt) },
    { key: 'healed', header: 'Healed', align: 'end', cell: (f) => (f.healedAt === null ? 'never' : offset(f.healedAt, startedAt)) },
    {
      key: 'recovery',
      header: 'Recovery',
      className: (f) => (recoveryOf(f, run.verdict?.recoveries).kind === 'recovered' ? 'num' : 'wrap muted'),
      cell: (f) => recoveryText(recoveryOf(f, run.verdict?.recoveries)),
      cellProps: (f) => ({ 'data-testid': 'fault-recovery', 'data-state': recoveryOf(f, run.verdict?.recoveries).kind }),
    },
    {
      key: 'fork',
      header: 'Fork view',
      className: local ? undefined : 'wrap muted small',
      cell: (f) =>
        local ? (
          <Link
            href={`/forks${forkSearch({ at: forkMomentOf(f, endedAt), from: undefined, to: undefined })}`}
            data-testid="fault-fork-link"
            title="The block tree just before this fault's heal"
          >
            before the heal
          </Link>
        ) : (
          'not here: the run was imported, its blocks are in the index of the instance that ran it'
        ),
    },
  ];
  return (
    <DataTable
      rows={faults}
      rowKey={(f) => f.id}
      columns={columns}
      testId="run-faults"
      rowProps={(f) => ({ 'data-testid': 'fault-row', 'data-kind': f.kind })}
      empty={<div className="state">{run.history ? 'This run applied no faults.' : 'No history was recorded for this run, so its faults are unknown.'}</div>}
    />
  );
}
