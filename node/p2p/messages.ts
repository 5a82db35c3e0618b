// Every P2P message: the signed envelope and the payload schema of each message type.
// The wire format is one JSON envelope per WebSocket message, nothing more, nothing less.
import { z } from 'zod';
import { BlockSchema, Hash, HeadRefSchema, PublicKey, Signature, TxSchema } from '../../wire/node-api.ts';

export const PROTOCOL_VERSION = 1;

export const EnvelopeSchema = z.object({
  v: z.number().int(),
  type: z.string().min(1).max(32),
  from: PublicKey,
  ts: z.number().int().nonnegative(),
  payload: z.unknown(),
  sig: Signature,
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export const HelloPayload = z.object({
  chainId: z.string().min(1).max(64),
  genesisHash: Hash,
  nodeId: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
  head: HeadRefSchema,
  validator: z.boolean(),
  /** Where this node accepts P2P connections, if it does; informational. */
  listenUrl: z.string().max(256).nullable(),
});
export type HelloPayload = z.infer<typeof HelloPayload>;

export const RejectPayload = z.object({ code: z.string().max(64), reason: z.string().max(500) });
export const StatusPayload = z.object({ head: HeadRefSchema });
/**
 * `sentTo`: set by the proposer only, the node ids (16 hex) of every peer it pushed its block
 * to, so that a node receiving it straight from the proposer relays it exactly to its own
 * peers the proposer has no link to (none in a full mesh). Absent = unknown: relay as usual.
 */
export const BlockPayload = z.object({ block: BlockSchema, sentTo: z.array(z.string().regex(/^[0-9a-f]{16}$/)).max(1024).optional() });
export const TxPayload = z.object({ tx: TxSchema });
/**
 * Txs are gossiped in batches: one envelope (one signature check) per tick, not per tx.
 * `origin`: the sender submitted these txs itself and sent them to every peer it has, so a
 * receiver does not relay them (absent = relay).
 */
export const TxsPayload = z.object({ txs: z.array(TxSchema).min(1).max(1000), origin: z.boolean().optional() });
export const GetBlocksPayload = z.object({
  reqId: z.number().int().nonnegative(),
  /** Our canonical hashes, newest first; the answer starts after the first one the peer has. */
  locator: z.array(Hash).min(1).max(64),
  limit: z.number().int().min(1).max(500),
});
export const BlocksPayload = z.object({
  reqId: z.number().int().nonnegative(),
  blocks: z.array(BlockSchema).max(500),
  head: HeadRefSchema,
});

export const PayloadSchemas = {
  hello: HelloPayload,
  reject: RejectPayload,
  status: StatusPayload,
  block: BlockPayload,
  tx: TxPayload,
  txs: TxsPayload,
  get_blocks: GetBlocksPayload,
  blocks: BlocksPayload,
} as const;

export type MessageType = keyof typeof PayloadSchemas;
export type PayloadOf<T extends MessageType> = z.infer<(typeof PayloadSchemas)[T]>;
export type InboundMessage = { [T in MessageType]: { type: T; payload: PayloadOf<T> } }[MessageType];

export function isMessageType(t: string): t is MessageType {
  return Object.hasOwn(PayloadSchemas, t);
}
