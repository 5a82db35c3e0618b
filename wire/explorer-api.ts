// The contract between the control plane's JSON API (server/api) and the explorer (app/):
// response shapes of every /api endpoint, as zod schemas (the route table in
// wire/server-routes.ts documents them in the OpenAPI document) with the same type names as
// before via z.infer. zod only, so pages can import them without pulling server code into the
// browser bundle. The server does not validate its answers at run time (speed); tests do.
import { z } from 'zod';
import { ErrorBodySchema } from './http/errors.ts';
import { ConsensusRoundStateSchema, ConsensusStatusSchema } from './node-api.ts';
import { EvidenceRecordSchema } from './bft.ts';

const HeadAt = z.object({ height: z.number(), hash: z.string() });

export const NodeSyncStatusSchema = z.enum(['in-sync', 'behind', 'diverged', 'stalled', 'down']);
export type NodeSyncStatus = z.infer<typeof NodeSyncStatusSchema>;

export const NodeStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  source: z.enum(['local', 'attached']),
  status: NodeSyncStatusSchema,
  /** Why the status is what it is, in words (e.g. "no /health answer for 6 s"). */
  statusReason: z.string().nullable(),
  height: z.number().nullable(),
  headHash: z.string().nullable(),
  /** Blocks behind the best head any node reports. */
  lag: z.number().nullable(),
  peers: z.number().nullable(),
  /** When this node last moved its head (ms since epoch). */
  lastHeadAt: z.number().nullable(),
  nodeHealth: z.enum(['ok', 'degraded']).nullable(),
  healthReasons: z.array(z.string()),
  validator: z.boolean(),
  /**
   * True: the node serves only a health JSON (attached as `health+…`): its height and head
   * hash are polled; it has no blocks, peers or stream to read. Absent: a fully followed node.
   */
  healthOnly: z.boolean().optional(),
});
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export const BlockSummarySchema = z.object({
  hash: z.string(),
  height: z.number(),
  parentHash: z.string(),
  proposer: z.string(),
  /** Name of the node whose key proposed the block, when known. */
  proposerName: z.string().nullable(),
  timestamp: z.number(),
  txCount: z.number(),
  sizeBytes: z.number(),
  firstSeenAt: z.number(),
  firstSeenBy: z.string().nullable(),
  /** Ids of the nodes whose current canonical chain holds this block. */
  nodes: z.array(z.string()),
  /** True when no node's canonical chain holds it any more (orphaned fork block). */
  orphaned: z.boolean(),
});
export type BlockSummary = z.infer<typeof BlockSummarySchema>;

export const BlocksResponseSchema = z.object({
  blocks: z.array(BlockSummarySchema),
  /** Pass as `before` to get the next (older) page; null at genesis. */
  nextBefore: z.number().nullable(),
});
export type BlocksResponse = z.infer<typeof BlocksResponseSchema>;

export const TxSummarySchema = z.object({
  hash: z.string(),
  blockHash: z.string(),
  blockHeight: z.number(),
  index: z.number(),
  from: z.string(),
  to: z.string(),
  amount: z.string(),
  nonce: z.number(),
  timestamp: z.number(),
});
export type TxSummary = z.infer<typeof TxSummarySchema>;

/** BFT: the commit certificate a block was decided with, as the indexer first saw it. */
export const BlockCommitSchema = z.object({
  /** The round in which the block was decided (0 when the first proposal won). */
  round: z.number(),
  /** The validators whose precommits make up the commit, with their node's name when known. */
  signers: z.array(z.object({ publicKey: z.string(), name: z.string().nullable() })),
  signatures: z.number(),
  /** Validators the control plane knows of; absent when it knows fewer than signed. */
  validators: z.number().optional(),
  /** Signatures needed to commit, floor(2n/3) + 1 of those validators; absent with `validators`. */
  quorum: z.number().optional(),
  /** From the block's timestamp to the first time the indexer saw it committed (ms; can be 0). */
  finalizedAfterMs: z.number(),
});
export type BlockCommit = z.infer<typeof BlockCommitSchema>;

