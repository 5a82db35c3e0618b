// Integration: hostile BFT input on a real validator process of a 4-process testnet, from a
// raw /p2p peer that holds the testnet's (deterministic, public) validator keys, so that each
// forgery is wrong in exactly one way: a vote with a bad signature, a vote by a non-validator,
// a malformed vote, a block whose commit carries a forged signature, and one whose commit is
// short of a quorum. Each is refused (the chain never takes the block), the sender's score
// drops or it is banned (GET /peers, /metrics), and the node stays healthy and keeps committing.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Vote } from '../../../wire/bft.ts';
import type { Block } from '../../../wire/node-api.ts';
import { signBlock } from '../../chain/block.ts';
import { generateKeyPair, nodeIdOf, type KeyPair } from '../../chain/keys.ts';
import { sealEnvelope } from '../../p2p/envelope.ts';
import { validatorKey } from '../../testnet/testnet-genesis.ts';
import type { NodeClient } from '../../testkit/node-client.ts';
import { connectRawPeer, helloEnvelope, type RawPeer } from '../../testkit/raw-peer.ts';
import { waitFor } from '../../testkit/wait-for.ts';
import { signVote } from './signing.ts';
import { type BftTestnet, heights, startBftTestnet } from './testkit/bft-testnet-kit.ts';

const TESTNET_SEED = 'local-testnet'; // LocalTestnet's default: its validator keys are public knowledge

