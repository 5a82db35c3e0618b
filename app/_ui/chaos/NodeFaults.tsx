'use client';
// Faults on chosen nodes: pick one node or a selection (a minority, fewer than a third, …, the
// server picks it when it applies the action, from a seed it records), then a fault: pause,
// resume, a clock skew, strobe or bump, kill or restart. Every one asks for confirmation first.
import { useId, useMemo, useState } from 'react';
import type { ChaosKind } from '../../../wire/chaos-api.ts';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { useActionForm } from './ChaosActions.tsx';
import { DurationField, NumberField, OutcomeLine } from './Fields.tsx';
import { NodeTargetPicker } from './NodeTargetPicker.tsx';
import { asSentence, describeAction, errorFor, numberOrUndefined, shortNodeTargets } from './chaosModel.ts';
import { nodeTargetFields, type NodeTargetDraft } from './nodeTarget.ts';
import styles from './chaos.module.css';

type NodeFaultKind = Extract<ChaosKind, 'pause' | 'resume' | 'clock-skew' | 'clock-strobe' | 'clock-bump' | 'kill' | 'restart'>;

interface FieldSpec {
  name: string;
  label: string;
  min: number;
  max: number;
  initial: string;
}

const FAULTS: ReadonlyArray<{ kind: NodeFaultKind; label: string; note: string; fields: FieldSpec[]; lasting: boolean }> = [
  { kind: 'pause', label: 'Pause', note: 'They stop producing and processing blocks; the other nodes go on without them.', fields: [], lasting: true },
  { kind: 'resume', label: 'Resume', note: 'Paused nodes start again and catch up.', fields: [], lasting: false },
  {
    kind: 'clock-skew',
    label: 'Clock skew',
    note: 'Their clocks run ahead (or behind, negative): they propose in the wrong slots and stamp blocks with skewed times.',
    fields: [{ name: 'offsetMs', label: 'Offset (ms)', min: -3_600_000, max: 3_600_000, initial: '2000' }],
    lasting: true,
  },
  {
    kind: 'clock-strobe',
    label: 'Clock strobe',
    note: 'Their clock offsets flip between +delta and 0 (or ±delta) every period, until healed.',
    fields: [
      { name: 'deltaMs', label: 'Delta (ms)', min: 1, max: 3_600_000, initial: '1000' },
      { name: 'periodMs', label: 'Period (ms)', min: 200, max: 3_600_000, initial: '1000' },
    ],
    lasting: true,
  },
  {
    kind: 'clock-bump',
    label: 'Clock bump',
    note: 'Their clock offsets jump once by delta and stay there (“Heal everything” resets clocks).',
    fields: [{ name: 'deltaMs', label: 'Delta (ms)', min: -3_600_000, max: 3_600_000, initial: '-500' }],
    lasting: false,
  },
  { kind: 'kill', label: 'Kill', note: 'The node processes get SIGKILL and stay down until restarted (local testnet only).', fields: [], lasting: false },
  { kind: 'restart', label: 'Restart', note: 'The node processes stop and start again from their chains on disk.', fields: [], lasting: false },
];

export function NodeFaults({ nodes }: { nodes: NodeStatus[] }) {
  const id = useId();
  const { names, outcome, errors, busy, run } = useActionForm();
  const sorted = useMemo(() => [...nodes].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [nodes]);
  const [target, setTarget] = useState<NodeTargetDraft>({ mode: 'minority', node: '', k: '2', seed: '' });
  const [kind, setKind] = useState<NodeFaultKind>('pause');
  const [values, setValues] = useState<Record<string, string>>({});
  const [symmetric, setSymmetric] = useState(false);
  const [duration, setDuration] = useState('');
  const fault = FAULTS.find((f) => f.kind === kind)!;
  const valueOf = (f: FieldSpec) => values[`${kind}.${f.name}`] ?? f.initial;

  const apply = () => {
    const body: Record<string, unknown> = { kind, ...nodeTargetFields(target) };
    for (const f of fault.fields) body[f.name] = numberOrUndefined(valueOf(f));
    if (kind === 'clock-strobe') body.symmetric = symmetric;
    const durationSec = fault.lasting ? numberOrUndefined(duration) : undefined;
    if (durationSec !== undefined) body.durationSec = durationSec;
    return run(body, {
      title: `${fault.label}: ${shortNodeTargets(body, names)}?`,
      confirmLabel: fault.label,
      body: (
        <>
          <p>{asSentence(describeAction(kind, body, names))}.</p>
          <p>
            {fault.note}
            {fault.lasting && durationSec === undefined ? ' It lasts until you heal it.' : ''}
          </p>
        </>
      ),
    });
  };

  return (
    <section className={`panel ${styles.card}`} aria-labelledby={`${id}-title`} data-testid="node-faults">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Faults on chosen nodes
      </h2>
      <p className={styles.panelNote}>
        Pick one node, or let the server pick a selection when it applies the fault (a minority, fewer than a third, a majority…): the picked nodes and the seed are recorded, and a
        heal undoes the fault on every one of them.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <div className={styles.fieldRow}>
          <div className={styles.field}>
            <label htmlFor={`${id}-kind`}>Fault</label>
            <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as NodeFaultKind)} data-testid="node-faults-kind">
              {FAULTS.map((f) => (
                <option key={f.kind} value={f.kind}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          {fault.fields.map((f) => (
            <NumberField
              key={`${kind}.${f.name}`}
              label={f.label}
              value={valueOf(f)}
              onChange={(v) => setValues((old) => ({ ...old, [`${kind}.${f.name}`]: v }))}
              error={errorFor(errors, f.name)}
              min={f.min}
              max={f.max}
              step={1}
            />
          ))}
          {kind === 'clock-strobe' && (
            <label className={`${styles.check} ${styles.checkField}`}>
              <input type="checkbox" checked={symmetric} onChange={(e) => setSymmetric(e.target.checked)} />
              ±delta (else +delta and 0)
            </label>
          )}
          {fault.lasting && <DurationField value={duration} onChange={setDuration} error={errorFor(errors, 'durationSec')} />}
        </div>
        <p className={styles.faultNote}>{fault.note}</p>
        <NodeTargetPicker draft={target} onChange={setTarget} nodes={sorted} names={names} errors={errors} testId="node-faults-target" />
        <button type="submit" className={`button ${styles.danger} ${styles.applyButton}`} aria-disabled={busy || undefined} data-testid="node-faults-apply">
          {fault.label}…
        </button>
        <OutcomeLine outcome={outcome} names={names} testId="node-faults-outcome" />
      </form>
    </section>
  );
}