/** One node's receipt of one block: when it accepted the block, relative to the first node that did. */
export const BlockReceiptViewSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  /** When the node accepted the block (Unix ms, sub-ms precision); null: no receipt on record. */
  acceptedAt: z.number().nullable(),
  /** acceptedAt minus the earliest receipt of the block (0 for the first node); null without a receipt. */
  afterFirstMs: z.number().nullable(),
  /**
   * The node's current chain holds the block. Without a receipt: true means it got the block
   * by catching up (backfill, no acceptance time on record), false that it never received it.
   */
  holds: z.boolean(),
});
export type BlockReceiptView = z.infer<typeof BlockReceiptViewSchema>;

export const BlockDetailSchema = BlockSummarySchema.extend({
  txRoot: z.string(),
  signature: z.string(),
  slot: z.number(),
  txs: z.array(TxSummarySchema),
  /** Known children: more than one when the chain forked here. */
  children: z.array(BlockSummarySchema),
  /** Other blocks at the same height (forks). */
  siblings: z.array(BlockSummarySchema),
  /** BFT: the commit that decided the block; null on PoA (and for a BFT block indexed without one). */
  commit: BlockCommitSchema.nullable(),
  /** When each node received the block (the block page's propagation bars): every followed node, earliest first, nodes with no receipt last. */
  receipts: z.array(BlockReceiptViewSchema),
});
export type BlockDetail = z.infer<typeof BlockDetailSchema>;

export const BlockResponseSchema = z.object({ block: BlockDetailSchema });
export type BlockResponse = z.infer<typeof BlockResponseSchema>;

export const NetworkConsensusSchema = z.object({
  /** 'halted' only on a BFT network: no node finalized a block for a while (see `reason`). */
  status: z.enum(['agreed', 'forked', 'stalled', 'halted', 'unknown']),
  /** Highest height on which every reachable node agrees. */
  agreedHeight: z.number().nullable(),
  /** Lowest height at which reachable nodes disagree. */
  forkHeight: z.number().optional(),
  /** Node ids grouped by the branch they follow. */
  groups: z.array(z.array(z.string())).optional(),
  /** When the network entered the current status (ms). */
  since: z.number().optional(),
  /** The last time the network went from forked back to agreed. */
  lastConvergence: z.object({ forkedAt: z.number(), agreedAt: z.number(), ms: z.number(), height: z.number().nullable() }).optional(),
  /** The consensus engine the nodes report ('poa', 'bft'); absent until a node reports one. */
  engine: z.string().optional(),
  /** BFT: the highest height finalized by every reachable node (null until they report it); absent on PoA. */
  finalizedHeight: z.number().nullable().optional(),
  /** Why the status is what it is, in words (set for 'halted'). */
  reason: z.string().optional(),
  /** BFT: the validator set against the quorum (set for 'halted'). */
  validators: z
    .object({
      total: z.number(),
      reachable: z.number(),
      /** Votes needed to finalize: floor(2n/3) + 1. */
      quorum: z.number(),
      /** Ids of the validators that do not answer. */
      missing: z.array(z.string()),
      /** Validators that answer but lack others' votes in their current round (a partition between nodes): per node id, the ids it does not hear. */
      missingVotes: z.array(z.object({ nodeId: z.string(), missing: z.array(z.string()) })).optional(),
    })
    .optional(),
});
export type NetworkConsensus = z.infer<typeof NetworkConsensusSchema>;

/**
 * Every node's status and the network verdict from ONE evaluation of the monitor, so a page
 * showing rows, their lag and the banner shows one moment (issue 16: rows said 63 while the
 * lag said 1 and the banner 62, each from another push). Also the `nodes:update` push.
 */
