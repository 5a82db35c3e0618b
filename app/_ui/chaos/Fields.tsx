'use client';
// Small form pieces of the chaos page: a labelled number field with its error, and the line
// under a form that says what happened to the last action it sent.
import { useId, type ReactNode } from 'react';
import { KIND_LABELS, describeAction, resultParts, type Names } from './chaosModel.ts';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import type { Outcome } from './ChaosActions.tsx';
import styles from './chaos.module.css';

export function NumberField({
  label,
  value,
  onChange,
  error,
  hint,
  min,
  max,
  step,
  placeholder,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  placeholder?: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={value}
        min={min}
        max={max}
        step={step}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-note` : undefined}
        data-testid={testId}
      />
      {error ? (
        <span id={`${id}-note`} className={styles.fieldError}>
          {error}
        </span>
      ) : hint ? (
        <span id={`${id}-note`} className="muted small">
          {hint}
        </span>
      ) : null}
    </div>
  );
}

/** Optional "revert after N seconds" field shared by the timed actions. */
export function DurationField({ value, onChange, error, label = 'For (seconds)' }: { value: string; onChange: (v: string) => void; error?: string; label?: string }) {
  return <NumberField label={label} value={value} onChange={onChange} error={error} min={1} max={86_400} step={1} placeholder="no limit" />;
}

/** The optional seed of a random pick, folded under "advanced" (empty: the server draws one and records it). */
export function AdvancedSeed({ value, onChange, error, hint }: { value: string; onChange: (v: string) => void; error?: string; hint: string }) {
  return (
    <details className={styles.advanced}>
      <summary>advanced</summary>
      <NumberField label="Seed" value={value} onChange={onChange} error={error} hint={hint} min={0} max={4_294_967_295} step={1} placeholder="random" />
    </details>
  );
}

/** What became of the form's last action, announced to screen readers. */
export function OutcomeLine({ outcome, names, testId }: { outcome: Outcome; names: Names; testId?: string }) {
  let body: ReactNode;
  let tone = '';
  switch (outcome.kind) {
    case 'busy':
      body = 'Sending…';
      break;
    case 'invalid': {
      const general = outcome.errors[''];
      body = general ? `Not sent: ${general}` : 'Not sent: fix the fields marked above.';
      tone = styles.bad;
      break;
    }
    case 'error':
      body = `Refused: ${outcome.message}`;
      tone = styles.bad;
      break;
    case 'ok': {
      const r = outcome.record;
      const { ok, failed } = resultParts(r.result);
      tone = failed.length ? styles.bad : styles.good;
      body = (
        <>
          #{r.id} {KIND_LABELS[r.kind]} {r.status}: {describeAction(r.kind, r.params, names)}
          {failed.length > 0 ? (
            <> · failed on {failed.map(([k, v]) => `${k} (${v})`).join('; ')}</>
          ) : ok.length > 0 ? (
            <> · {ok.length <= 4 ? `ok on ${ok.join(', ')}` : `all ${ok.length} steps ok`}</>
          ) : null}
        </>
      );
      break;
    }
    default:
      body = null;
  }
  return (
    <p className={`${styles.outcome} ${tone}`} role="status" aria-live="polite" data-testid={testId}>
      {body}
    </p>
  );
}

/** A labelled choice of one node ("choose…" first), with an optional note after each name. */
export function NodeSelect({
  label,
  nodes,
  value,
  onChange,
  error,
  note,
  testId,
}: {
  label: string;
  nodes: readonly NodeStatus[];
  value: string;
  onChange: (id: string) => void;
  error?: string;
  note?: (n: NodeStatus) => string;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} data-testid={testId}>
        <option value="">choose…</option>
        {nodes.map((n) => (
          <option key={n.id} value={n.id}>
            {n.name}
            {note?.(n)}
          </option>
        ))}
      </select>
      {error && <span className={styles.fieldError}>{error}</span>}
    </div>
  );
}
