// What the indexer writes, as plain data: one batch = everything queued since the last
// flush, applied in one database transaction so a crash never leaves half of it.
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

export interface IndexBatch {
  blocks: BlockSighting[];
  canonical: CanonicalUpdate[];
  heads: HeadChange[];
  peerEvents: PeerEventRecord[];
  healthSamples: HealthRecord[];
  cursors: StreamCursor[];
}

export function emptyBatch(): IndexBatch {
  return { blocks: [], canonical: [], heads: [], peerEvents: [], healthSamples: [], cursors: [] };
}

export function batchSize(b: IndexBatch): number {
  return b.blocks.length + b.canonical.reduce((n, c) => n + c.hashes.length + 1, 0) + b.heads.length + b.peerEvents.length + b.healthSamples.length + b.cursors.length;
}
