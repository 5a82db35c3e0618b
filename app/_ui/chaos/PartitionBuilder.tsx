'use client';
// Partition builder: put nodes into groups A, B, C… (a menu per node, so it works by keyboard),
// optionally one-way and timed, then apply. Nodes in different groups stop hearing each other.
import { useId, useMemo, useState } from 'react';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { nodeColorMap } from '../common/nodeColors.ts';
import { statusClass } from '../nodes/NodeTable.tsx';
import { useActionForm } from './ChaosActions.tsx';
import { DurationField, OutcomeLine } from './Fields.tsx';
import { GROUP_LETTERS, errorFor, partitionBody, type PartitionDraft } from './chaosModel.ts';
import styles from './chaos.module.css';

const MIN_GROUPS = 2;

export function PartitionBuilder({ nodes }: { nodes: NodeStatus[] }) {
  const { names, outcome, errors, busy, run } = useActionForm();
  const id = useId();
  const [draft, setDraft] = useState<PartitionDraft>({ assignment: {}, groupCount: MIN_GROUPS, oneWay: false, duration: '' });
  const sorted = useMemo(() => [...nodes].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [nodes]);
  const colors = useMemo(() => nodeColorMap(nodes), [nodes]);
  const groupOf = (nodeId: string) => draft.assignment[nodeId] ?? null;
  const maxGroups = Math.min(GROUP_LETTERS.length, Math.max(MIN_GROUPS, sorted.length));

  const move = (nodeId: string, group: number | null) => setDraft((d) => ({ ...d, assignment: { ...d.assignment, [nodeId]: group } }));
  const splitEvenly = () =>
    setDraft((d) => {
      const per = Math.ceil(sorted.length / d.groupCount);
      return { ...d, assignment: Object.fromEntries(sorted.map((n, i) => [n.id, Math.min(d.groupCount - 1, Math.floor(i / per))])) };
    });
  const removeLastGroup = () =>
    setDraft((d) => {
      const last = d.groupCount - 1;
      const assignment = Object.fromEntries(Object.entries(d.assignment).map(([k, g]) => [k, g === last ? null : g]));
      return { ...d, groupCount: d.groupCount - 1, assignment };
    });

  async function apply() {
    const { body, letters } = partitionBody(
      draft,
      sorted.map((n) => n.id),
    );
    const groups = body.groups as string[][];
    await run(body, {
      title: 'Partition the network?',
      confirmLabel: 'Partition',
      body: (
        <>
          <ul className={styles.dialogList}>
            {groups.map((g, i) => (
              <li key={letters[i]}>
                <strong>Group {letters[i]}</strong>: {g.map((n) => names.get(n) ?? n).join(', ')}
              </li>
            ))}
          </ul>
          <p>
            {draft.oneWay
              ? `One-way: group ${letters[0]} stops hearing the other groups; they still hear it.`
              : 'Nodes in different groups stop exchanging messages in both directions.'}{' '}
            Expect the groups to build separate chains (a fork) until the partition is healed
            {body.durationSec ? `, which happens by itself after ${String(body.durationSec)} s` : ' with “Heal everything” or its revert button'}.
          </p>
        </>
      ),
    });
  }

  const unassigned = sorted.filter((n) => groupOf(n.id) === null);
  const groupError = errorFor(errors, 'groups');

  const chip = (n: NodeStatus) => (
    <li key={n.id} className={styles.chip} style={{ borderLeftColor: colors.get(n.id) }} data-testid="partition-chip" data-node={n.name}>
      <span className={styles.chipName}>{n.name}</span>
      <span className={`badge ${statusClass[n.status]} ${styles.chipStatus}`}>{n.status}</span>
      <select
        aria-label={`Group of ${n.name}`}
        value={groupOf(n.id) ?? ''}
        onChange={(e) => move(n.id, e.target.value === '' ? null : Number(e.target.value))}
        data-testid="partition-select"
      >
        <option value="">no group</option>
        {Array.from({ length: draft.groupCount }, (_, g) => (
          <option key={g} value={g}>
            group {GROUP_LETTERS[g]}
          </option>
        ))}
      </select>
    </li>
  );

  return (
    <section className={`panel ${styles.card}`} aria-labelledby={`${id}-title`} data-testid="partition-builder">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Partition
      </h2>
      <p className={styles.panelNote}>Put nodes into groups with the menu on each node. Nodes in different groups cannot talk; a node in no group keeps every link.</p>
      {sorted.length === 0 ? (
        <p className="muted">No nodes known yet.</p>
      ) : (
        <div className={styles.groups} aria-describedby={groupError ? `${id}-groups-error` : undefined}>
          {Array.from({ length: draft.groupCount }, (_, g) => {
            const members = sorted.filter((n) => groupOf(n.id) === g);
            return (
              <div key={g} className={styles.group} data-testid="partition-group" data-group={GROUP_LETTERS[g]}>
                <div className={styles.groupHead}>
                  <span className={styles.groupLetter}>Group {GROUP_LETTERS[g]}</span>
                  <span className="muted small">
                    {members.length} node{members.length === 1 ? '' : 's'}
                    {draft.oneWay && g === 0 ? ' · deaf to others' : ''}
                  </span>
                </div>
                {members.length ? <ul className={styles.chips}>{members.map(chip)}</ul> : <p className={styles.emptyGroup}>empty: choose “group {GROUP_LETTERS[g]}” on a node</p>}
              </div>
            );
          })}
          <div className={`${styles.group} ${styles.groupNone}`} data-testid="partition-group" data-group="none">
            <div className={styles.groupHead}>
              <span className={styles.groupLetter}>No group</span>
              <span className="muted small">keeps every link</span>
            </div>
            {unassigned.length ? <ul className={styles.chips}>{unassigned.map(chip)}</ul> : <p className={styles.emptyGroup}>every node is in a group</p>}
          </div>
        </div>
      )}
      {groupError && (
        <p id={`${id}-groups-error`} className={styles.fieldError}>
          Groups: {groupError}
        </p>
      )}
      <div className={styles.toolbar}>
        <button type="button" className="button" onClick={() => setDraft((d) => ({ ...d, groupCount: d.groupCount + 1 }))} disabled={draft.groupCount >= maxGroups}>
          + Add group
        </button>
        {draft.groupCount > MIN_GROUPS && (
          <button type="button" className="button" onClick={removeLastGroup}>
            − Remove group {GROUP_LETTERS[draft.groupCount - 1]}
          </button>
        )}
        <button type="button" className="button" onClick={splitEvenly} disabled={sorted.length < 2}>
          Split evenly
        </button>
        <button type="button" className="button" onClick={() => setDraft((d) => ({ ...d, assignment: {} }))}>
          Clear
        </button>
      </div>
      <label className={styles.check}>
        <input type="checkbox" checked={draft.oneWay} onChange={(e) => setDraft((d) => ({ ...d, oneWay: e.target.checked }))} data-testid="partition-oneway" />
        One-way: group A stops hearing the other groups, but they still hear group A
      </label>
      <div className={styles.formRow}>
        <DurationField value={draft.duration} onChange={(duration) => setDraft((d) => ({ ...d, duration }))} error={errorFor(errors, 'durationSec')} />
        <button
          type="button"
          className={`button ${styles.danger} ${styles.applyButton}`}
          onClick={() => void apply()}
          disabled={sorted.length < 2}
          aria-disabled={busy || undefined}
          data-testid="partition-apply"
        >
          Apply partition…
        </button>
      </div>
      <OutcomeLine outcome={outcome} names={names} testId="partition-outcome" />
    </section>
  );
}
