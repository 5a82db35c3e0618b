// The verdict of a recorded run, Jepsen-style: a pure function of its history (wire/run-history.ts)
// that says `valid: true | false | 'unknown'` with reasons, for three properties:
//
//   safety     BFT: no two nodes ever finalized different blocks at a height, no node's
//              finalized tip went down (the SafetyChecker's rules, over the whole run);
//              PoA: one chain again after every heal (forks are allowed, staying forked is not).
//   liveness   after every heal the network moves again within the run's bound: every node
//              passes the highest height any node had at the heal (BFT: finalized; PoA: heads,
//              on one chain). Each heal's recovery time is reported.
//   integrity  the index equals every node's chain at the end: no block lost, none invalid.
//
// What cannot be judged is 'unknown', never a pass: a heal followed by another fault before the
// network recovered, a fault still active at the end, a run cut short, an index not compared.
// A violation found in a run cut short is still a violation: false wins over unknown.
import type { ChainReading, CheckResult, Recovery, RunFault, RunHistory, Validity, Verdict } from '../../wire/run-history.ts';
import { SafetyChecker, type SafetyViolation } from '../monitor/safety-checker.ts';

export function judgeRun(history: RunHistory): Verdict {
  const recoveries = history.faults.filter((f) => f.healedAt !== null).map((f) => recoveryOf(history, f as RunFault & { healedAt: number }));
  const safety = history.engine === 'bft' ? finalitySafety(history) : oneChainAfterHeals(history, recoveries);
  const liveness = livenessOf(history, recoveries);
  const integrity = integrityOf(history);
  return { valid: combine([safety.valid, liveness.valid, integrity.valid], history.cutShort), safety, liveness, integrity, recoveries };
}

/** false if any is false; else unknown if any is unknown or the run was cut short; else true. */
function combine(parts: Validity[], cutShort: boolean): Validity {
  if (parts.includes(false)) return false;
  if (cutShort || parts.includes('unknown')) return 'unknown';
  return true;
}

function byTime(readings: readonly ChainReading[]): ChainReading[] {
  return [...readings].sort((a, b) => a.at - b.at);
}

function describe(v: SafetyViolation): string {
  if (v.kind === 'conflicting-finality') {
    return `height ${v.height} finalized as ${v.first.hash.slice(0, 12)} on ${v.first.nodeId} and as ${v.conflicting.hash.slice(0, 12)} on ${v.conflicting.nodeId}`;
  }
  return `${v.nodeId}'s finalized tip went down from ${v.before.height} to ${v.after.height}`;
}

function finalitySafety(history: RunHistory): CheckResult {
  const checker = new SafetyChecker({ windowHeights: Number.MAX_SAFE_INTEGER });
  for (const r of byTime(history.finalized)) checker.observeFinalized(r);
  const violations = checker.violations();
  if (violations.length > 0) return { valid: false, reasons: violations.map(describe) };
  if (history.finalized.length === 0) return { valid: 'unknown', reasons: ['no finalized readings were recorded'] };
  return { valid: true, reasons: [`${history.finalized.length} finalized readings, no conflict and no regression`] };
}

function oneChainAfterHeals(history: RunHistory, recoveries: Recovery[]): CheckResult {
  const judged = recoveries.filter((r) => !r.interrupted);
  const split = judged.filter((r) => r.recoveredAt === null && windowEnd(history, r.healedAt) - r.healedAt >= history.recoveryBoundSec * 1000);
  if (split.length > 0) {
    return { valid: false, reasons: split.map((r) => `no single chain within ${history.recoveryBoundSec} s of healing fault #${r.faultId} (${r.kind})`) };
  }
  if (judged.length === 0) return { valid: 'unknown', reasons: ['no heal could be judged (none, or each followed by another fault before recovery)'] };
  return { valid: true, reasons: [`one chain again after ${judged.filter((r) => r.recoveredAt !== null).length} of ${judged.length} judged heals`] };
}