export const NodesResponseSchema = z.object({
  nodes: z.array(NodeStatusSchema),
  /** The verdict computed with `nodes` (the same as /api/health's `network` at that moment). */
  network: NetworkConsensusSchema,
  /** The evaluation's number: higher is newer. Starts from the clock (ms × 1000), so it grows across restarts and leaders. */
  seq: z.number(),
});
export type NodesResponse = z.infer<typeof NodesResponseSchema>;

/** A control-plane replica of a cluster (CLUSTER=1): which one answered, and which one leads. */
export const ReplicaStatusSchema = z.object({
  id: z.string(),
  role: z.enum(['leader', 'follower']),
  /** null while no replica leads (the leader died; another takes over within seconds). */
  leader: z.object({ id: z.string(), url: z.string() }).nullable(),
});
export type ReplicaStatus = z.infer<typeof ReplicaStatusSchema>;

/**
 * The stale rate: of the blocks at the last `heights` heights (heights some node's chain
 * covers), the share that no node's current chain holds (blocks that lost a fork). Fork
 * blocks still held by a node while the network is split are not stale yet.
 */
export const StaleRateSchema = z.object({
  /** The window asked for: the last this many heights, up to the highest indexed block. */
  heights: z.number(),
  fromHeight: z.number().nullable(),
  toHeight: z.number().nullable(),
  /** Blocks in the window. */
  blocks: z.number(),
  /** Of those, blocks on no node's chain. */
  stale: z.number(),
  /** stale / blocks; null when the window holds no block. */
  rate: z.number().nullable(),
});
export type StaleRate = z.infer<typeof StaleRateSchema>;

export const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  server: z.object({ uptimeSec: z.number(), version: z.string() }),
  database: z.object({ ok: z.boolean(), error: z.string().nullable() }),
  network: NetworkConsensusSchema,
  /** Only on a replica of a cluster (absent for a lone process). */
  replica: ReplicaStatusSchema.optional(),
  /** Stale blocks over the last heights (see StaleRateSchema); null when it could not be read (database down). */
  staleRate: StaleRateSchema.nullable().optional(),
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

/** The error body of every /api answer (wire/http/errors.ts). */
export const ApiErrorBodySchema = ErrorBodySchema;
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

// ---- transactions, search ---------------------------------------------------------------

export const TxDetailSchema = TxSummarySchema.extend({
  signature: z.string(),
  /** Every indexed block that includes this transaction (more than one across forks). */
  inBlocks: z.array(BlockSummarySchema),
  /** True when a block on some node's canonical chain includes it. */
  canonical: z.boolean(),
});
export type TxDetail = z.infer<typeof TxDetailSchema>;

export const TxResponseSchema = z.object({ tx: TxDetailSchema });
export type TxResponse = z.infer<typeof TxResponseSchema>;

/** GET /api/search?q= : where a hash, a height or a node name leads. */
export const SearchResponseSchema = z.object({
  query: z.string(),
  result: z.object({ kind: z.enum(['block', 'tx', 'node', 'account']), id: z.string(), path: z.string(), label: z.string() }).nullable(),
  /** An address prefix several accounts share: the first few of them, in address order (`result` is the first). */
  matches: z.array(z.object({ kind: z.literal('account'), id: z.string(), path: z.string(), label: z.string() })).optional(),
});
export type SearchResponse = z.infer<typeof SearchResponseSchema>;

// ---- forks ----------------------------------------------------------------------------------

export const ForkBlockSchema = z.object({
  hash: z.string(),
  parentHash: z.string(),
  height: z.number(),
  proposerName: z.string().nullable(),
  timestamp: z.number(),
  txCount: z.number(),
  firstSeenAt: z.number(),
  /** Nodes whose chain (as of `at`) holds this block. */
  nodes: z.array(z.string()),
  /** No node's chain (as of `at`) holds it. */
  orphaned: z.boolean(),
  /** BFT: the block is final (its commit was seen by `at`, or a node's finalized tip descends from it); absent on PoA. */
  finalized: z.boolean().optional(),
});
export type ForkBlock = z.infer<typeof ForkBlockSchema>;

