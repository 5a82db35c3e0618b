'use client';
// Link faults: choose which links (all, one node's, or one direction between two nodes), then
// add latency, loss, duplication, a bandwidth cap, reordering or corruption, each optionally for
// a limited time; correlation, seed and burst sit under each form's "advanced".
import { useId, useMemo, useState } from 'react';
import type { ChaosKind } from '../../../wire/chaos-api.ts';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { useActionForm } from './ChaosActions.tsx';
import { DurationField, NumberField, OutcomeLine } from './Fields.tsx';
import { describeTarget, errorFor, numberOrUndefined, type Names } from './chaosModel.ts';
import styles from './chaos.module.css';

type Mode = 'all' | 'node' | 'link';
interface TargetDraft {
  mode: Mode;
  node: string;
  from: string;
  to: string;
}

function targetBody(t: TargetDraft): Record<string, string> {
  if (t.mode === 'node') return { node: t.node };
  if (t.mode === 'link') return { from: t.from, to: t.to };
  return {};
}

interface FieldSpec {
  name: string;
  label: string;
  min: number;
  max: number;
  step?: number | 'any';
  placeholder: string;
  hint?: string;
  /** Shown under "advanced" (optional tuning a newcomer can leave empty). */
  advanced?: boolean;
}

/** netem's correlation: how much each random decision leans on the previous one. */
const CORRELATION: FieldSpec = { name: 'correlation', label: 'Correlation (%)', min: 0, max: 100, step: 'any', placeholder: '0', hint: 'faults come in runs', advanced: true };
/** The seed of the link's random decisions (empty: different each time). */
const SEED: FieldSpec = { name: 'seed', label: 'Seed', min: 0, max: 4_294_967_295, step: 1, placeholder: 'random', hint: 'same decisions each run', advanced: true };

const FORMS: Array<{
  kind: Extract<ChaosKind, 'latency' | 'loss' | 'duplicate' | 'bandwidth' | 'reorder' | 'corrupt'>;
  title: string;
  note: string;
  button: string;
  fields: FieldSpec[];
}> = [
  {
    kind: 'latency',
    title: 'Latency',
    note: 'Every message waits the delay (± jitter) before it is sent.',
    button: 'Add latency',
    fields: [
      { name: 'delayMs', label: 'Delay (ms)', min: 1, max: 60_000, step: 1, placeholder: '300' },
      { name: 'jitterMs', label: 'Jitter (ms)', min: 0, max: 60_000, step: 1, placeholder: '0' },
      CORRELATION,
      SEED,
    ],
  },
  {
    kind: 'loss',
    title: 'Packet loss',
    note: 'This share of messages is dropped.',
    button: 'Add loss',
    fields: [{ name: 'pct', label: 'Loss (%)', min: 0.1, max: 100, step: 'any', placeholder: '20' }, CORRELATION, SEED],
  },
  {
    kind: 'duplicate',
    title: 'Duplication',
    note: 'This share of messages is sent twice.',
    button: 'Add duplication',
    fields: [{ name: 'pct', label: 'Duplicate (%)', min: 0.1, max: 100, step: 'any', placeholder: '10' }, CORRELATION, SEED],
  },
  {
    kind: 'bandwidth',
    title: 'Bandwidth cap',
    note: 'Messages beyond this rate queue up.',
    button: 'Cap bandwidth',
    fields: [
      { name: 'bytesPerSec', label: 'Bytes per second', min: 100, max: 1_000_000_000, step: 1, placeholder: '20000', hint: 'at least 100' },
      { name: 'burst', label: 'Burst (bytes)', min: 0, max: 1_000_000_000, step: 1, placeholder: '0', hint: 'pass at once before the cap', advanced: true },
    ],
  },
  {
    kind: 'reorder',
    title: 'Reordering',
    note: 'This share of messages is held back and sent after the next few (gap), or after 1 s.',
    button: 'Add reordering',
    fields: [
      { name: 'pct', label: 'Reorder (%)', min: 0.1, max: 100, step: 'any', placeholder: '25' },
      { name: 'gap', label: 'Gap (messages)', min: 1, max: 1000, step: 1, placeholder: '3' },
      CORRELATION,
      SEED,
    ],
  },
  {
    kind: 'corrupt',
    title: 'Corruption',
    note: 'This share of messages leaves with one byte changed; receivers refuse them and score the sender.',
    button: 'Add corruption',
    fields: [{ name: 'pct', label: 'Corrupt (%)', min: 0.1, max: 100, step: 'any', placeholder: '5' }, CORRELATION, SEED],
  },
];

