// P2P frame generators for the fuzz tests, built on lib/fuzz/generators.ts: envelopes whose
// payload is a valid message of a registered type with one or two fields broken and that are
// then signed properly (so they reach the schema, the duplicate check and the handlers),
// valid envelopes with one envelope field broken, JSON-ish text, and raw bytes.
import fc from 'fast-check';
import { jsonText, mutated, weirdString, weirdText } from '../../lib/fuzz/generators.ts';
import type { KeyPair } from '../chain/keys.ts';
import { sealEnvelope } from '../p2p/envelope.ts';
import { PROTOCOL_VERSION } from '../p2p/messages.ts';

export type Frame = { kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array };

/** A properly signed envelope around a (possibly broken) payload: the signature covers what the receiver parses. */
export function signedEnvelopeText(type: string, payload: unknown, key: KeyPair, ts: number): string {
  const payloadText = jsonText(payload);
  let sig = '00'.repeat(64);
  try {
    sig = (JSON.parse(sealEnvelope(type, JSON.parse(payloadText), key, ts)) as { sig: string }).sig;
  } catch {
    // Not JSON, or not canonically encodable: the receiver refuses it before the signature anyway.
  }
  return `{"v":${PROTOCOL_VERSION},"type":${JSON.stringify(type)},"from":${JSON.stringify(key.publicKey)},"ts":${ts},"payload":${payloadText},"sig":${JSON.stringify(sig)}}`;
}

const typeName = (types: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...types) },
    { weight: 1, arbitrary: fc.oneof(weirdString, fc.constantFrom('Hello', 'hello ', 'status\u0000', '__proto__', 'constructor')) },
  );

/** Text frames for one sender: mostly signed, structure-aware mutations of valid payloads. */
export function textFrames(payloads: Record<string, unknown>, key: KeyPair): fc.Arbitrary<string> {
  const types = Object.keys(payloads);
  const ts = fc.oneof({ weight: 8, arbitrary: fc.constant(Date.now()) }, { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 53, 2 ** 31) });
  const signedMutated = fc.tuple(typeName(types), ts).chain(([type, t]) => mutated(payloads[type] ?? {}).map((p) => signedEnvelopeText(type, p, key, t)));
  const envelopeMutated = fc
    .tuple(fc.constantFrom(...types), ts)
    .chain(([type, t]) => mutated(JSON.parse(signedEnvelopeText(type, payloads[type], key, t))).map((env) => jsonText(env)));
  return fc.oneof({ weight: 5, arbitrary: signedMutated }, { weight: 3, arbitrary: envelopeMutated }, { weight: 1, arbitrary: weirdText });
}

/** Any frame a peer can put on the wire. */
export function frames(payloads: Record<string, unknown>, key: KeyPair): fc.Arbitrary<Frame> {
  return fc.oneof(
    { weight: 9, arbitrary: textFrames(payloads, key).map((text): Frame => ({ kind: 'text', text })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((bytes): Frame => ({ kind: 'binary', bytes })) },
  );
}
