// The P2P wire: the signed envelope, the two messages P2P speaks itself (hello, reject), and
// `defineMessage`, the typed descriptor every layer above declares its own messages with.
// The wire format is one JSON envelope per WebSocket message, nothing more, nothing less.
// Which payload types exist is not listed here: reactors register them (message-registry.ts).
import { z } from 'zod';
import { Hash, HeadRefSchema, PublicKey, Signature } from '../../wire/node-api.ts';
import { Int, UInt } from '../../wire/primitives.ts';

export const PROTOCOL_VERSION = 1;

/** Message type names: short, lower-case, as they appear in the envelope and metric labels. */
export const MESSAGE_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

export const EnvelopeSchema = z.object({
  v: Int,
  type: z.string().min(1).max(32),
  from: PublicKey,
  ts: UInt,
  payload: z.unknown(),
  sig: Signature,
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** A message type and the schema of its payload; used to register a handler and to send. */
export interface MessageDef<P> {
  readonly type: string;
  readonly schema: z.ZodType<P>;
}

export function defineMessage<S extends z.ZodType>(type: string, schema: S): MessageDef<z.output<S>> {
  if (!MESSAGE_TYPE_PATTERN.test(type)) throw new Error(`message type ${JSON.stringify(type)} does not match ${MESSAGE_TYPE_PATTERN}`);
  return { type, schema: schema as z.ZodType<z.output<S>> };
}

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
export type RejectPayload = z.infer<typeof RejectPayload>;

export const HelloMsg = defineMessage('hello', HelloPayload);
export const RejectMsg = defineMessage('reject', RejectPayload);
