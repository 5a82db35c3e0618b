// Pure helpers of the run pages: node names for a run's node ids, each fault in words with its
// recovery, the verdict as a badge, the export file's name, and faults of two runs paired by
// their place in the schedule. Kept apart from React so they are unit-tested.
import type { RunDetail, RunSummary } from '../../../wire/run-api.ts';
import type { Recovery, RunFault, Validity } from '../../../wire/run-history.ts';
import type { ChaosKind } from '../../../wire/chaos-api.ts';
import { describeAction, KIND_LABELS, nameOf, type Names } from '../chaos/chaosModel.ts';

/** Schedule steps that do not count as faults (the run records heals as a fault's end). */
const NOT_FAULTS = new Set(['heal', 'resume']);

function isIdList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * Node id → name for a run. The schedule names nodes as written (node-1 …) and each fault
 * records the ids they were resolved to, in the same places: pairing a step's groups or node
 * with its fault's gives the names even for an imported run whose nodes this instance never
 * ran. `known` (this instance's nodes) fills in what the schedule does not say.
 */
export function runNodeNames(run: Pick<RunDetail, 'schedule' | 'history'>, known: Names = new Map()): Map<string, string> {
  const names = new Map(known);
  const steps = run.schedule.filter((s) => !NOT_FAULTS.has(s.action.kind)).sort((a, b) => a.at - b.at);
  const faults = [...(run.history?.faults ?? [])].sort((a, b) => a.appliedAt - b.appliedAt);
  steps.forEach((step, i) => {
    const fault = faults[i];
    if (!fault || fault.kind !== step.action.kind || !fault.params) return;
    const written = step.action as Record<string, unknown>;
    const resolved = fault.params;
    if (typeof written.node === 'string' && typeof resolved.node === 'string') names.set(resolved.node, written.node);
    const wg = written.groups;
    const rg = resolved.groups;
    if (Array.isArray(wg) && Array.isArray(rg) && wg.length === rg.length) {
      wg.forEach((g, gi) => {
        const r = rg[gi];
        if (isIdList(g) && isIdList(r) && g.length === r.length) g.forEach((name, k) => names.set(r[k], name));
      });
    }
  });
  return names;
}

function isChaosKind(kind: string): kind is ChaosKind {
  return Object.hasOwn(KIND_LABELS, kind);
}

/** "partition" / "clock skew" …, or the kind as recorded when this version does not know it. */
export function faultLabel(kind: string): string {
  return isChaosKind(kind) ? KIND_LABELS[kind] : kind;
}

/** What a fault did, in words, with node names where known. */
export function describeFault(fault: RunFault, names: Names): string {
  const params = fault.params ?? {};
  if (isChaosKind(fault.kind)) return describeAction(fault.kind, params, names);
  const targets = fault.targets.map((id) => nameOf(names, id)).join(', ');
  return targets ? `${fault.kind} on ${targets}` : fault.kind;
}

export type RecoveryState =
  { kind: 'recovered'; sec: number; recoveredAt: number } | { kind: 'not-recovered' } | { kind: 'interrupted' } | { kind: 'active' } | { kind: 'unjudged' };

/** What the verdict says about the recovery after one fault's heal, honestly. */
export function recoveryOf(fault: RunFault, recoveries: readonly Recovery[] | undefined): RecoveryState {
  if (fault.healedAt === null) return { kind: 'active' };
  const r = recoveries?.find((x) => x.faultId === fault.id);
  if (!r) return { kind: 'unjudged' };
  if (r.interrupted) return { kind: 'interrupted' };
  if (r.recoverySec === null || r.recoveredAt === null) return { kind: 'not-recovered' };
  return { kind: 'recovered', sec: r.recoverySec, recoveredAt: r.recoveredAt };
}

export function recoveryText(state: RecoveryState): string {
  switch (state.kind) {
    case 'recovered':
      return `${seconds(state.sec)}`;
    case 'not-recovered':
      return 'not recovered by the end of the run';
    case 'interrupted':
      return 'not judged: the next fault began before the network recovered';
    case 'active':
      return 'still in force when the run stopped';
    case 'unjudged':
      return 'not judged (no verdict)';
  }
}

/** "1.1 s", "1.0 s", "0.25 s", "42 s". */
export function seconds(sec: number): string {
  if (sec >= 10) return `${Math.round(sec)} s`;
  return `${sec.toFixed(sec < 1 ? 2 : 1)} s`;
}

/** Faults in the order they were applied: their place in the schedule. */
export function faultsInOrder(run: Pick<RunDetail, 'history'>): RunFault[] {
  return [...(run.history?.faults ?? [])].sort((a, b) => a.appliedAt - b.appliedAt || a.id - b.id);
}

/** The time to open the fork view at for a fault: just before its heal (its effect at the fullest), or the run's end. */
export function forkMomentOf(fault: RunFault, endedAt: number): number {
  const end = fault.healedAt ?? endedAt;
  return Math.max(fault.appliedAt, end - 500);
}

export type VerdictBadge = { label: 'valid' | 'invalid' | 'unknown' | 'running' | 'cancelled' | 'error' | 'not judged'; tone: 'ok' | 'bad' | 'warn' | 'neutral' };

/** The list's and the page's verdict badge: the verdict when there is one, else why there is none. */
export function verdictBadge(run: Pick<RunSummary, 'valid' | 'status'>): VerdictBadge {
  if (run.status === 'running') return { label: 'running', tone: 'neutral' };
  if (run.valid === true) return { label: 'valid', tone: 'ok' };
  if (run.valid === false) return { label: 'invalid', tone: 'bad' };
  if (run.valid === 'unknown') return { label: 'unknown', tone: 'warn' };
  if (run.status === 'error') return { label: 'error', tone: 'bad' };
  if (run.status === 'cancelled') return { label: 'cancelled', tone: 'warn' };
  return { label: 'not judged', tone: 'neutral' };
}

export function validityText(v: Validity): 'valid' | 'invalid' | 'unknown' {
  return v === true ? 'valid' : v === false ? 'invalid' : 'unknown';
}

/** "split-brain-on-poa-vs-bft-run-7.json": the export's download name. */
export function exportFileName(run: Pick<RunSummary, 'name' | 'id'>): string {
  const slug = run.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'run'}-run-${run.id}.run.json`;
}

/** Run length, ms (a running run: until `now`). */
export function runDurationMs(run: Pick<RunSummary, 'startedAt' | 'endedAt'>, now: number): number {
  return Math.max(0, (run.endedAt ?? now) - run.startedAt);
}

export interface FaultPair {
  position: number;
  a: RunFault | undefined;
  b: RunFault | undefined;
}

/** Two runs' faults side by side by their place in the schedule (same schedule: same position, same fault). */
export function pairFaults(a: Pick<RunDetail, 'history'>, b: Pick<RunDetail, 'history'>): FaultPair[] {
  const fa = faultsInOrder(a);
  const fb = faultsInOrder(b);
  return Array.from({ length: Math.max(fa.length, fb.length) }, (_, i) => ({ position: i + 1, a: fa[i], b: fb[i] }));
}

/** Whether two runs ran the same schedule (kinds and times of every step). */
export function sameSchedule(a: Pick<RunDetail, 'schedule'>, b: Pick<RunDetail, 'schedule'>): boolean {
  if (a.schedule.length !== b.schedule.length) return false;
  return a.schedule.every((s, i) => s.at === b.schedule[i].at && s.action.kind === b.schedule[i].action.kind);
}
