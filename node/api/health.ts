// Builds the /health answer and decides ok vs degraded, with a reason for each problem.
import type { ChaosState, ConsensusStatus, Health, HeadRef, NodeIdentity, StorageRepair } from '../../wire/node-api.ts';
import type { ConsensusEngine } from '../consensus/engine.ts';

/** What /health says of consensus, read from the engine: its finality and its status. */
export function consensusHealth(engine: Pick<ConsensusEngine, 'finalized' | 'status'>): {
  finalized_height: number | null;
  finalized_hash: string | null;
  consensus: ConsensusStatus;
} {
  const f = engine.finalized();
  return { finalized_height: f?.height ?? null, finalized_hash: f?.hash ?? null, consensus: engine.status() };
}

export interface HealthInputs {
  node: NodeIdentity;
  chainId: string;
  genesisHash: string;
  startedAt: number;
  head: HeadRef;
  headTimestamp: number;
  blockTimeMs: number;
  now: number;
  peers: { connected: number; inbound: number; outbound: number; carrying?: number };
  configuredPeers: number;
  p2p: { listening: boolean; error: string | null };
  sync: { state: 'idle' | 'syncing'; targetHeight: number | null };
  chaos: ChaosState;
  engine: Pick<ConsensusEngine, 'finalized' | 'status'>;
  /** The block log's repair at start, if any: shown, not a reason to be degraded (sync fills the gap). */
  storageRepair: StorageRepair | null;
}

export function buildHealth(i: HealthInputs): Health {
  const reasons: string[] = [];
  if (!i.p2p.listening) reasons.push(`p2p listener not serving${i.p2p.error ? `: ${i.p2p.error}` : ''}`);
  if (i.configuredPeers > 0 && i.peers.connected === 0) reasons.push(`no connected peers (${i.configuredPeers} configured)`);
  if (i.chaos.paused) reasons.push('paused by admin');
  const stallMs = Math.max(10 * i.blockTimeMs, 10_000);
  const behind = i.now - i.headTimestamp;
  if (behind > stallMs) reasons.push(`head is ${Math.round(behind / 1000)} s old (no new block for over ${Math.round(stallMs / 1000)} s)`);
  const { finalized_height, finalized_hash, consensus } = consensusHealth(i.engine);
  return {
    status: reasons.length === 0 ? 'ok' : 'degraded',
    reasons,
    node: i.node,
    chainId: i.chainId,
    genesisHash: i.genesisHash,
    uptimeSec: Math.round((Date.now() - i.startedAt) / 1000),
    blockchain: { height: i.head.height, latest_block_hash: i.head.hash, latest_block_time: i.headTimestamp, finalized_height, finalized_hash },
    consensus,
    peers: i.peers,
    p2p: i.p2p,
    sync: i.sync,
    clockOffsetMs: i.chaos.clockOffsetMs,
    paused: i.chaos.paused,
    blockTimeMs: i.blockTimeMs,
    storage: { lastRepair: i.storageRepair },
  };
}