export function LinkFaults({ nodes }: { nodes: NodeStatus[] }) {
  const id = useId();
  const [target, setTarget] = useState<TargetDraft>({ mode: 'all', node: '', from: '', to: '' });
  const sorted = useMemo(() => [...nodes].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [nodes]);
  const options = (placeholder: string) => (
    <>
      <option value="">{placeholder}</option>
      {sorted.map((n) => (
        <option key={n.id} value={n.id}>
          {n.name}
        </option>
      ))}
    </>
  );
  const set = (patch: Partial<TargetDraft>) => setTarget((t) => ({ ...t, ...patch }));

  return (
    <section className={`panel ${styles.card}`} aria-labelledby={`${id}-title`} data-testid="link-faults">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Link faults
      </h2>
      <fieldset className={styles.target}>
        <legend>Applies to</legend>
        <label className={styles.check}>
          <input type="radio" name={`${id}-mode`} checked={target.mode === 'all'} onChange={() => set({ mode: 'all' })} />
          all links
        </label>
        <label className={styles.check}>
          <input type="radio" name={`${id}-mode`} checked={target.mode === 'node'} onChange={() => set({ mode: 'node' })} />
          every link of
        </label>
        <select aria-label="Node whose links to affect" value={target.node} onChange={(e) => set({ mode: 'node', node: e.target.value })}>
          {options('choose a node')}
        </select>
        <label className={styles.check}>
          <input type="radio" name={`${id}-mode`} checked={target.mode === 'link'} onChange={() => set({ mode: 'link' })} />
          one direction
        </label>
        <span className={styles.inline}>
          <select aria-label="From node" value={target.from} onChange={(e) => set({ mode: 'link', from: e.target.value })}>
            {options('from…')}
          </select>
          <span aria-hidden="true">→</span>
          <select aria-label="To node" value={target.to} onChange={(e) => set({ mode: 'link', to: e.target.value })}>
            {options('to…')}
          </select>
        </span>
      </fieldset>
      <div className={styles.faultForms}>
        {FORMS.map((f) => (
          <FaultForm key={f.kind} spec={f} target={target} />
        ))}
      </div>
    </section>
  );
}

function FaultForm({ spec, target }: { spec: (typeof FORMS)[number]; target: TargetDraft }) {
  const { names, outcome, errors, busy, run } = useActionForm();
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [duration, setDuration] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  async function apply() {
    setLocalError(null);
    if (target.mode === 'link' && target.from && target.from === target.to) {
      setLocalError('Target: “from” and “to” must be two different nodes.');
      return;
    }
    const body: Record<string, unknown> = { kind: spec.kind, target: targetBody(target) };
    for (const f of spec.fields) {
      const v = numberOrUndefined(values[f.name] ?? '');
      if (v !== undefined) body[f.name] = v;
    }
    const durationSec = numberOrUndefined(duration);
    if (durationSec !== undefined) body.durationSec = durationSec;
    await run(body);
  }

  const targetError = errorFor(errors, 'target');
  const basic = spec.fields.filter((f) => !f.advanced);
  const advanced = spec.fields.filter((f) => f.advanced);
  const field = (f: FieldSpec) => (
    <NumberField
      key={f.name}
      label={f.label}
      value={values[f.name] ?? ''}
      onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
      error={errorFor(errors, f.name)}
      hint={f.hint}
      min={f.min}
      max={f.max}
      step={f.step}
      placeholder={f.placeholder}
    />
  );
  return (
    <form
      className={styles.faultForm}
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
      data-testid={`fault-${spec.kind}`}
    >
      <h3 id={`${id}-title`} className={styles.faultTitle}>
        {spec.title}
      </h3>
      <p className={styles.faultNote}>{spec.note}</p>
      <div className={styles.fieldRow}>
        {basic.map(field)}
        <DurationField value={duration} onChange={setDuration} error={errorFor(errors, 'durationSec')} />
      </div>
      {advanced.length > 0 && (
        // Open by itself when one of its fields is refused, so the error is seen.
        <details className={styles.advanced} open={advanced.some((f) => errorFor(errors, f.name)) || undefined}>
          <summary>advanced</summary>
          <div className={styles.fieldRow}>{advanced.map(field)}</div>
        </details>
      )}
      {(localError || targetError) && (
        <p className={styles.fieldError}>{localError ?? `Target (“Applies to” above): ${targetError === 'node id required' ? 'choose the node(s)' : targetError}`}</p>
      )}
      <button type="submit" className="button" aria-disabled={busy || undefined}>
        {spec.button} · {describeTargetShort(target, names)}
      </button>
      <OutcomeLine outcome={outcome} names={names} />
    </form>
  );
}

function describeTargetShort(t: TargetDraft, names: Names): string {
  if (t.mode === 'node' && !t.node) return 'choose a node';
  if (t.mode === 'link' && (!t.from || !t.to)) return 'choose from → to';
  return describeTarget(targetBody(t), names);
}
