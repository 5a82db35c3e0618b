'use client';
// The node picker of node-targeted forms: "a node I choose" (a menu of nodes) or a selection the
// server picks when it applies the action, with k for "k at random" and, under "advanced", the
// seed of the random pick. A line under it says which nodes that will be.
import { useId } from 'react';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { AdvancedSeed, NumberField } from './Fields.tsx';
import { describeNodeTargets, errorFor, type FieldErrors, type Names } from './chaosModel.ts';
import { nodeTargetFields, PICK_CHOICES, type NodeTargetDraft, type PickMode } from './nodeTarget.ts';
import styles from './chaos.module.css';

export function NodeTargetPicker({
  draft,
  onChange,
  nodes,
  names,
  errors,
  exclude = [],
  nodeLabel = 'Node',
  testId,
}: {
  draft: NodeTargetDraft;
  onChange: (d: NodeTargetDraft) => void;
  /** The nodes "a node I choose" offers. */
  nodes: NodeStatus[];
  /** Every known node (a selection picks among them all). */
  names: Names;
  errors: FieldErrors;
  exclude?: PickMode[];
  nodeLabel?: string;
  testId: string;
}) {
  const id = useId();
  const set = (patch: Partial<NodeTargetDraft>) => onChange({ ...draft, ...patch });
  // A chosen node is `node` on node faults and `select.ids` on an isolate shape.
  const nodeError = errorFor(errors, 'node') ?? errorFor(errors, 'select.ids');
  const selectError = errors['select'];
  const random = draft.mode !== 'node' && draft.mode !== 'all';
  return (
    <div className={styles.picker}>
      <div className={styles.fieldRow}>
        <div className={styles.field}>
          <label htmlFor={`${id}-mode`}>On which nodes</label>
          <select id={`${id}-mode`} value={draft.mode} onChange={(e) => set({ mode: e.target.value as PickMode })} data-testid={`${testId}-mode`}>
            {PICK_CHOICES.filter((c) => !exclude.includes(c.mode)).map((c) => (
              <option key={c.mode} value={c.mode}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        {draft.mode === 'node' && (
          <div className={styles.field}>
            <label htmlFor={`${id}-node`}>{nodeLabel}</label>
            <select id={`${id}-node`} value={draft.node} onChange={(e) => set({ node: e.target.value })} aria-invalid={nodeError ? true : undefined} data-testid={`${testId}-node`}>
              <option value="">choose…</option>
              {nodes.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
            </select>
            {nodeError && <span className={styles.fieldError}>{draft.node === '' ? `choose a ${nodeLabel.toLowerCase()}` : nodeError}</span>}
          </div>
        )}
        {draft.mode === 'random-k' && (
          <NumberField label="k (how many)" value={draft.k} onChange={(k) => set({ k })} error={errorFor(errors, 'select.k')} min={1} step={1} placeholder="2" />
        )}
      </div>
      {draft.mode !== 'node' && (
        <p className="muted small" data-testid={`${testId}-preview`}>
          When applied, the server picks {describeNodeTargets(nodeTargetFields(draft), names)} and records which nodes it picked.
        </p>
      )}
      {selectError && <p className={styles.fieldError}>{selectError}</p>}
      {random && (
        <AdvancedSeed value={draft.seed} onChange={(seed) => set({ seed })} error={errorFor(errors, 'seed')} hint="the same seed over the same nodes picks the same ones" />
      )}
    </div>
  );
}
