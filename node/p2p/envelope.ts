// Seals and opens P2P envelopes: {v, type, from, ts, payload, sig}, where sig is the sender's
// Ed25519 signature over the SHA-256 of the canonical encoding of everything but sig.
// Opening checks, in order: JSON, envelope shape, version, type (registered?), payload schema,
// signature. The registry of message types is passed in; this module knows none of them.
import { sha256Canonical } from '../chain/encoding.ts';
import { signBytes, verifyBytes, type KeyPair } from '../chain/keys.ts';
import { P2PError } from './errors.ts';
import type { MessageHandler } from './message-registry.ts';
import { EnvelopeSchema, PROTOCOL_VERSION } from './messages.ts';

function signingDigest(v: number, type: string, from: string, ts: number, payload: unknown): Uint8Array {
  return sha256Canonical({ v, type, from, ts, payload });
}

export function sealEnvelope(type: string, payload: unknown, key: KeyPair, ts: number): string {
  const sig = signBytes(signingDigest(PROTOCOL_VERSION, type, key.publicKey, ts, payload), key);
  return JSON.stringify({ v: PROTOCOL_VERSION, type, from: key.publicKey, ts, payload, sig });
}

/** Where openEnvelope looks a type up (the host's MessageRegistry). */
export interface MessageLookup {
  get(type: string): MessageHandler | undefined;
}

export interface OpenedEnvelope {
  from: string;
  ts: number;
  type: string;
  /** Schema-valid payload (the schema's output). */
  payload: unknown;
  /** The registered handler of `type`. */
  handler: MessageHandler;
  duplicate: boolean;
}

/**
 * Parses and checks one envelope; throws P2PError. With `checkDuplicate`, when the type's
 * `isDuplicate` says the (schema-valid) message is something we already have, it is returned
 * unverified with duplicate=true: the caller drops it unused, and the gossip echo of a mesh
 * costs no signature check.
 */
export function openEnvelope(text: string, registry: MessageLookup, checkDuplicate = false): OpenedEnvelope {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new P2PError('MALFORMED', `not one JSON value (${text.length} chars, starts ${JSON.stringify(text.slice(0, 24))})`);
  }
  const env = EnvelopeSchema.safeParse(raw);
  if (!env.success) throw new P2PError('SCHEMA_INVALID', `bad envelope: ${env.error.issues[0]?.path.join('.')} ${env.error.issues[0]?.message}`);
  const { v, type, from, ts, payload, sig } = env.data;
  if (v !== PROTOCOL_VERSION) throw new P2PError('VERSION_UNSUPPORTED', `protocol version ${v}, we speak ${PROTOCOL_VERSION}`);
  const handler = registry.get(type);
  if (!handler) throw new P2PError('SCHEMA_INVALID', `unknown message type ${JSON.stringify(type)}`);
  const p = handler.schema.safeParse(payload);
  if (!p.success) throw new P2PError('SCHEMA_INVALID', `bad ${type} payload: ${p.error.issues[0]?.path.join('.')} ${p.error.issues[0]?.message}`);
  if (checkDuplicate && handler.isDuplicate?.(p.data)) return { from, ts, type, payload: p.data, handler, duplicate: true };
  let digest: Uint8Array;
  try {
    digest = signingDigest(v, type, from, ts, payload);
  } catch (err) {
    throw new P2PError('SCHEMA_INVALID', `payload is not canonically encodable: ${(err as Error).message}`);
  }
  if (!verifyBytes(digest, sig, from)) throw new P2PError('SIGNATURE_INVALID', `envelope signature does not verify (type ${type})`);
  return { from, ts, type, payload: p.data, handler, duplicate: false };
}