export const NodeTipSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  hash: z.string(),
  height: z.number(),
  /** When the node moved to this tip. */
  since: z.number(),
});
export type NodeTip = z.infer<typeof NodeTipSchema>;

export const ReorgRecordSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  at: z.number(),
  depth: z.number(),
  oldHead: HeadAt.nullable(),
  newHead: HeadAt,
  commonAncestor: HeadAt.nullable(),
});
export type ReorgRecord = z.infer<typeof ReorgRecordSchema>;

/** GET /api/forks?from=&to=&at= : the block tree of a height range as of time `at`. */
export const ForksResponseSchema = z.object({
  from: z.number(),
  to: z.number(),
  /** The moment the tree and tips describe (ms); now when not asked. */
  at: z.number(),
  blocks: z.array(ForkBlockSchema),
  tips: z.array(NodeTipSchema),
  /** Blocks with more than one child in the range: where branches split. */
  forkPoints: z.array(z.string()),
  reorgs: z.array(ReorgRecordSchema),
  /** Earliest head event on record, for the time slider's lower bound. */
  historyStart: z.number().nullable(),
  /**
   * BFT: each node's finalized tip: the newest block on its chain whose commit was seen by
   * `at` (for the tree of now, the tip its /health reports when that is higher); absent on PoA.
   */
  finality: z.array(z.object({ nodeId: z.string(), name: z.string(), hash: z.string(), height: z.number() })).optional(),
});
export type ForksResponse = z.infer<typeof ForksResponseSchema>;

/** GET /api/forks/point?a=&b= : where two nodes' chains split. */
export const ForkPointResponseSchema = z.object({
  a: z.string(),
  b: z.string(),
  /** Highest common block; null when they share nothing indexed. */
  commonAncestor: HeadAt.nullable(),
  /** True when one chain contains the other's head (no fork, just lag). */
  sameBranch: z.boolean(),
});
export type ForkPointResponse = z.infer<typeof ForkPointResponseSchema>;

// ---- alerts, events -------------------------------------------------------------------------