function livenessOf(history: RunHistory, recoveries: Recovery[]): CheckResult {
  const boundMs = history.recoveryBoundSec * 1000;
  const reasons: string[] = [];
  let valid: Validity = true;
  for (const r of recoveries) {
    if (r.interrupted) continue;
    const late = r.recoveredAt !== null && r.recoveredAt - r.healedAt > boundMs;
    const never = r.recoveredAt === null && windowEnd(history, r.healedAt) - r.healedAt >= boundMs;
    if (late || never) {
      valid = false;
      reasons.push(`fault #${r.faultId} (${r.kind}): ${late ? `recovered only after ${r.recoverySec} s` : 'no recovery'}, bound ${history.recoveryBoundSec} s`);
    } else if (r.recoveredAt === null) {
      if (valid === true) valid = 'unknown';
      reasons.push(`fault #${r.faultId} (${r.kind}): the run ended ${((windowEnd(history, r.healedAt) - r.healedAt) / 1000).toFixed(1)} s after its heal, before recovery`);
    }
  }
  for (const f of history.faults) {
    if (f.healedAt !== null) continue;
    if (valid === true) valid = 'unknown';
    reasons.push(`fault #${f.id} (${f.kind}) was still active when the run stopped`);
  }
  if (valid === true) {
    const times = recoveries.filter((r) => r.recoverySec !== null).map((r) => r.recoverySec!);
    reasons.push(times.length === 0 ? 'no heal to recover from' : `recovered after every judged heal, max ${Math.max(...times).toFixed(1)} s`);
  }
  return { valid, reasons };
}

function integrityOf(history: RunHistory): CheckResult {
  const index = history.index;
  if (index === null) return { valid: 'unknown', reasons: ['the index was not compared with the nodes at the end'] };
  const reasons: string[] = [];
  if (index.missingBlocks > 0) reasons.push(`${index.missingBlocks} block(s) on a node are missing from the index`);
  if (index.invalidBlocks > 0) reasons.push(`${index.invalidBlocks} indexed block(s) are invalid or have no parent`);
  if (index.mismatchedNodes.length > 0) reasons.push(`the index differs from the chain of ${index.mismatchedNodes.join(', ')}`);
  return reasons.length > 0 ? { valid: false, reasons } : { valid: true, reasons: ['the index equals every node’s chain'] };
}

/** Where a heal's recovery window ends: the next fault applied after it, or the run's end. */
function windowEnd(history: RunHistory, healedAt: number): number {
  const next = history.faults.filter((f) => f.appliedAt > healedAt).reduce((min, f) => Math.min(min, f.appliedAt), Number.POSITIVE_INFINITY);
  return Math.min(next, history.endedAt);
}

function activeAt(history: RunHistory, at: number, except: number): boolean {
  return history.faults.some((f) => f.id !== except && f.appliedAt <= at && (f.healedAt === null || f.healedAt > at));
}

/**
 * When the network recovered from a heal: the first reading after it at which every node's
 * latest reading (finalized on BFT, heads on PoA) is above the highest height any node had
 * at the heal, and on PoA all on one block. Interrupted when another fault was active at the
 * heal or began before that moment.
 */
function recoveryOf(history: RunHistory, fault: RunFault & { healedAt: number }): Recovery {
  const readings = byTime(history.engine === 'bft' ? history.finalized : history.heads);
  const base = { faultId: fault.id, kind: fault.kind, healedAt: fault.healedAt };
  if (activeAt(history, fault.healedAt, fault.id)) return { ...base, recoveredAt: null, recoverySec: null, interrupted: true };
  const latest = new Map<string, ChainReading>();
  let i = 0;
  for (; i < readings.length && readings[i].at <= fault.healedAt; i++) latest.set(readings[i].nodeId, readings[i]);
  const highestAtHeal = Math.max(-1, ...[...latest.values()].map((r) => r.height));
  const end = windowEnd(history, fault.healedAt);
  for (; i < readings.length && readings[i].at <= end; i++) {
    latest.set(readings[i].nodeId, readings[i]);
    if (recovered(history, latest, highestAtHeal)) {
      const at = readings[i].at;
      return { ...base, recoveredAt: at, recoverySec: (at - fault.healedAt) / 1000, interrupted: false };
    }
  }
  const interrupted = end < history.endedAt && end - fault.healedAt < history.recoveryBoundSec * 1000;
  return { ...base, recoveredAt: null, recoverySec: null, interrupted };
}

function recovered(history: RunHistory, latest: Map<string, ChainReading>, highestAtHeal: number): boolean {
  if (latest.size < history.nodes.length) return false;
  let hash: string | null = null;
  for (const node of history.nodes) {
    const r = latest.get(node);
    if (!r || r.height <= highestAtHeal) return false;
    if (history.engine === 'poa') {
      if (hash !== null && r.hash !== hash) return false;
      hash = r.hash;
    }
  }
  return true;
}

/** Median and longest of a verdict's measured recoveries, s (null when none was measured). */
export function recoverySpread(verdict: Verdict | null): { median: number | null; max: number | null } {
  const times = (verdict?.recoveries ?? []).flatMap((r) => (r.recoverySec === null ? [] : [r.recoverySec])).sort((a, b) => a - b);
  return times.length ? { median: times[Math.floor((times.length - 1) / 2)], max: times[times.length - 1] } : { median: null, max: null };
}
