// The P2P messages of the sync layer, declared once: gossip owns status, block, tx and txs;
// catch-up owns get_blocks and blocks. Each is registered with the P2P host by its reactor.
import { z } from 'zod';
import { BlockSchema, Hash, HeadRefSchema, TxSchema } from '../../wire/node-api.ts';
import { UInt } from '../../wire/primitives.ts';
import { defineMessage } from '../p2p/messages.ts';

export const StatusPayload = z.object({ head: HeadRefSchema });
/**
 * `sentTo`: set by the proposer only, the node ids (16 hex) of every peer it pushed its block
 * to, so that a node receiving it straight from the proposer relays it exactly to its own
 * peers the proposer has no link to (none in a full mesh). Absent = unknown: relay as usual.
 */
export const BlockPayload = z.object({
  block: BlockSchema,
  sentTo: z
    .array(z.string().regex(/^[0-9a-f]{16}$/))
    .max(1024)
    .optional(),
});
export const TxPayload = z.object({ tx: TxSchema });
/**
 * Txs are gossiped in batches: one envelope (one signature check) per tick, not per tx.
 * `origin`: the sender submitted these txs itself and sent them to every peer it has, so a
 * receiver does not relay them (absent = relay).
 */
export const TxsPayload = z.object({ txs: z.array(TxSchema).min(1).max(1000), origin: z.boolean().optional() });
export const GetBlocksPayload = z.object({
  reqId: UInt,
  /** Our canonical hashes, newest first; the answer starts after the first one the peer has. */
  locator: z.array(Hash).min(1).max(64),
  limit: z.number().int().min(1).max(500),
});
export const BlocksPayload = z.object({
  reqId: UInt,
  blocks: z.array(BlockSchema).max(500),
  head: HeadRefSchema,
});

export type StatusPayload = z.infer<typeof StatusPayload>;
export type BlockPayload = z.infer<typeof BlockPayload>;
export type TxPayload = z.infer<typeof TxPayload>;
export type TxsPayload = z.infer<typeof TxsPayload>;
export type GetBlocksPayload = z.infer<typeof GetBlocksPayload>;
export type BlocksPayload = z.infer<typeof BlocksPayload>;

export const StatusMsg = defineMessage('status', StatusPayload);
export const BlockMsg = defineMessage('block', BlockPayload);
export const TxMsg = defineMessage('tx', TxPayload);
export const TxsMsg = defineMessage('txs', TxsPayload);
export const GetBlocksMsg = defineMessage('get_blocks', GetBlocksPayload);
export const BlocksMsg = defineMessage('blocks', BlocksPayload);