export const AlertRecordSchema = z.object({
  id: z.number(),
  /** 'divergence' | 'stall' | 'node-down' | 'deep-reorg', or a newer kind. */
  kind: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  nodeId: z.string().nullable(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
  raisedAt: z.number(),
  clearedAt: z.number().nullable(),
});
export type AlertRecord = z.infer<typeof AlertRecordSchema>;

export const AlertsResponseSchema = z.object({ alerts: z.array(AlertRecordSchema) });
export type AlertsResponse = z.infer<typeof AlertsResponseSchema>;

export const NetworkEventKindSchema = z.enum(['head', 'reorg', 'peer', 'alert', 'chaos', 'convergence']);

/** One line of the live event feed. */
export const NetworkEventSchema = z.object({
  id: z.string(),
  at: z.number(),
  kind: NetworkEventKindSchema,
  nodeId: z.string().nullable(),
  message: z.string(),
});
export type NetworkEvent = z.infer<typeof NetworkEventSchema>;

export const EventsResponseSchema = z.object({ events: z.array(NetworkEventSchema) });
export type EventsResponse = z.infer<typeof EventsResponseSchema>;

// ---- nodes: history, peers ------------------------------------------------------------------

export const HeightSeriesSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  /** [ms, height] pairs, oldest first. */
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type HeightSeries = z.infer<typeof HeightSeriesSchema>;

/** GET /api/nodes/heights?window=5m|1h|all&points= (or the older ?minutes=) */
export const HeightsResponseSchema = z.object({
  since: z.number(),
  series: z.array(HeightSeriesSchema),
  /**
   * Engines with finality (BFT): the highest finalized height over time, [ms, height] pairs,
   * oldest first (a height counts from the moment the indexer first saw its commit). Absent on PoA.
   */
  finalized: z.array(z.tuple([z.number(), z.number()])).optional(),
  /**
   * Width in ms of the time buckets the server folded the heads into (each bucket keeps its
   * highest height, placed at the bucket's start): 1 s for short windows, wider for long ones
   * so a series never holds more points than were asked for. Absent from older servers.
   */
  bucketMs: z.number().optional(),
});
export type HeightsResponse = z.infer<typeof HeightsResponseSchema>;

/** The height chart's time windows: the last 5 minutes, the last hour, or everything indexed. */
export const HEIGHT_WINDOWS = ['5m', '1h', 'all'] as const;
export const HeightWindowSchema = z.enum(HEIGHT_WINDOWS);
export type HeightWindow = z.infer<typeof HeightWindowSchema>;
/** A window's length in ms; null for 'all' (from the first indexed head). */
export const HEIGHT_WINDOW_MS: Readonly<Record<HeightWindow, number | null>> = { '5m': 5 * 60_000, '1h': 60 * 60_000, all: null };
/** Most points a height series may be asked for (about one per pixel column of a wide chart). */
export const MAX_HEIGHT_POINTS = 4_000;

export const HealthPointSchema = z.object({
  at: z.number(),
  height: z.number(),
  peers: z.number(),
  status: z.string(),
  reasons: z.array(z.string()),
  clockOffsetMs: z.number(),
  paused: z.boolean(),
});
export type HealthPoint = z.infer<typeof HealthPointSchema>;

export const HeadPointSchema = z.object({
  at: z.number(),
  height: z.number(),
  hash: z.string(),
  reorgDepth: z.number(),
  oldHead: HeadAt.nullable(),
});
export type HeadPoint = z.infer<typeof HeadPointSchema>;

export const PeerLinkInfoSchema = z.object({
  /** The node reporting the link. */
  nodeId: z.string(),
  /** The remote node, when the handshake identified it. */
  peerId: z.string().nullable(),
  peerName: z.string().nullable(),
  address: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  state: z.string(),
  rttMs: z.number().nullable(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  messagesIn: z.number(),
  messagesOut: z.number(),
  errors: z.number(),
  score: z.number(),
  connectedSince: z.number().nullable(),
  lastReconnectReason: z.string().nullable(),
  /** Active chaos faults on this link, in words (e.g. "partition #3", "latency 200±50 ms #4"). */
  faults: z.array(z.string()),
  /** Those of `faults` that stop all traffic on the link (a partition, 100 % loss): it is blocked,
   *  whatever its state says (a partition drops pings too, so the socket reconnects and times out). */
  blockedBy: z.array(z.string()).optional(),
  /** Ms since the link last delivered a message or pong to the reporting node (null: nothing yet). */
  silentMs: z.number().nullable().optional(),
  /** The link carried traffic within two keep-alive periods: only these count as the node's peers. */
  carrying: z.boolean().optional(),
});
export type PeerLinkInfo = z.infer<typeof PeerLinkInfoSchema>;

/** GET /api/nodes/:id */
export const NodeDetailResponseSchema = z.object({
  node: NodeStatusSchema,
  health: z.array(HealthPointSchema),
  heads: z.array(HeadPointSchema),
  peers: z.array(PeerLinkInfoSchema),
  alerts: z.array(AlertRecordSchema),
  /** This node's recent reorgs (kept apart from `heads`, which a fast chain scrolls past). */
  reorgs: z.array(ReorgRecordSchema),
});
export type NodeDetailResponse = z.infer<typeof NodeDetailResponseSchema>;

/** GET /api/peers : every node's view of its links, for the peer graph. */
export const PeersResponseSchema = z.object({
  links: z.array(PeerLinkInfoSchema),
  /** When the server last read each node's /peers (ms). */
  polledAt: z.number().nullable(),
});
export type PeersResponse = z.infer<typeof PeersResponseSchema>;

// ---- consensus (GET /api/consensus) ---------------------------------------------------------

/** A validator of the network: its key, and the node that holds it when the node is one we follow. */
export const ConsensusValidatorSchema = z.object({
  publicKey: z.string(),
  name: z.string().nullable(),
  nodeId: z.string().nullable(),
});
export type ConsensusValidator = z.infer<typeof ConsensusValidatorSchema>;

/** One followed node's GET /consensus, or why it could not be read. */
export const ConsensusNodeViewSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  status: ConsensusStatusSchema.nullable(),
  /** The round state of the height the node is deciding; null on PoA, before start, or on error. */
  roundState: ConsensusRoundStateSchema.nullable(),
  /** Why the node's consensus state is missing (timeout, unreachable, bad answer); null when read. */
  error: z.string().nullable(),
});
export type ConsensusNodeView = z.infer<typeof ConsensusNodeViewSchema>;

