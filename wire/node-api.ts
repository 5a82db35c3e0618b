// The contract between a node daemon and anything that reads it (the control plane,
// scripts, tests): block and transaction JSON, /health, /peers, and the /stream events.
// Both ends import these schemas, so a field renamed here is renamed everywhere.
import { z } from 'zod';

import { CommitSchema, EvidenceRecordSchema, MAX_LISTED_EVIDENCE, MisbehaviourSchema } from './bft.ts';
import { Hash, Int, PositiveInt, PublicKey, Signature, UInt } from './primitives.ts';

export { Hash, PublicKey, Signature };

export const TxSchema = z.object({
  hash: Hash,
  from: PublicKey,
  to: PublicKey,
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  nonce: UInt,
  timestamp: UInt,
  signature: Signature,
});
export type Tx = z.infer<typeof TxSchema>;

export const BlockHeaderSchema = z.object({
  chainId: z.string().min(1).max(64),
  height: UInt,
  parentHash: Hash,
  /** Unix ms; for round-robin PoA it is slot * blockTimeMs. */
  timestamp: UInt,
  slot: UInt,
  proposer: PublicKey,
  txRoot: Hash,
});
export type BlockHeader = z.infer<typeof BlockHeaderSchema>;

export const BlockSchema = z.object({
  hash: Hash,
  header: BlockHeaderSchema,
  txs: z.array(TxSchema).max(10_000),
  signature: Signature,
  /**
   * BFT only: the > 2/3 precommits that decided this block. Not covered by the block hash
   * (the commit signs the hash); PoA blocks have none.
   */
  commit: CommitSchema.optional(),
});
export type Block = z.infer<typeof BlockSchema>;

export const HeadRefSchema = z.object({ height: UInt, hash: Hash });
export type HeadRef = z.infer<typeof HeadRefSchema>;

export const ReorgSchema = z.object({
  oldHead: HeadRefSchema,
  commonAncestor: HeadRefSchema,
  /** Blocks removed from the old canonical chain. */
  depth: PositiveInt,
});
export type Reorg = z.infer<typeof ReorgSchema>;

export const NodeIdentitySchema = z.object({
  /** Stable id: the first 16 hex chars of the node's public key. */
  id: z.string().min(1),
  name: z.string().min(1),
  publicKey: PublicKey,
  pid: Int,
  validator: z.boolean(),
});
export type NodeIdentity = z.infer<typeof NodeIdentitySchema>;

export const PeerDirection = z.enum(['inbound', 'outbound']);
export const PeerState = z.enum(['connecting', 'handshaking', 'connected', 'disconnected', 'backoff', 'banned']);

export const PeerInfoSchema = z.object({
  /** Remote node id once the handshake told us, else null. */
  id: z.string().nullable(),
  name: z.string().nullable(),
  /** For outbound peers: the URL we dial. For inbound: remote address. */
  address: z.string(),
  direction: PeerDirection,
  state: PeerState,
  rttMs: z.number().nullable(),
  bytesIn: z.number(),
  bytesOut: z.number(),
  messagesIn: z.number(),
  messagesOut: z.number(),
  errors: z.number(),
  score: z.number(),
  connectedSince: z.number().nullable(),
  lastReconnectReason: z.string().nullable(),
  head: HeadRefSchema.nullable(),
  /** Ms since the established link last delivered a message or a pong (null: nothing yet).
   *  Optional: older nodes do not send it. */
  silentMs: z.number().nullable().optional(),
  /** The link carries traffic: something arrived within two keep-alive periods. Optional: older nodes. */
  carrying: z.boolean().optional(),
});
export type PeerInfo = z.infer<typeof PeerInfoSchema>;

export const LinkRuleSchema = z.object({
  /** Remote node id, or '*' for every peer. */
  peer: z.string().min(1),
  direction: z.enum(['in', 'out', 'both']),
  drop: z.boolean().default(false),
  delayMs: z.number().int().min(0).max(60_000).default(0),
  jitterMs: z.number().int().min(0).max(60_000).default(0),
  lossPct: z.number().min(0).max(100).default(0),
  duplicatePct: z.number().min(0).max(100).default(0),
  /** Bytes per second; 0 = unlimited. */
  bandwidthBps: z.number().int().min(0).default(0),
  // Optional (older nodes and rules omit them; absent = 0 / off). Correlations are percents
  // with netem's meaning: how much the next decision depends on the previous one.
  lossCorrelationPct: z.number().min(0).max(100).optional(),
  duplicateCorrelationPct: z.number().min(0).max(100).optional(),
  /** Correlation of successive jitter values. */
  delayCorrelationPct: z.number().min(0).max(100).optional(),
  /** Share of messages held back and delivered after the next `reorderGap` messages. */
  reorderPct: z.number().min(0).max(100).optional(),
  reorderCorrelationPct: z.number().min(0).max(100).optional(),
  reorderGap: z.number().int().min(1).max(1000).optional(),
  /** Share of messages sent with a byte flipped (the receiver's envelope checks refuse them). */
  corruptPct: z.number().min(0).max(100).optional(),
  corruptCorrelationPct: z.number().min(0).max(100).optional(),
  /** Token bucket depth in bytes for `bandwidthBps` (the rate): a burst this big passes at once. */
  bandwidthBurstBytes: z.number().int().min(0).max(1_000_000_000).optional(),
  /** Seeds the link's random decisions, so the same traffic meets the same faults. */
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});
export type LinkRule = z.infer<typeof LinkRuleSchema>;

