'use client';
// The verdict of a run: overall valid / invalid / unknown, and the three checks it is made of
// (safety, liveness, integrity), each with the reasons the checker gave.
import type { RunDetail } from '../../../wire/run-api.ts';
import type { CheckResult } from '../../../wire/run-history.ts';
import { validityText } from './runModel.ts';
import { VerdictBadge } from './VerdictBadge.tsx';
import styles from './runs.module.css';

const CHECKS = [
  { key: 'safety', title: 'Safety', note: 'No two nodes kept different blocks at one height (BFT: no finalized block ever reverted).' },
  { key: 'liveness', title: 'Liveness', note: 'After every heal the network recovered within the bound.' },
  { key: 'integrity', title: 'Integrity', note: 'At the end the index held exactly the nodes’ chains.' },
] as const;

const TONE = { valid: 'badge-ok', invalid: 'badge-bad', unknown: 'badge-warn' } as const;

function Check({ title, note, result }: { title: string; note: string; result: CheckResult }) {
  const v = validityText(result.valid);
  return (
    <section className={styles.check} data-testid={`check-${title.toLowerCase()}`}>
      <h3>
        {title} <span className={`badge ${TONE[v]}`}>{v}</span>
      </h3>
      <ul>
        {result.reasons.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
        {result.reasons.length === 0 && <li className="muted">no reason given</li>}
      </ul>
      <p className={styles.checkNote}>{note}</p>
    </section>
  );
}

export function VerdictPanel({ run }: { run: RunDetail }) {
  const v = run.verdict;
  const banner = run.valid === true ? 'banner-ok' : run.valid === false ? 'banner-bad' : 'banner-neutral';
  let headline: string;
  if (run.status === 'running') headline = 'Running: the verdict is judged when the schedule ends.';
  else if (!v) headline = `Not judged${run.error ? `: ${run.error}` : '.'}`;
  else if (v.valid === true) headline = 'Valid: safe, live and the index matches.';
  else if (v.valid === false) headline = 'Invalid: at least one check failed.';
  else headline = 'Unknown: the run could not be fully judged.';
  return (
    <section aria-label="Verdict" data-testid="verdict">
      <div className={`banner ${banner}`}>
        <VerdictBadge run={run} /> {headline}
      </div>
      {v && (
        <div className={styles.checks}>
          {CHECKS.map((c) => (
            <Check key={c.key} title={c.title} note={c.note} result={v[c.key]} />
          ))}
        </div>
      )}
      {v && run.error && <p className="muted small">Note: {run.error}</p>}
    </section>
  );
}
