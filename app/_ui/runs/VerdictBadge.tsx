'use client';
// A run's verdict as a coloured badge: valid / invalid / unknown, or running, cancelled, error.
import type { RunSummary } from '../../../wire/run-api.ts';
import { verdictBadge } from './runModel.ts';

const TONE_CLASS = { ok: 'badge-ok', bad: 'badge-bad', warn: 'badge-warn', neutral: '' } as const;

export function VerdictBadge({ run }: { run: Pick<RunSummary, 'valid' | 'status'> }) {
  const b = verdictBadge(run);
  return (
    <span className={`badge ${TONE_CLASS[b.tone]}`} data-testid="verdict-badge" data-verdict={b.label}>
      {b.label}
    </span>
  );
}