export const ChaosStateSchema = z.object({
  rules: z.array(LinkRuleSchema),
  paused: z.boolean(),
  clockOffsetMs: Int,
  /** The byzantine behaviour chaos set on this validator; null when honest. Optional: older nodes omit it. */
  byzantine: MisbehaviourSchema.nullable().optional(),
});
export type ChaosState = z.infer<typeof ChaosStateSchema>;

// ---- consensus state (engine-agnostic) --------------------------------------------------
// What /health, GET /consensus and /stream tell about the running consensus engine. Every
// engine answers the same shape; fields that mean nothing to an engine are null (PoA has no
// steps, locks or votes). Rounds and heights follow Tendermint/CometBFT: lockedRound and
// validRound are -1 when there is none.

/** Steps of a BFT round (Tendermint): propose, prevote, precommit, then commit once decided. */
export const ConsensusStepSchema = z.enum(['propose', 'prevote', 'precommit', 'commit']);
export type ConsensusStep = z.infer<typeof ConsensusStepSchema>;

const Height = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Round = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const OptionalRound = z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER);

/**
 * Where the engine stands. `height` is the height being decided (the next block; 0 before
 * the engine has started); `round` the round at that height. PoA: height = head + 1, round
 * 0, step null (no steps), proposer = the validator of the current slot, lockedRound and
 * validRound -1. BFT example: `{ engine: 'bft', height: 42, round: 1, step: 'prevote',
 * proposer: '<hex key of validators[(42 + 1) mod n]>', lockedRound: 0, validRound: 0 }`.
 */
export const ConsensusStatusSchema = z.object({
  engine: z.string().min(1),
  height: Height,
  round: Round,
  step: ConsensusStepSchema.nullable(),
  /** Who proposes at (height, round), or at the current slot for PoA; null before start. */
  proposer: PublicKey.nullable(),
  lockedRound: OptionalRound,
  validRound: OptionalRound,
});
export type ConsensusStatus = z.infer<typeof ConsensusStatusSchema>;

/** One validator's vote of a kind in a round: the block hash, 'nil', or null when none arrived. */
export const RoundVoteSchema = z.union([Hash, z.literal('nil')]).nullable();
export type RoundVote = z.infer<typeof RoundVoteSchema>;

export const TimeoutStepSchema = z.enum(['propose', 'prevote', 'precommit']);

/** The largest number of rounds GET /consensus lists (the newest ones). */
export const MAX_LISTED_ROUNDS = 64;
/** Matches the genesis limit of validators (wire/bft.ts MAX_COMMIT_SIGNATURES is above it). */
const MAX_VALIDATORS = 1024;

/** One round at the current height, like a round of CometBFT's /consensus_state. */
export const ConsensusRoundSchema = z.object({
  round: Round,
  proposer: PublicKey,
  /** The block hash proposed in this round, null while no valid proposal has arrived. */
  proposal: Hash.nullable(),
  /** One entry per validator, in the order of `validators` (the genesis order). */
  prevotes: z.array(RoundVoteSchema).max(MAX_VALIDATORS),
  precommits: z.array(RoundVoteSchema).max(MAX_VALIDATORS),
  /** The timeouts that fired in this round, in the order they fired. */
  timeouts: z.array(TimeoutStepSchema).max(3),
});
export type ConsensusRound = z.infer<typeof ConsensusRoundSchema>;

/**
 * The round state of the height being decided; null for engines without rounds (PoA).
 * BFT example (4 validators A B C D, round 0 failed, round 1 in prevote):
 * `{ height: 42, round: 1, step: 'prevote', startedAt: 1700000000000, validators: [A, B, C, D],
 *    lockedRound: -1, lockedBlock: null, validRound: -1, validBlock: null,
 *    rounds: [
 *      { round: 0, proposer: C, proposal: null, prevotes: ['nil', 'nil', 'nil', null],
 *        precommits: ['nil', 'nil', null, null], timeouts: ['propose', 'precommit'] },
 *      { round: 1, proposer: D, proposal: H, prevotes: [H, null, H, H],
 *        precommits: [null, null, null, null], timeouts: [] } ] }`
 */
