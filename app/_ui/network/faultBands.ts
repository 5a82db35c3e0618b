// The chaos faults behind the height chart's time axis: each fault that held for a while
// becomes a band from when it was applied to when it was healed (or to now while it is still
// active), clipped to the chart's window. Pure, so the spans are unit-tested; the fault records
// and their wording come from the fork view's helpers (forkFaults.ts).
import type { ChaosKind, ChaosResponse } from '../../../wire/chaos-api.ts';
import type { Names } from '../chaos/chaosModel.ts';
import { faultText, lastingFaults } from '../forks/forkFaults.ts';

export interface FaultBand {
  id: number;
  kind: ChaosKind;
  /** Clipped to the window: where the band is drawn. */
  from: number;
  to: number;
  /** Still in force (no heal yet): the band runs on to now. */
  active: boolean;
  /** The fault in a few words, for the band's hover title. */
  label: string;
}

/** Bands of the faults that overlap [t0, t1], oldest first. */
export function faultBands(res: ChaosResponse | undefined, t0: number, t1: number, names: Names): FaultBand[] {
  if (!res) return [];
  const activeIds = new Set(res.active.map((r) => r.id));
  const bands: FaultBand[] = [];
  for (const r of lastingFaults(res)) {
    const active = activeIds.has(r.id) && r.revertedAt === null;
    // A past fault without a heal time ended when it expired; failing that it is drawn to now.
    const end = r.revertedAt ?? (active ? t1 : (r.expiresAt ?? t1));
    if (end < t0 || r.at > t1) continue;
    bands.push({ id: r.id, kind: r.kind, from: Math.max(t0, r.at), to: Math.min(t1, end), active, label: faultText(r, names) });
  }
  return bands;
}
