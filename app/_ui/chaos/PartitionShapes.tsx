'use client';
// Partition shapes: a partition given by its shape (majorities ring, bridge, isolate, random
// halves), which the server turns into groups over the nodes it knows when it applies it, with
// a seed it records (given under "advanced", or drawn). Isolate takes the node picker.
import { useId, useMemo, useState } from 'react';
import type { PartitionShape } from '../../../wire/chaos-api.ts';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { useActionForm } from './ChaosActions.tsx';
import { AdvancedSeed, DurationField, OutcomeLine } from './Fields.tsx';
import { NodeTargetPicker } from './NodeTargetPicker.tsx';
import { asSentence, describeAction, errorFor, numberOrUndefined } from './chaosModel.ts';
import { isolateFields, type NodeTargetDraft } from './nodeTarget.ts';
import styles from './chaos.module.css';

const SHAPES: ReadonlyArray<{ shape: PartitionShape; label: string; note: string }> = [
  { shape: 'majorities-ring', label: 'Majorities ring', note: 'Every node still reaches a majority, but no two nodes see the same one (needs 4 nodes or more).' },
  { shape: 'bridge', label: 'Bridge', note: 'Two halves cut apart; one node, the bridge, still talks to both.' },
  { shape: 'isolate', label: 'Isolate', note: 'The chosen nodes are cut off from all the others.' },
  { shape: 'random-halves', label: 'Random halves', note: 'The nodes are cut into two halves at random.' },
];

export function PartitionShapes({ nodes }: { nodes: NodeStatus[] }) {
  const id = useId();
  const { names, outcome, errors, busy, run } = useActionForm();
  const sorted = useMemo(() => [...nodes].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [nodes]);
  const [shape, setShape] = useState<PartitionShape>('majorities-ring');
  const [target, setTarget] = useState<NodeTargetDraft>({ mode: 'one', node: '', k: '2', seed: '' });
  const [seed, setSeed] = useState('');
  const [duration, setDuration] = useState('');

  const apply = () => {
    const body: Record<string, unknown> = { kind: 'partition-shape', shape };
    if (shape === 'isolate') Object.assign(body, isolateFields(target));
    else if (numberOrUndefined(seed) !== undefined) body.seed = numberOrUndefined(seed);
    const durationSec = numberOrUndefined(duration);
    if (durationSec !== undefined) body.durationSec = durationSec;
    const spec = SHAPES.find((s) => s.shape === shape)!;
    return run(body, {
      title: `Partition the network: ${spec.label.toLowerCase()}?`,
      confirmLabel: 'Partition',
      body: (
        <>
          <p>{asSentence(describeAction('partition-shape', body, names))}.</p>
          <p>
            {spec.note} The server picks the groups now, over the {names.size} nodes it knows, and records them with the seed; links between groups drop both ways
            {durationSec !== undefined ? ` for ${durationSec} s` : ' until you heal it'}.
          </p>
        </>
      ),
    });
  };

  return (
    <section className={`panel ${styles.card}`} aria-labelledby={`${id}-title`} data-testid="partition-shapes">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Partition by shape
      </h2>
      <p className={styles.panelNote}>Name a shape and let the server cut the network that way; the groups it chose appear under active faults.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <fieldset className={styles.target}>
          <legend>Shape</legend>
          {SHAPES.map((s) => (
            <label key={s.shape} className={styles.check} title={s.note}>
              <input type="radio" name={`${id}-shape`} checked={shape === s.shape} onChange={() => setShape(s.shape)} data-testid={`shape-${s.shape}`} />
              {s.label}
            </label>
          ))}
        </fieldset>
        <p className={styles.faultNote}>{SHAPES.find((s) => s.shape === shape)!.note}</p>
        {shape === 'isolate' && <NodeTargetPicker draft={target} onChange={setTarget} nodes={sorted} names={names} errors={errors} exclude={['all']} testId="shape-target" />}
        <div className={styles.formRow}>
          <DurationField value={duration} onChange={setDuration} error={errorFor(errors, 'durationSec')} />
          <button type="submit" className={`button ${styles.danger} ${styles.applyButton}`} aria-disabled={busy || undefined} data-testid="shape-apply">
            Apply shape…
          </button>
        </div>
        {shape !== 'isolate' && <AdvancedSeed value={seed} onChange={setSeed} error={errorFor(errors, 'seed')} hint="the same seed over the same nodes cuts the same way" />}
        <OutcomeLine outcome={outcome} names={names} testId="shape-outcome" />
      </form>
    </section>
  );
}