export const ConsensusRoundStateSchema = z.object({
  height: Height,
  round: Round,
  step: ConsensusStepSchema,
  /** When this height started, Unix ms. */
  startedAt: UInt,
  validators: z.array(PublicKey).min(1).max(MAX_VALIDATORS),
  lockedRound: OptionalRound,
  lockedBlock: Hash.nullable(),
  validRound: OptionalRound,
  validBlock: Hash.nullable(),
  /** The rounds at this height, ascending, at most MAX_LISTED_ROUNDS (the newest). */
  rounds: z.array(ConsensusRoundSchema).max(MAX_LISTED_ROUNDS),
});
export type ConsensusRoundState = z.infer<typeof ConsensusRoundStateSchema>;

/** GET /consensus. */
export const ConsensusStateSchema = z.object({
  engine: z.string().min(1),
  status: ConsensusStatusSchema,
  roundState: ConsensusRoundStateSchema.nullable(),
  /** Equivocations this node detected, newest last, at most MAX_LISTED_EVIDENCE; optional: older nodes omit it. */
  evidence: z.array(EvidenceRecordSchema).max(MAX_LISTED_EVIDENCE).optional(),
});
export type ConsensusState = z.infer<typeof ConsensusStateSchema>;

/** What the node found wrong in its block log at its last start, and what it did about it. */
export const StorageRepairSchema = z.object({
  /** When the node repaired its log (ms since the epoch). */
  at: Int,
  /** The first damage found: a torn or corrupt record, a block that fails its checks, a bad file header. */
  reason: z.string(),
  /** Bytes dropped from the live log (they are fetched again from peers). */
  cutBytes: UInt,
  /** Blocks kept from the log, replayed into the chain. */
  keptBlocks: UInt,
  /** File name (in the data dir) the damaged log was moved to when its header was bad; else null. */
  movedAside: z.string().nullable(),
});
export type StorageRepair = z.infer<typeof StorageRepairSchema>;

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  /** Why the node is degraded; empty when ok. */
  reasons: z.array(z.string()),
  node: NodeIdentitySchema,
  chainId: z.string(),
  genesisHash: Hash,
  uptimeSec: z.number(),
  blockchain: z.object({
    height: UInt,
    latest_block_hash: Hash,
    latest_block_time: Int,
    /**
     * The highest block the engine has finalized (null: none yet, or an engine without
     * finality such as PoA). Optional: nodes from before BFT do not send them.
     */
    finalized_height: Height.nullable().optional(),
    finalized_hash: Hash.nullable().optional(),
  }),
  /** The consensus engine's status; optional: nodes from before BFT do not send it. */
  consensus: ConsensusStatusSchema.optional(),
  peers: z.object({
    connected: Int,
    inbound: Int,
    outbound: Int,
    /** Links that carried traffic within two keep-alive periods (the peers that count). Optional: older nodes. */
    carrying: z.number().int().optional(),
  }),
  p2p: z.object({ listening: z.boolean(), error: z.string().nullable() }),
  sync: z.object({ state: z.enum(['idle', 'syncing']), targetHeight: z.number().int().nullable() }),
  clockOffsetMs: Int,
  paused: z.boolean(),
  blockTimeMs: PositiveInt,
  /** The block log's repair at this start (null: it was intact). Optional: older nodes do not send it. */
  storage: z.object({ lastRepair: StorageRepairSchema.nullable() }).optional(),
});
export type Health = z.infer<typeof HealthSchema>;

/** GET /blocks?from=&limit= returns blocks of the node's canonical chain, ascending by height. */
export const BlocksPageSchema = z.object({ blocks: z.array(BlockSchema), head: HeadRefSchema });
export type BlocksPage = z.infer<typeof BlocksPageSchema>;

// ---- /stream events -------------------------------------------------------------------
// Each event carries `seq`, strictly increasing per node process run (`epoch`). A client
// reconnects with `/stream?epoch=E&since=S` and receives every event with seq > S, or a
// `reset` first when it cannot (other epoch, or S too old) and must re-read by height.

const base = { seq: UInt, at: Int };

/** Why an engine moved to a new round or step. */
export const RoundChangeReasonSchema = z.enum([
  'new_height', // a block was committed; round 0 of the next height starts
  'proposal', // a valid proposal arrived: propose -> prevote
  'polka', // > 2/3 prevotes for a block or nil: prevote -> precommit
  'timeout', // a propose, prevote or precommit timeout fired
  'round_skip', // f+1 votes of a higher round arrived: jump to it
  'commit', // > 2/3 precommits for a block: -> commit
]);
export type RoundChangeReason = z.infer<typeof RoundChangeReasonSchema>;

