'use client';
// A one-line reminder above the fork graph of the chaos faults behind what it shows: the
// active ones when live, or the ones in force at the moment the time slider points to. Reads
// the chaos page's own cache entry (useChaos), so both pages share one read and one push.
import Link from 'next/link';
import type { ChaosResponse } from '../../../wire/chaos-api.ts';
import { duration } from '../../_lib/format.ts';
import { KIND_LABELS, type Names } from '../chaos/chaosModel.ts';
import { useNow } from '../common/useNow.ts';
import { faultText, faultsAt } from './forkFaults.ts';

export function ForkFaultStrip({ chaos, at, names }: { chaos: ChaosResponse | undefined; at: number | null; names: Names }) {
  const now = useNow();
  const faults = faultsAt(chaos, at);
  if (faults.length === 0) return null;
  const live = at === null;
  const ref = at ?? now;
  return (
    <div className="fault-strip" role="status" data-testid="fork-faults" data-mode={live ? 'live' : 'past'} data-count={faults.length}>
      <Link href="/chaos" className="fault-strip-title">
        {live ? 'Active faults' : 'Faults in force then'}
      </Link>
      <ul>
        {faults.map((r) => (
          <li key={r.id} data-testid="fork-fault" data-kind={r.kind} data-id={r.id}>
            <span className="badge badge-chaos">{KIND_LABELS[r.kind]}</span>
            <span className="muted">#{r.id}</span> {faultText(r, names).replace(/^partition /, '')}
            <span className="muted small"> · {live ? `since ${duration(ref - r.at)}` : `started ${duration(ref - r.at)} before`}</span>
          </li>
        ))}
      </ul>
      <Link href="/chaos" className="small">
        {live ? 'revert on the chaos page →' : 'chaos history →'}
      </Link>
    </div>
  );
}
