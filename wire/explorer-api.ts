// The contract between the control plane's JSON API (server/api) and the explorer (app/):
// response shapes of every /api endpoint. Plain types only, so pages can import them
// without pulling any server code into the browser bundle.

export type NodeSyncStatus = 'in-sync' | 'behind' | 'diverged' | 'stalled' | 'down';

export interface NodeStatus {
  id: string;
  name: string;
  url: string;
  source: 'local' | 'attached';
  status: NodeSyncStatus;
  /** Why the status is what it is, in words (e.g. "no /health answer for 6 s"). */
  statusReason: string | null;
  height: number | null;
  headHash: string | null;
  /** Blocks behind the best head any node reports. */
  lag: number | null;
  peers: number | null;
  /** When this node last moved its head (ms since epoch). */
  lastHeadAt: number | null;
  nodeHealth: 'ok' | 'degraded' | null;
  healthReasons: string[];
  validator: boolean;
}

export interface NodesResponse {
  nodes: NodeStatus[];
}

export interface BlockSummary {
  hash: string;
  height: number;
  parentHash: string;
  proposer: string;
  /** Name of the node whose key proposed the block, when known. */
  proposerName: string | null;
  timestamp: number;
  txCount: number;
  sizeBytes: number;
  firstSeenAt: number;
  firstSeenBy: string | null;
  /** Ids of the nodes whose current canonical chain holds this block. */
  nodes: string[];
  /** True when no node's canonical chain holds it any more (orphaned fork block). */
  orphaned: boolean;
}

export interface BlocksResponse {
  blocks: BlockSummary[];
  /** Pass as `before` to get the next (older) page; null at genesis. */
  nextBefore: number | null;
}

export interface TxSummary {
  hash: string;
  blockHash: string;
  blockHeight: number;
  index: number;
  from: string;
  to: string;
  amount: string;
  nonce: number;
  timestamp: number;
}

export interface BlockDetail extends BlockSummary {
  txRoot: string;
  signature: string;
  slot: number;
  txs: TxSummary[];
  /** Known children: more than one when the chain forked here. */
  children: BlockSummary[];
  /** Other blocks at the same height (forks). */
  siblings: BlockSummary[];
}

export interface BlockResponse {
  block: BlockDetail;
}

export interface NetworkConsensus {
  status: 'agreed' | 'forked' | 'stalled' | 'unknown';
  /** Highest height on which every reachable node agrees. */
  agreedHeight: number | null;
  /** Lowest height at which reachable nodes disagree. */
  forkHeight?: number;
  /** Node ids grouped by the branch they follow. */
  groups?: string[][];
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  server: { uptimeSec: number; version: string };
  database: { ok: boolean; error: string | null };
  network: NetworkConsensus;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