const RoundChangeShape = {
  height: Height,
  round: Round,
  step: ConsensusStepSchema,
  reason: RoundChangeReasonSchema,
  proposer: PublicKey,
};
const CommitNoticeShape = {
  height: Height,
  hash: Hash,
  round: Round,
  /** The validators whose precommits make up the commit certificate. */
  signers: z.array(PublicKey).max(MAX_VALIDATORS),
};
const VoteProgressShape = {
  height: Height,
  round: Round,
  voteType: z.enum(['prevote', 'precommit']),
  /** Validators whose vote of this type arrived, for any value. */
  received: UInt,
  /** Of them, votes for the leading block hash, and for nil. */
  leading: z.object({ blockHash: Hash.nullable(), votes: UInt }).nullable(),
  nil: UInt,
  validators: PositiveInt,
};
export const RoundChangeSchema = z.object(RoundChangeShape);
export type RoundChange = z.infer<typeof RoundChangeSchema>;
export const CommitNoticeSchema = z.object(CommitNoticeShape);
export type CommitNotice = z.infer<typeof CommitNoticeSchema>;
export const VoteProgressSchema = z.object(VoteProgressShape);
export type VoteProgress = z.infer<typeof VoteProgressSchema>;

/** The node emits at most one `votes` event per (height, round, type) in this many ms. */
export const VOTE_PROGRESS_INTERVAL_MS = 250;

export const StreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('hello'),
    epoch: z.string(),
    node: NodeIdentitySchema,
    head: HeadRefSchema,
    genesisHash: Hash,
    blockTimeMs: PositiveInt,
    peers: z.array(PeerInfoSchema),
    chaos: ChaosStateSchema,
  }),
  z.object({ ...base, type: z.literal('reset'), reason: z.string() }),
  /**
   * Every block this node accepted into its block tree, canonical or not. `acceptedAt` is the
   * acceptance time in Unix ms with sub-millisecond precision (`at` is whole ms), comparable
   * across processes on one machine: propagation on loopback takes single milliseconds.
   */
  z.object({ ...base, type: z.literal('block'), block: BlockSchema, acceptedAt: z.number().nonnegative().optional() }),
  z.object({ ...base, type: z.literal('head'), head: HeadRefSchema, reorg: ReorgSchema.nullable() }),
  z.object({
    ...base,
    type: z.literal('peer'),
    event: z.enum(['connected', 'disconnected', 'banned', 'score']),
    peer: z.object({ id: z.string().nullable(), name: z.string().nullable(), address: z.string(), direction: PeerDirection }),
    reason: z.string().nullable(),
    score: z.number().nullable(),
  }),
  z.object({ ...base, type: z.literal('health'), health: HealthSchema }),
  z.object({ ...base, type: z.literal('chaos'), chaos: ChaosStateSchema }),
  /** The engine entered a new round or step, and why. PoA sends none. */
  z.object({ ...base, type: z.literal('round'), ...RoundChangeShape }),
  /** The engine decided a block (a commit certificate). PoA sends none. */
  z.object({ ...base, type: z.literal('commit'), ...CommitNoticeShape }),
  /**
   * Vote progress of one (height, round, vote type), aggregated by the node: at most one per
   * VOTE_PROGRESS_INTERVAL_MS per kind, plus the final count when the step changes; never one
   * event per vote. PoA sends none.
   */
  z.object({ ...base, type: z.literal('votes'), ...VoteProgressShape }),
  /** The engine detected an equivocation (once per offence). PoA sends none. */
  z.object({ ...base, type: z.literal('evidence'), evidence: EvidenceRecordSchema }),
]);
export type StreamEvent = z.infer<typeof StreamEventSchema>;
export type StreamEventOf<T extends StreamEvent['type']> = Extract<StreamEvent, { type: T }>;
/** Every event type this contract knows; a reader skips the others (a newer node's). */
export const STREAM_EVENT_TYPES: ReadonlySet<string> = new Set(StreamEventSchema.options.map((o) => o.shape.type.value));

/**
 * GET /accounts/{address}: one account as of the node's canonical head, read in one step, so
 * balance, nonce and head belong together. Any well-formed address has an account: one no
 * transfer has touched is balance 0, nonce 0.
 */
export const AccountAtHeadSchema = z.object({
  address: PublicKey,
  balance: UInt,
  /** The nonce the account's next transaction must carry (its transactions so far on this chain). */
  nonce: UInt,
  head: HeadRefSchema,
});
export type AccountAtHead = z.infer<typeof AccountAtHeadSchema>;
