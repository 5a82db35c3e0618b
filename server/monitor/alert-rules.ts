// Pure alert rules: from the monitor's verdict, which alerts should be active right now.
// Each alert has a stable key, so the manager raises it once and clears it when the
// condition goes away, instead of raising a new row every tick.
import type { NetworkConsensus, NodeStatus } from '../../wire/explorer-api.ts';
import type { EvidenceRecord } from '../../wire/bft.ts';
import { violationKey, type FinalityObservation, type SafetyViolation } from './safety-checker.ts';

export interface AlertCandidate {
  key: string;
  kind: 'divergence' | 'stall' | 'halt' | 'node-down' | 'deep-reorg' | 'safety-violation' | 'equivocation';
  severity: 'info' | 'warning' | 'critical';
  nodeId: string | null;
  message: string;
  details: Record<string, unknown>;
}

export function desiredAlerts(network: NetworkConsensus, nodes: NodeStatus[]): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const nameOf = (id: string) => nodes.find((n) => n.id === id)?.name ?? id;
  if (network.status === 'forked') {
    const groups = (network.groups ?? []).map((g) => g.map(nameOf));
    out.push({
      key: 'divergence',
      kind: 'divergence',
      severity: 'critical',
      nodeId: null,
      // No fork height when a branch's chain is not known that deep (a health-only node reports only its head).
      message: `Nodes diverged ${network.forkHeight !== undefined ? `at height ${network.forkHeight}` : '(split height unknown)'}: ${groups.map((g) => g.join(', ')).join(' | ')}`,
      details: { forkHeight: network.forkHeight ?? null, groups: network.groups ?? [] },
    });
  }
  if (network.status === 'stalled') {
    out.push({
      key: 'stall',
      kind: 'stall',
      severity: 'critical',
      nodeId: null,
      message: `The network stalled at height ${network.agreedHeight ?? '?'}: no node produced a block recently`,
      details: { height: network.agreedHeight },
    });
  }
  if (network.status === 'halted') {
    out.push({
      key: 'halt',
      kind: 'halt',
      severity: 'critical',
      nodeId: null,
      message: `The network halted at finalized height ${network.finalizedHeight ?? '?'}: ${network.reason ?? 'no block finalized recently'}`,
      details: { finalizedHeight: network.finalizedHeight ?? null, reason: network.reason ?? null, validators: network.validators ?? null },
    });
  }
  for (const n of nodes) {
    if (n.status === 'down') {
      out.push({
        key: `down:${n.id}`,
        kind: 'node-down',
        severity: 'critical',
        nodeId: n.id,
        message: `${n.name} is down: ${n.statusReason ?? 'not answering'}`,
        details: { url: n.url },
      });
    } else if (n.status === 'stalled' && network.status !== 'stalled') {
      out.push({
        key: `stall:${n.id}`,
        kind: 'stall',
        severity: 'warning',
        nodeId: n.id,
        message: `${n.name} stalled at height ${n.height}: ${n.statusReason ?? ''}`.trim(),
        details: { height: n.height },
      });
    }
  }
  return out;
}

/** A reorg this deep (blocks removed) raises a deep-reorg alert. */
export const DEEP_REORG_DEPTH = 3;

/**
 * The alert for a safety violation, with the evidence (both readings) in `details`. Raised
 * once per violation (the key is the checker's) and never cleared by a condition going away:
 * a finalized block that changed stays a fact.
 */
export function safetyAlert(v: SafetyViolation, nameOf: (id: string) => string = (id) => id): AlertCandidate {
  const short = (o: FinalityObservation) => `${o.hash.slice(0, 8)}… (${nameOf(o.nodeId)}${o.source ? `, ${o.source}` : ''})`;
  if (v.kind === 'conflicting-finality') {
    return {
      key: violationKey(v),
      kind: 'safety-violation',
      severity: 'critical',
      nodeId: v.conflicting.nodeId,
      message: `Safety violation: two different blocks finalized at height ${v.height}: ${short(v.first)} and ${short(v.conflicting)}`,
      details: { violation: v.kind, height: v.height, evidence: { first: v.first, conflicting: v.conflicting } },
    };
  }
  return {
    key: violationKey(v),
    kind: 'safety-violation',
    severity: 'critical',
    nodeId: v.nodeId,
    message: `Safety violation: ${nameOf(v.nodeId)}'s finalized height went down from ${v.before.height} to ${v.after.height}`,
    details: { violation: v.kind, nodeId: v.nodeId, evidence: { before: v.before, after: v.after } },
  };
}

/**
 * The alert for a validator caught equivocating: raised once per offender (permanent: signed
 * evidence stays a fact), naming the first offence; all evidence is in the evidence table.
 */
export function equivocationAlert(e: EvidenceRecord, offenderNodeId: string | null, names: { offender: string | null; reporter: string }): AlertCandidate {
  const who = names.offender ?? `validator ${e.validator.slice(0, 12)}…`;
  const short = (h: string | null) => (h === null ? 'nil' : `${h.slice(0, 8)}…`);
  const what =
    e.kind === 'duplicate-vote'
      ? `two ${e.evidence.voteA.type}s (${short(e.evidence.voteA.blockHash)} and ${short(e.evidence.voteB.blockHash)})`
      : `two proposals (${short(e.evidence.proposalA.blockHash)} and ${short(e.evidence.proposalB.blockHash)})`;
  return {
    key: `equivocation:${e.validator}`,
    kind: 'equivocation',
    severity: 'critical',
    nodeId: offenderNodeId,
    message: `${who} equivocated: signed ${what} at height ${e.height} round ${e.round} (reported by ${names.reporter})`,
    details: { validator: e.validator, evidenceHash: e.hash, kind: e.kind, height: e.height, round: e.round },
  };
}
