// Which chaos faults the fork view names above its graph: the active ones when live, and the
// ones that were in force at the chosen moment when the time slider is in the past. Also the
// URL form of the view (`?at=&from=&to=`), so a moment can be linked to. Pure, unit-tested.
import { LASTING_CHAOS_KINDS, type ChaosKind, type ChaosRecord, type ChaosResponse } from '../../../wire/chaos-api.ts';
import { describeAction, nameOf, type Names } from '../chaos/chaosModel.ts';

const LASTING: ReadonlySet<ChaosKind> = new Set(LASTING_CHAOS_KINDS);

/** Faults in force at `at` (ms), oldest first; `at` null = now (the server's active list). */
export function faultsAt(res: ChaosResponse | undefined, at: number | null): ChaosRecord[] {
  if (!res) return [];
  if (at === null) return [...res.active].sort((a, b) => a.id - b.id);
  return lastingFaults(res).filter((r) => r.at <= at && (r.revertedAt === null || r.revertedAt > at));
}

/** Every fault that held for a span of time (active or past, not failed), once each, oldest first. */
export function lastingFaults(res: ChaosResponse): ChaosRecord[] {
  const byId = new Map<number, ChaosRecord>();
  for (const r of [...res.history, ...res.active]) byId.set(r.id, r);
  return [...byId.values()].filter((r) => LASTING.has(r.kind) && r.status !== 'failed').sort((a, b) => a.id - b.id);
}

/** One fault in a few words: "partition node-1, node-2 | node-3, node-4", "300 ms delay on all links". */
export function faultText(r: ChaosRecord, names: Names): string {
  if (r.kind === 'partition') {
    const groups = Array.isArray(r.params.groups) ? (r.params.groups as string[][]) : [];
    return `partition ${groups.map((g) => g.map((id) => nameOf(names, id)).join(', ')).join(' | ')}${r.params.oneWay ? ' (one-way)' : ''}`;
  }
  return describeAction(r.kind, r.params, names);
}

export interface ForkViewState {
  at: number | null;
  from?: number;
  to?: number;
}

function wholeNumber(v: string | null): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** `?at=<ms>&from=<height>&to=<height>`; anything malformed is ignored. */
export function parseForkSearch(search: URLSearchParams): ForkViewState {
  const from = wholeNumber(search.get('from'));
  let to = wholeNumber(search.get('to'));
  if (from !== undefined && to !== undefined && to < from) to = undefined;
  return { at: wholeNumber(search.get('at')) ?? null, from, to };
}

export function forkSearch(state: ForkViewState): string {
  const p = new URLSearchParams();
  if (state.from !== undefined) p.set('from', String(state.from));
  if (state.to !== undefined) p.set('to', String(state.to));
  if (state.at !== null) p.set('at', String(state.at));
  const s = p.toString();
  return s ? `?${s}` : '';
}
