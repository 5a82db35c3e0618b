// The contract between a node daemon and anything that reads it (the control plane,
// scripts, tests): block and transaction JSON, /health, /peers, and the /stream events.
// Both ends import these schemas, so a field renamed here is renamed everywhere.
import { z } from 'zod';

import { CommitSchema } from './bft.ts';
import { Hash, PublicKey, Signature } from './primitives.ts';

export { Hash, PublicKey, Signature };

export const TxSchema = z.object({
  hash: Hash,
  from: PublicKey,
  to: PublicKey,
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  nonce: z.number().int().nonnegative(),
  timestamp: z.number().int().nonnegative(),
  signature: Signature,
});
export type Tx = z.infer<typeof TxSchema>;

export const BlockHeaderSchema = z.object({
  chainId: z.string().min(1).max(64),
  height: z.number().int().nonnegative(),
  parentHash: Hash,
  /** Unix ms; for round-robin PoA it is slot * blockTimeMs. */
  timestamp: z.number().int().nonnegative(),
  slot: z.number().int().nonnegative(),
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

export const HeadRefSchema = z.object({ height: z.number().int().nonnegative(), hash: Hash });
export type HeadRef = z.infer<typeof HeadRefSchema>;

export const ReorgSchema = z.object({
  oldHead: HeadRefSchema,
  commonAncestor: HeadRefSchema,
  /** Blocks removed from the old canonical chain. */
  depth: z.number().int().positive(),
});
export type Reorg = z.infer<typeof ReorgSchema>;

export const NodeIdentitySchema = z.object({
  /** Stable id: the first 16 hex chars of the node's public key. */
  id: z.string().min(1),
  name: z.string().min(1),
  publicKey: PublicKey,
  pid: z.number().int(),
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
});
export type LinkRule = z.infer<typeof LinkRuleSchema>;

export const ChaosStateSchema = z.object({
  rules: z.array(LinkRuleSchema),
  paused: z.boolean(),
  clockOffsetMs: z.number().int(),
});
export type ChaosState = z.infer<typeof ChaosStateSchema>;

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  /** Why the node is degraded; empty when ok. */
  reasons: z.array(z.string()),
  node: NodeIdentitySchema,
  chainId: z.string(),
  genesisHash: Hash,
  uptimeSec: z.number(),
  blockchain: z.object({
    height: z.number().int().nonnegative(),
    latest_block_hash: Hash,
    latest_block_time: z.number().int(),
  }),
  peers: z.object({ connected: z.number().int(), inbound: z.number().int(), outbound: z.number().int() }),
  p2p: z.object({ listening: z.boolean(), error: z.string().nullable() }),
  sync: z.object({ state: z.enum(['idle', 'syncing']), targetHeight: z.number().int().nullable() }),
  clockOffsetMs: z.number().int(),
  paused: z.boolean(),
  blockTimeMs: z.number().int().positive(),
});
export type Health = z.infer<typeof HealthSchema>;

/** GET /blocks?from=&limit= returns blocks of the node's canonical chain, ascending by height. */
export const BlocksPageSchema = z.object({ blocks: z.array(BlockSchema), head: HeadRefSchema });
export type BlocksPage = z.infer<typeof BlocksPageSchema>;

// ---- /stream events -------------------------------------------------------------------
// Each event carries `seq`, strictly increasing per node process run (`epoch`). A client
// reconnects with `/stream?epoch=E&since=S` and receives every event with seq > S, or a
// `reset` first when it cannot (other epoch, or S too old) and must re-read by height.

const base = { seq: z.number().int().nonnegative(), at: z.number().int() };

export const StreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('hello'),
    epoch: z.string(),
    node: NodeIdentitySchema,
    head: HeadRefSchema,
    genesisHash: Hash,
    blockTimeMs: z.number().int().positive(),
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
]);
export type StreamEvent = z.infer<typeof StreamEventSchema>;
export type StreamEventOf<T extends StreamEvent['type']> = Extract<StreamEvent, { type: T }>;
