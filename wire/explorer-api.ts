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
  /** When the network entered the current status (ms). */
  since?: number;
  /** The last time the network went from forked back to agreed. */
  lastConvergence?: { forkedAt: number; agreedAt: number; ms: number; height: number | null };
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

// ---- transactions, search ---------------------------------------------------------------

export interface TxDetail extends TxSummary {
  signature: string;
  /** Every indexed block that includes this transaction (more than one across forks). */
  inBlocks: BlockSummary[];
  /** True when a block on some node's canonical chain includes it. */
  canonical: boolean;
}

export interface TxResponse {
  tx: TxDetail;
}

/** GET /api/search?q= : where a hash, a height or a node name leads. */
export interface SearchResponse {
  query: string;
  result: { kind: 'block' | 'tx' | 'node'; id: string; path: string; label: string } | null;
}

// ---- forks ----------------------------------------------------------------------------------

export interface ForkBlock {
  hash: string;
  parentHash: string;
  height: number;
  proposerName: string | null;
  timestamp: number;
  txCount: number;
  firstSeenAt: number;
  /** Nodes whose chain (as of `at`) holds this block. */
  nodes: string[];
  /** No node's chain (as of `at`) holds it. */
  orphaned: boolean;
}

export interface NodeTip {
  nodeId: string;
  name: string;
  hash: string;
  height: number;
  /** When the node moved to this tip. */
  since: number;
}

export interface ReorgRecord {
  nodeId: string;
  name: string;
  at: number;
  depth: number;
  oldHead: { height: number; hash: string } | null;
  newHead: { height: number; hash: string };
  commonAncestor: { height: number; hash: string } | null;
}

/** GET /api/forks?from=&to=&at= : the block tree of a height range as of time `at`. */
export interface ForksResponse {
  from: number;
  to: number;
  /** The moment the tree and tips describe (ms); now when not asked. */
  at: number;
  blocks: ForkBlock[];
  tips: NodeTip[];
  /** Blocks with more than one child in the range: where branches split. */
  forkPoints: string[];
  reorgs: ReorgRecord[];
  /** Earliest head event on record, for the time slider's lower bound. */
  historyStart: number | null;
}

/** GET /api/forks/point?a=&b= : where two nodes' chains split. */
export interface ForkPointResponse {
  a: string;
  b: string;
  /** Highest common block; null when they share nothing indexed. */
  commonAncestor: { height: number; hash: string } | null;
  /** True when one chain contains the other's head (no fork, just lag). */
  sameBranch: boolean;
}

// ---- alerts, events -------------------------------------------------------------------------

export interface AlertRecord {
  id: number;
  kind: 'divergence' | 'stall' | 'node-down' | 'deep-reorg' | string;
  severity: 'info' | 'warning' | 'critical';
  nodeId: string | null;
  message: string;
  details: Record<string, unknown>;
  raisedAt: number;
  clearedAt: number | null;
}

export interface AlertsResponse {
  alerts: AlertRecord[];
}

/** One line of the live event feed. */
export interface NetworkEvent {
  id: string;
  at: number;
  kind: 'head' | 'reorg' | 'peer' | 'alert' | 'chaos' | 'convergence';
  nodeId: string | null;
  message: string;
}

export interface EventsResponse {
  events: NetworkEvent[];
}

// ---- nodes: history, peers ------------------------------------------------------------------

export interface HeightSeries {
  nodeId: string;
  name: string;
  /** [ms, height] pairs, oldest first. */
  points: Array<[number, number]>;
}

/** GET /api/nodes/heights?minutes= */
export interface HeightsResponse {
  since: number;
  series: HeightSeries[];
}

export interface HealthPoint {
  at: number;
  height: number;
  peers: number;
  status: string;
  reasons: string[];
  clockOffsetMs: number;
  paused: boolean;
}

export interface HeadPoint {
  at: number;
  height: number;
  hash: string;
  reorgDepth: number;
  oldHead: { height: number; hash: string } | null;
}

export interface PeerLinkInfo {
  /** The node reporting the link. */
  nodeId: string;
  /** The remote node, when the handshake identified it. */
  peerId: string | null;
  peerName: string | null;
  address: string;
  direction: 'inbound' | 'outbound';
  state: string;
  rttMs: number | null;
  bytesIn: number;
  bytesOut: number;
  messagesIn: number;
  messagesOut: number;
  errors: number;
  score: number;
  connectedSince: number | null;
  lastReconnectReason: string | null;
  /** Active chaos faults on this link, in words (e.g. "partition #3", "latency 200±50 ms #4"). */
  faults: string[];
}

/** GET /api/nodes/:id */
export interface NodeDetailResponse {
  node: NodeStatus;
  health: HealthPoint[];
  heads: HeadPoint[];
  peers: PeerLinkInfo[];
  alerts: AlertRecord[];
  /** This node's recent reorgs (kept apart from `heads`, which a fast chain scrolls past). */
  reorgs: ReorgRecord[];
}

/** GET /api/peers : every node's view of its links, for the peer graph. */
export interface PeersResponse {
  links: PeerLinkInfo[];
  /** When the server last read each node's /peers (ms). */
  polledAt: number | null;
}