/** A recently decided height, from the indexed commits. */
export const DecidedHeightSchema = z.object({
  height: z.number(),
  hash: z.string(),
  round: z.number(),
  signers: z.number(),
  /** Header timestamp to the first time the indexer saw the commit (ms, at least 0). */
  finalizedAfterMs: z.number(),
  committedAt: z.number(),
});
export type DecidedHeight = z.infer<typeof DecidedHeightSchema>;

/** GET /api/consensus: the rounds, votes and evidence of the network, read live from every node. */
export const ConsensusResponseSchema = z.object({
  /** The engine the nodes report ('poa', 'bft'); null when no node answered. */
  engine: z.string().nullable(),
  /** When the nodes were asked (ms). */
  readAt: z.number(),
  /** In the engine's order (the genesis order of the round state's vote lists). */
  validators: z.array(ConsensusValidatorSchema),
  nodes: z.array(ConsensusNodeViewSchema),
  /** Equivocation evidence from every node, one record per offence (by hash), newest first. */
  evidence: z.array(EvidenceRecordSchema),
  /** The last decided heights, newest first (empty on PoA: it has no commits). */
  heights: z.array(DecidedHeightSchema),
  /**
   * The newest indexed commit with its signers' keys: how the last height was decided. A
   * height's votes are all in within moments of its proposal, so between blocks the current
   * height's vote grid is empty and this is what there is to see. Null on PoA.
   */
  lastCommit: z.object({ height: z.number(), hash: z.string(), round: z.number(), signers: z.array(z.string()) }).nullable(),
});
export type ConsensusResponse = z.infer<typeof ConsensusResponseSchema>;

// ---- accounts -------------------------------------------------------------------------------

/** One node's view of an account, as of that node's canonical head (GET /accounts/{address} on the node). */
export const AccountNodeViewSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  /**
   * 'reported': the node answered; 'not-reported': the node has no account endpoint (an
   * attached node of an older version); 'unreachable': no answer within the deadline (down,
   * paused, partitioned from the control plane).
   */
  status: z.enum(['reported', 'not-reported', 'unreachable']),
  /** The head the balance and nonce are read at; null unless reported. */
  head: z.object({ height: z.number(), hash: z.string() }).nullable(),
  balance: z.number().nullable(),
  nonce: z.number().nullable(),
  /** Why there is no reading, in words; null when reported. */
  error: z.string().nullable(),
  /** Reported, and its balance or nonce differs from what most reporting nodes say. */
  differs: z.boolean(),
});
export type AccountNodeView = z.infer<typeof AccountNodeViewSchema>;

/** Indexed inclusions, counted up to a cap (an index-only scan stays short for the busiest sender). */
export const AccountActivitySchema = z.object({
  /** Inclusions of transactions it sent (a transaction in two fork blocks counts twice). */
  sent: z.number(),
  received: z.number(),
  /** Counts stop here: `sent` or `received` equal to it means "at least". */
  countCap: z.number(),
  /** The highest block with one of its transactions; null when none is indexed. */
  lastHeight: z.number().nullable(),
});

