'use client';
// The consensus page's tables: each node's own height/round/step (a split shows as rows
// apart), the equivocation evidence, and the recently decided heights.
import Link from 'next/link';
import { age } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Empty } from '../common/QueryState.tsx';
import type { NodeStatusRow } from './consensusModel.ts';
import type { DecidedRow, EvidenceRow } from './evidenceRows.ts';
import styles from './consensus.module.css';

const nodeLink = (id: string | null, name: string) => (id ? <Link href={`/nodes/${encodeURIComponent(id)}`}>{name}</Link> : <span>{name}</span>);

const nodeColumns: Column<NodeStatusRow>[] = [
  { key: 'name', header: 'Node', cell: (r) => nodeLink(r.nodeId, r.name) },
  { key: 'height', header: 'Deciding height', align: 'end', cell: (r) => r.height ?? '—' },
  { key: 'round', header: 'Round', align: 'end', cell: (r) => r.round ?? '—' },
  { key: 'step', header: 'Step', cell: (r) => r.step },
  { key: 'proposer', header: 'Proposer', cell: (r) => r.proposerName },
  { key: 'locked', header: 'Locked on', cell: (r) => r.locked },
  {
    key: 'note',
    header: 'Note',
    className: 'wrap',
    cell: (r) =>
      r.error ? (
        <span className="text-bad">no answer: {r.error}</span>
      ) : r.apart ? (
        <span className="badge badge-warn">apart from the others</span>
      ) : (
        <span className="muted">with the others</span>
      ),
  },
];

/** PoA has no rounds, steps or locks: only the next height and the slot's proposer mean something there. */
const poaColumns: Column<NodeStatusRow>[] = nodeColumns
  .filter((c) => ['name', 'height', 'proposer', 'note'].includes(c.key))
  .map((c) => (c.key === 'height' ? { ...c, header: 'Next height' } : c.key === 'proposer' ? { ...c, header: 'Proposer of the current slot' } : c));

export function NodeConsensusTable({ rows, rounds }: { rows: NodeStatusRow[]; rounds: boolean }) {
  return (
    <DataTable
      rows={rows}
      rowKey={(r) => r.nodeId}
      columns={rounds ? nodeColumns : poaColumns}
      testId="consensus-nodes"
      rowProps={(r) => ({ className: r.apart ? styles.apart : undefined, 'data-node': r.name })}
      empty={<Empty>No nodes followed yet.</Empty>}
    />
  );
}

export function EvidenceTable({ rows, now }: { rows: EvidenceRow[]; now: number }) {
  const columns: Column<EvidenceRow>[] = [
    { key: 'offender', header: 'Offender', cell: (r) => nodeLink(r.offenderNodeId, r.offender) },
    { key: 'kind', header: 'Offence', cell: (r) => r.kind },
    { key: 'where', header: 'Height / round', align: 'end', cell: (r) => `${r.height} / ${r.round}` },
    {
      key: 'values',
      header: 'Conflicting values',
      cell: (r) => (
        <span className="mono">
          {r.first} ≠ {r.second}
        </span>
      ),
    },
    { key: 'at', header: 'Detected', cell: (r) => age(r.detectedAt, now) },
  ];
  return (
    <DataTable
      rows={rows}
      rowKey={(r) => r.hash}
      columns={columns}
      testId="evidence-list"
      empty={
        <Empty>
          <span data-testid="evidence-empty">No equivocation detected: no validator has signed two different votes or proposals for the same height and round.</span>
        </Empty>
      }
    />
  );
}

const decidedColumns: Column<DecidedRow>[] = [
  { key: 'height', header: 'Height', align: 'end', cell: (r) => <Link href={`/blocks/${r.height}`}>{r.height}</Link> },
  { key: 'hash', header: 'Block', className: 'mono', cell: (r) => r.hash.slice(0, 8) },
  { key: 'round', header: 'Decided in round', align: 'end', cell: (r) => (r.late ? <span className="badge badge-warn">{r.round}</span> : r.round) },
  { key: 'signers', header: 'Signers', align: 'end', cell: (r) => (r.belowQuorum ? <span className="text-bad">{r.signers}</span> : r.signers) },
  { key: 'finality', header: 'Time to finality', align: 'end', cell: (r) => r.finality },
];

export function DecidedHeightsTable({ rows }: { rows: DecidedRow[] }) {
  return <DataTable rows={rows} rowKey={(r) => r.hash} columns={decidedColumns} testId="decided-heights" empty={<Empty>No commit indexed yet.</Empty>} />;
}
