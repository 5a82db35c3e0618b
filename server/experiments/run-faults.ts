// The faults of a run, as the verdict reads them, from the chaos records the run left: each
// fault with the nodes it was resolved to, when it was applied and when it ended (reverted by
// a heal, expired after its duration, or, for a kill, when that node was restarted). Actions
// that undo (heal, resume, restart) or grow the network (add-node) are not faults, and actions
// that failed never acted.
import type { ChaosRecord } from '../../wire/chaos-api.ts';
import type { RunFault } from '../../wire/run-history.ts';

const NOT_FAULTS = new Set(['heal', 'resume', 'restart', 'add-node']);

export function faultsOf(records: readonly ChaosRecord[], endedAt: number): RunFault[] {
  const sorted = [...records].sort((a, b) => a.at - b.at || a.id - b.id);
  return sorted
    .filter((r) => !NOT_FAULTS.has(r.kind) && r.status !== 'failed')
    .map((r) => ({ id: r.id, kind: r.kind, targets: r.targets, appliedAt: r.at, healedAt: endOf(r, sorted, endedAt), params: r.params }));
}

function endOf(r: ChaosRecord, all: readonly ChaosRecord[], endedAt: number): number | null {
  if (r.revertedAt !== null) return r.revertedAt;
  if (r.expiresAt !== null && r.expiresAt <= endedAt) return r.expiresAt;
  if (r.kind === 'kill') {
    const restart = all.find((x) => x.kind === 'restart' && x.at >= r.at && x.status !== 'failed' && x.targets.some((t) => r.targets.includes(t)));
    if (restart) return restart.at;
  }
  return null;
}