export const AccountSchema = z.object({
  address: z.string(),
  /** The nodes whose key this address is (a validator's or node's own account). */
  nodeNames: z.array(z.string()),
  /** Every followed node, by name. */
  nodes: z.array(AccountNodeViewSchema),
  /** Whether the reporting nodes agree on balance and nonce: 'unknown' when fewer than one reported. */
  agreement: z.enum(['agree', 'differ', 'unknown']),
  activity: AccountActivitySchema,
  /** When the nodes were asked (ms). */
  readAt: z.number(),
});
export type Account = z.infer<typeof AccountSchema>;
export const AccountResponseSchema = z.object({ account: AccountSchema });
export type AccountResponse = z.infer<typeof AccountResponseSchema>;

/** One inclusion of a transaction the account sent or received: the same transaction in two fork blocks is two rows. */
export const AccountTxSchema = TxSummarySchema.extend({
  /** 'self': sent to itself. */
  direction: z.enum(['out', 'in', 'self']),
  /** Nodes whose canonical chain holds the including block. */
  nodes: z.array(z.string()),
  /** The including block is on no node's chain, though some chain covers its height (as BlockSummary.orphaned). */
  orphaned: z.boolean(),
});
export type AccountTx = z.infer<typeof AccountTxSchema>;
export const AccountTxsResponseSchema = z.object({
  /** Newest first: by block height, then block hash and position, descending. */
  txs: z.array(AccountTxSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type AccountTxsResponse = z.infer<typeof AccountTxsResponseSchema>;

// ---- propagation (block page bars, GET /api/propagation) ----------------------------------

/** Lateness of one node over the window: its receipt minus each block's first receipt (0 when it was first). */
export const NodeLatenessSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  /** Blocks of the window this node has a receipt for. */
  received: z.number(),
  /** Blocks it received before every other node (it proposed them, usually). */
  first: z.number(),
  /** null when it received none. */
  medianMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
  maxMs: z.number().nullable(),
});
export type NodeLateness = z.infer<typeof NodeLatenessSchema>;

/** One bar of the propagation histogram: receipts whose delay after the block's first receipt is in [fromMs, toMs). */
export const PropagationBucketSchema = z.object({
  fromMs: z.number(),
  /** null: the open last bucket (fromMs and above). */
  toMs: z.number().nullable(),
  count: z.number(),
});
export type PropagationBucket = z.infer<typeof PropagationBucketSchema>;

/** GET /api/propagation?blocks=N : how fast the last N blocks reached every node, and the stale rate over as many heights. */
export const PropagationResponseSchema = z.object({
  /** The window asked for: the last this many blocks that have a receipt (highest heights first, fork blocks included). */
  window: z.number(),
  /** Blocks found in it (fewer on a young chain). */
  blocks: z.number(),
  fromHeight: z.number().nullable(),
  toHeight: z.number().nullable(),
  /** Every receipt but each block's first: the delay from the first node's receipt to each other node's. */
  histogram: z.array(PropagationBucketSchema),
  /** Followed nodes, by name. */
  nodes: z.array(NodeLatenessSchema),
  stale: StaleRateSchema,
});
export type PropagationResponse = z.infer<typeof PropagationResponseSchema>;

// ---- fork overview (issue 16) ---------------------------------------------------------------

/**
 * GET /api/forks/overview : where the forks are over every indexed height, compact enough for
 * thousands of heights (the strip above the block tree, and its previous/next fork buttons).
 */
export const ForkOverviewResponseSchema = z.object({
  /** Lowest and highest indexed height; null when no block is indexed yet. */
  minHeight: z.number().nullable(),
  maxHeight: z.number().nullable(),
  /** [height, blocks beyond the first at that height]: the competing (stale or side) blocks, heights ascending. */
  sideBlocks: z.array(z.tuple([z.number(), z.number()])),
  /** Heights of the blocks with more than one child (where the chain split), ascending. */
  forkHeights: z.array(z.number()),
  /** True when only the newest heights with forks are listed (more than the answer's cap). */
  truncated: z.boolean(),
});
export type ForkOverviewResponse = z.infer<typeof ForkOverviewResponseSchema>;
