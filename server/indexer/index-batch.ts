// What the indexer writes, as plain data: one batch = everything queued since the last
// flush, applied in one database transaction so a crash never leaves half of it.
import type { EvidenceRecord } from '../../wire/bft.ts';
import type { Block, Health, Reorg, StreamEventOf } from '../../wire/node-api.ts';

export interface BlockSighting {
  block: Block;
  seenBy: string;
  seenAt: number;
}

/** Replace a node's canonical chain from `fromHeight` up with `hashes` (index 0 = fromHeight). */
export interface CanonicalUpdate {
  nodeId: string;
  fromHeight: number;
  hashes: string[];
}

export interface HeadChange {
  nodeId: string;
  epoch: string;
  seq: number;
  at: number;
  height: number;
  hash: string;
  reorg: Reorg | null;
}

export interface StreamCursor {
  nodeId: string;
  epoch: string;
  seq: number;
}

export interface PeerEventRecord {
  nodeId: string;
  epoch: string;
  event: StreamEventOf<'peer'>;
}

export interface HealthRecord {
  nodeId: string;
  at: number;
  health: Health;
}

/**
 * One BFT round as a node's /stream `round` event told it: the round it entered, and — when
 * it left the previous step by a timeout or a round skip — which round and step that was.
 */
export interface RoundSighting {
  height: number;
  round: number;
  proposer: string;
  at: number;
  /** The step whose timeout fired, in `timeoutRound` (a precommit timeout moves to the next round). */
  timeout: { round: number; step: 'propose' | 'prevote' | 'precommit' } | null;
  /** The node entered this round by a round skip. */
  skippedTo: boolean;
}

export interface EvidenceSighting {
  nodeId: string;
  record: EvidenceRecord;
}

/**
 * When one node accepted a block (its /stream `block` event's `acceptedAt`, Unix ms with
 * sub-ms precision). Blocks read by backfill have none: no time is made up for them.
 */
export interface BlockReceipt {
  blockHash: string;
  nodeId: string;
  height: number;
  acceptedAt: number;
}

export interface IndexBatch {
  blocks: BlockSighting[];
  canonical: CanonicalUpdate[];
  heads: HeadChange[];
  peerEvents: PeerEventRecord[];
  healthSamples: HealthRecord[];
  cursors: StreamCursor[];
  rounds: RoundSighting[];
  evidence: EvidenceSighting[];
  receipts: BlockReceipt[];
}

export function emptyBatch(): IndexBatch {
  return { blocks: [], canonical: [], heads: [], peerEvents: [], healthSamples: [], cursors: [], rounds: [], evidence: [], receipts: [] };
}

/** What a /stream `round` event says about the rounds of its height (null: nothing to index). */
export function roundSighting(e: StreamEventOf<'round'>): RoundSighting | null {
  const base = { height: e.height, round: e.round, proposer: e.proposer, at: e.at, timeout: null, skippedTo: false };
  if (e.reason === 'timeout') {
    // Entering prevote: the propose timeout fired; precommit: the prevote one; a new round: the previous round's precommit one.
    if (e.step === 'prevote') return { ...base, timeout: { round: e.round, step: 'propose' } };
    if (e.step === 'precommit') return { ...base, timeout: { round: e.round, step: 'prevote' } };
    if (e.step === 'propose' && e.round > 0) return { ...base, timeout: { round: e.round - 1, step: 'precommit' } };
    return base;
  }
  if (e.reason === 'round_skip') return { ...base, skippedTo: true };
  return e.step === 'propose' ? base : null;
}

export function batchSize(b: IndexBatch): number {
  return (
    b.blocks.length +
    b.canonical.reduce((n, c) => n + c.hashes.length + 1, 0) +
    b.heads.length +
    b.peerEvents.length +
    b.healthSamples.length +
    b.cursors.length +
    b.rounds.length +
    b.evidence.length +
    b.receipts.length
  );
}