describe('hostile BFT input on a real validator process', { timeout: 120_000 }, () => {
  let net: BftTestnet;
  let victim: NodeClient;
  let keys: KeyPair[];
  const peers: RawPeer[] = [];

  before(async () => {
    net = await startBftTestnet('bft-hostile-it');
    victim = net.nodes[0];
    keys = net.keys.map((_, i) => validatorKey(TESTNET_SEED, i));
    assert.deepEqual(
      keys.map((k) => k.publicKey),
      net.keys,
    );
  });

  after(async () => {
    for (const p of peers) p.ws.terminate();
    await net?.stop();
  });

  /** A raw peer with a fresh key, handshaken with the victim. */
  async function mallory(): Promise<{ key: KeyPair; send(type: string, payload: unknown): void; peer: RawPeer }> {
    const key = generateKeyPair();
    const peer = connectRawPeer(victim.url);
    peers.push(peer);
    await peer.opened;
    peer.ws.send(helloEnvelope(key, net));
    await waitFor(async () => (await victim.peers()).some((x) => x.id === nodeIdOf(key.publicKey) && x.state === 'connected'), { timeoutMs: 10_000, what: 'mallory connected' });
    return { key, peer, send: (type, payload) => peer.ws.send(sealEnvelope(type, payload, key, Date.now())) };
  }

  /** Waits until the victim scored mallory below zero (or banned it); returns its /peers entry. */
  async function scoredDown(key: KeyPair) {
    return waitFor(async () => (await victim.peers()).find((x) => x.id === nodeIdOf(key.publicKey) && (x.score < 0 || x.state === 'banned')), {
      timeoutMs: 15_000,
      what: 'mallory scored down',
    });
  }

  /** The victim's log says why it refused: `code` appears in a 'peer misbehaved' line. */
  async function loggedRefusal(code: string): Promise<void> {
    const logFile = path.join(net.testnet.nodes()[0].dataDir, 'node.log');
    await waitFor(
      () =>
        fs
          .readFileSync(logFile, 'utf8')
          .split('\n')
          .some((l) => l.includes('peer misbehaved') && l.includes(code)),
      {
        timeoutMs: 5000,
        what: `a 'peer misbehaved' log line naming ${code}`,
      },
    );
  }

  async function healthyAndCommitting(): Promise<void> {
    const h = await victim.health();
    assert.equal(h.status, 'ok', JSON.stringify(h.reasons));
    const target = Math.max(...(await heights(net.nodes))) + 2;
    await waitFor(async () => Math.min(...(await heights(net.nodes))) >= target, { timeoutMs: 20_000, what: 'every node still committing' });
  }

  /** Votes of validator 1 for the next heights (the victim verifies each once its core gets there). */
  async function nextVotes(make: (height: number) => Vote): Promise<Vote[]> {
    const { height } = (await victim.api.consensus()).status;
    return [1, 2, 3].map((d) => make(height + d));
  }

  it('a vote with a bad signature: refused, the sender is scored down as SIGNATURE_INVALID', async () => {
    const m = await mallory();
    const before = await victim.metric('node_errors_total', 'kind="SIGNATURE_INVALID"');
    const votes = await nextVotes((height) => {
      const v = signVote(net.chainId, { type: 'prevote', height, round: 0, blockHash: null, validator: keys[1].publicKey }, keys[1]);
      return { ...v, signature: signVote(net.chainId, { ...v, round: 1 }, keys[1]).signature }; // a real signature, of other bytes
    });
    for (const vote of votes) m.send('bft_vote', { vote });
    await scoredDown(m.key);
    await loggedRefusal('VOTE_BAD_SIGNATURE');
    assert.ok((await victim.metric('node_errors_total', 'kind="SIGNATURE_INVALID"')) > before);
    const state = await victim.api.consensus();
    assert.equal(state.evidence?.length ?? 0, 0, 'a forged vote is no evidence against validator 1');
    await healthyAndCommitting();
  });

  it('a vote by a non-validator: refused, the sender is scored down', async () => {
    const m = await mallory();
    const outsider = generateKeyPair();
    const votes = await nextVotes((height) => signVote(net.chainId, { type: 'precommit', height, round: 0, blockHash: null, validator: outsider.publicKey }, outsider));
    for (const vote of votes) m.send('bft_vote', { vote });
    const entry = await scoredDown(m.key);
    assert.ok(entry.errors >= 1);
    await loggedRefusal('VOTE_NOT_VALIDATOR');
    await healthyAndCommitting();
  });

  it('a malformed vote: refused by its schema, the sender is scored down', async () => {
    const m = await mallory();
    const before = await victim.metric('node_errors_total', 'kind="SCHEMA_INVALID"');
    const [good] = await nextVotes((height) => signVote(net.chainId, { type: 'prevote', height, round: 0, blockHash: null, validator: keys[1].publicKey }, keys[1]));
    m.send('bft_vote', { vote: { ...good, round: -1 } });
    m.send('bft_vote', { vote: { ...good, type: 'maybe' } });
    await scoredDown(m.key);
    assert.ok((await victim.metric('node_errors_total', 'kind="SCHEMA_INVALID"')) > before);
    await healthyAndCommitting();
  });

  /** A block on the victim's head, proposed (and signed) by its rightful round-0 proposer, with the commit `commitOf` makes. */
  async function forgedBlock(commitOf: (block: Block) => NonNullable<Block['commit']>): Promise<Block> {
    const head = (await victim.blocks(Math.max(...(await heights([victim]))), 1)).blocks[0];
    const height = head.header.height + 1;
    const proposer = keys[net.keys.indexOf(net.validators.proposer(height, 0))];
    const block = signBlock({ chainId: net.chainId, height, parentHash: head.hash, timestamp: Math.max(Date.now(), head.header.timestamp), slot: 0, proposer: '' }, [], proposer);
    return { ...block, commit: commitOf(block) };
  }

  const precommit = (block: Block, key: KeyPair) => ({
    validator: key.publicKey,
    signature: signVote(net.chainId, { type: 'precommit', height: block.header.height, round: 0, blockHash: block.hash, validator: key.publicKey }, key).signature,
  });

  for (const [name, reason, commitOf] of [
    [
      'a forged commit signature (three signers, one signature made with another key)',
      'COMMIT_BAD_SIGNATURE',
      (b: Block) => ({
        height: b.header.height,
        round: 0,
        blockHash: b.hash,
        signatures: [precommit(b, keys[1]), precommit(b, keys[2]), { validator: keys[3].publicKey, signature: precommit(b, generateKeyPair()).signature }],
      }),
    ],
    [
      'a short commit (two real signatures of four validators)',
      'COMMIT_SHORT',
      (b: Block) => ({ height: b.header.height, round: 0, blockHash: b.hash, signatures: [precommit(b, keys[1]), precommit(b, keys[2])] }),
    ],
  ] as const) {
    it(`a block with ${name}: never in the chain, the sender is scored down as INVALID_BLOCK`, async () => {
      const m = await mallory();
      const before = await victim.metric('node_errors_total', 'kind="INVALID_BLOCK"');
      const block = await forgedBlock(commitOf);
      m.send('block', { block });
      await scoredDown(m.key);
      await loggedRefusal(`BLOCK_COMMIT_INVALID: ${reason}`);
      assert.ok((await victim.metric('node_errors_total', 'kind="INVALID_BLOCK"')) > before);
      await healthyAndCommitting();
      for (const c of net.nodes) assert.equal(await c.block(block.hash), null, 'the forged block is in no chain');
      const atHeight = await Promise.all(net.nodes.map((c) => c.block(block.header.height)));
      for (const b of atHeight) assert.ok(b && b.hash !== block.hash && b.commit && b.commit.signatures.length >= 3);
    });
  }
});
