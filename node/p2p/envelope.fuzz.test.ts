// Fuzz: openEnvelope, the one decoder of every P2P frame, against the registry a real node's
// P2P host built (hello, reject, gossip's status/block/tx/txs, catch-up's get_blocks/blocks,
// the BFT engine's bft_proposal/bft_vote). Inputs: valid messages of each type with fields
// broken and then signed properly, valid envelopes with one field broken, and JSON-ish text.
// Each either opens (type registered, payload valid for its schema) or throws a P2PError with
// an envelope code; nothing else may come out, with and without the duplicate check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { fuzz, fuzzTimeoutMs } from '../../lib/fuzz/fuzz-run.ts';
import { deterministicKeyPair } from '../chain/keys.ts';
import { startFuzzNode, registryOf, validPayloads, type FuzzNode } from '../testkit/fuzz-node.ts';
import { signedEnvelopeText, textFrames } from '../testkit/fuzz-frames.ts';
import { openEnvelope } from './envelope.ts';
import { P2PError } from './errors.ts';
import type { ReadonlyMessageRegistry } from './message-registry.ts';

const CI_MS = 3_000;
const ENVELOPE_CODES = new Set(['MALFORMED', 'SCHEMA_INVALID', 'VERSION_UNSUPPORTED', 'SIGNATURE_INVALID']);

describe('fuzz: openEnvelope with a real node registry', { timeout: fuzzTimeoutMs(CI_MS) }, () => {
  let f: FuzzNode;
  let registry: ReadonlyMessageRegistry;
  let payloads: Record<string, unknown>;
  const sender = deterministicKeyPair('envelope-fuzz-sender');

  before(async () => {
    f = await startFuzzNode('envelope-fuzz');
    registry = registryOf(f.node);
    payloads = validPayloads(f, sender);
  });
  after(() => f?.stop());

  it('registers the message types the fuzzers cover, and each valid seed opens', () => {
    assert.deepEqual(registry.types().sort(), ['bft_proposal', 'bft_vote', 'block', 'blocks', 'get_blocks', 'hello', 'reject', 'status', 'tx', 'txs']);
    for (const [type, payload] of Object.entries(payloads)) {
      const opened = openEnvelope(signedEnvelopeText(type, payload, sender, Date.now()), registry);
      assert.equal(opened.type, type);
      assert.equal(opened.duplicate, false);
    }
  });

  it('every generated frame opens to a schema-valid message or fails with an envelope code', async () => {
    const input = fc.tuple(textFrames(payloads, sender), fc.boolean());
    const outcomes: Record<string, number> = {};
    const count = (k: string) => void (outcomes[k] = (outcomes[k] ?? 0) + 1);
    const { runs } = await fuzz('openEnvelope', CI_MS, input, ([text, checkDuplicate]) => {
      let opened;
      try {
        opened = openEnvelope(text, registry, checkDuplicate);
      } catch (err) {
        if (!(err instanceof P2PError)) throw new Error(`not a P2PError: ${String(err)}`, { cause: err });
        if (!ENVELOPE_CODES.has(err.code)) throw new Error(`unexpected code ${err.code}: ${err.message}`, { cause: err });
        count(err.code);
        return;
      }
      assert.equal(registry.get(opened.type), opened.handler);
      const again = opened.handler.schema.safeParse(opened.payload);
      assert.ok(again.success, `opened ${opened.type} whose payload its schema refuses: ${again.error?.message}`);
      count(opened.duplicate ? 'duplicate' : `opened ${opened.type}`);
    });
    console.log(`openEnvelope outcomes: ${JSON.stringify(outcomes)}`);
    // The generators must reach past the envelope: some frames open, some fail on each check.
    for (const k of ['MALFORMED', 'SCHEMA_INVALID', 'SIGNATURE_INVALID']) assert.ok(outcomes[k], `no frame failed with ${k}`);
    assert.ok(
      Object.keys(outcomes).some((k) => k.startsWith('opened')),
      'no frame opened',
    );
    assert.ok(runs > 100, `only ${runs} frames in the budget`);
  });
});
