// Fuzz: frames pushed into a real node's P2P host over a real loopback WebSocket. Each session
// is one raw peer (its own deterministic key): with or without a valid hello first, then a few
// generated frames (signed payloads of every registered type with fields broken, envelopes
// with a field broken, JSON-ish text, binary bytes), then a close. Handlers of schema-valid
// but hostile messages run for real (gossip, catch-up, the BFT engine). Afterwards the node
// must still be healthy and committing, nothing may have gone unhandled, and a valid peer must
// still be able to connect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import WebSocket from 'ws';
import { fuzz, fuzzTimeoutMs, UnhandledCollector } from '../../lib/fuzz/fuzz-run.ts';
import { deterministicKeyPair, nodeIdOf } from '../chain/keys.ts';
import { frames, signedEnvelopeText } from '../testkit/fuzz-frames.ts';
import { startFuzzNode, validPayloads, type FuzzNode } from '../testkit/fuzz-node.ts';
import { connectRawPeer } from '../testkit/raw-peer.ts';
import { waitFor } from '../testkit/wait-for.ts';

const CI_MS = 4_000;

/** A loopback source address of its own for session n (127.1.0.0 – 127.253.255.255). */
function loopbackAddress(n: number): string {
  const x = n % (253 * 65536);
  return `127.${1 + Math.floor(x / 65536)}.${Math.floor(x / 256) % 256}.${x % 256}`;
}

describe('fuzz: frames into a real P2P host over loopback', { timeout: fuzzTimeoutMs(CI_MS) }, () => {
  let f: FuzzNode;
  let seeds: Record<string, unknown>;
  let refused = 0;

  before(async () => {
    // Each session comes from its own loopback address (below), so the node's address bans and
    // attempt caps (inbound-admission.ts, tested on their own) do not turn the fuzz away.
    f = await startFuzzNode('p2p-wire-fuzz', { addressBanMs: 1000 });
    seeds = validPayloads(f, deterministicKeyPair('p2p-wire-seeds'));
  });
  after(() => f?.stop());

  /** One raw peer's session: hello (or not), the frames, then close; resolves once the link is closed. */
  async function session(n: number, hello: boolean, sent: Array<{ kind: 'text'; text: string } | { kind: 'binary'; bytes: Uint8Array }>): Promise<void> {
    const key = deterministicKeyPair(`p2p-wire-peer-${n}`);
    const p = connectRawPeer(f.node.url, { localAddress: loopbackAddress(n) });
    const opened = await Promise.race([p.opened.then(() => true), p.closed.then(() => false)]);
    if (!opened) {
      refused++; // refused at the upgrade (e.g. inbound slots full for a moment): nothing was sent
      return;
    }
    if (hello) p.ws.send(signedEnvelopeText('hello', { ...(seeds.hello as object), nodeId: nodeIdOf(key.publicKey) }, key, Date.now()));
    for (const fr of sent) {
      if (p.ws.readyState !== WebSocket.OPEN) break;
      if (fr.kind === 'text') p.ws.send(fr.text);
      else p.ws.send(fr.bytes, { binary: true });
    }
    // Frames on one link are processed in order, so once the close handshake ends the node has seen them all.
    if (p.ws.readyState === WebSocket.OPEN) p.ws.close(1000, 'fuzz session over');
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([p.closed, new Promise<null>((r) => (timer = setTimeout(() => r(null), 15_000)))]);
    clearTimeout(timer);
    if (closed === null) {
      p.ws.terminate();
      throw new Error('the node did not close the link within 15 s');
    }
  }

  it('hostile sessions neither crash the host nor stop it serving; a valid peer connects afterwards', async () => {
    const unhandled = new UnhandledCollector().start();
    try {
      const sessions = fc.nat({ max: 2 ** 30 }).chain((n) =>
        fc.record({
          n: fc.constant(n),
          hello: fc.boolean(),
          frames: fc.array(frames(seeds, deterministicKeyPair(`p2p-wire-peer-${n}`)), { minLength: 1, maxLength: 6 }),
        }),
      );
      const { runs } = await fuzz('p2p wire', CI_MS, sessions, (s) => session(s.n, s.hello, s.frames));
      assert.ok(runs > 20, `only ${runs} sessions in the budget`);
      assert.ok(refused < runs / 10, `${refused} of ${runs} sessions were refused at the upgrade: the fuzz did not reach the host`);
    } finally {
      unhandled.stop();
    }
    assert.deepEqual(unhandled.problems, []);

    const h = await f.client.health();
    assert.equal(h.status, 'ok', JSON.stringify(h.reasons));
    const height = f.node.chain.headRef().height;
    await waitFor(() => f.node.chain.headRef().height >= height + 2, { timeoutMs: 30_000, what: 'the node still commits blocks' });

    // A valid peer still gets in: it is greeted and listed as connected.
    const key = deterministicKeyPair('p2p-wire-honest-peer');
    const honest = connectRawPeer(f.node.url, { localAddress: '127.254.254.254' });
    await honest.opened;
    honest.ws.send(signedEnvelopeText('hello', { ...(seeds.hello as object), nodeId: nodeIdOf(key.publicKey) }, key, Date.now()));
    await waitFor(async () => (await f.client.peers()).some((x) => x.id === nodeIdOf(key.publicKey) && x.state === 'connected'), {
      timeoutMs: 15_000,
      what: 'the honest peer connected',
    });
    assert.equal(honest.received[0]?.type, 'hello');
    honest.ws.close();
    await honest.closed;
  });
});
