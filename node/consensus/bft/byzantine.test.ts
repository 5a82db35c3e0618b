import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Proposal, Vote } from '../../../wire/bft.ts';
import type { Block } from '../../../wire/node-api.ts';
import { signBlock } from '../../chain/block.ts';
import type { KeyPair } from '../../chain/keys.ts';
import type { PeerConnection } from '../../p2p/peer-connection.ts';
import { TEST_CHAIN_ID, testHash, testValidators, vote } from '../../testkit/bft-fixtures.ts';
import { FakeClock, FakeTimers } from '../compliance/engine-compliance.ts';
import type { EngineNetwork } from '../engine.ts';
import { ByzantinePolicy } from './byzantine.ts';
import { verifyProposal, verifyVote } from './signing.ts';

const v4 = testValidators(4);
const [evil, alice, bob, carol] = v4.keys;
const A = testHash('a');
const B = testHash('b');

function setup(withCarol: KeyPair[] = []) {
  const peers = [alice, bob, ...withCarol].map((k) => ({ remote: { publicKey: k.publicKey } }) as unknown as PeerConnection);
  const sent: Array<{ to: string; type: string; payload: unknown }> = [];
  const broadcasts: unknown[] = [];
  const network: EngineNetwork = {
    send: (peer, def, payload) => (sent.push({ to: peer.remote!.publicKey, type: def.type, payload }), true),
    broadcast: (_def, payload) => (broadcasts.push(payload), 2),
    connected: () => peers,
    penalize: () => {},
  };
  const clock = new FakeClock(1000);
  const timers = new FakeTimers(clock);
  const policy = new ByzantinePolicy({ chainId: TEST_CHAIN_ID, validators: v4.keys.map((k) => k.publicKey), key: evil, network, timers });
  return { policy, sent, timers };
}

const base = signBlock({ chainId: TEST_CHAIN_ID, height: 4, parentHash: testHash('parent'), timestamp: 5000, slot: 0, proposer: '' }, [], evil);
const variant = (i: number): Block => signBlock({ ...base.header, timestamp: base.header.timestamp + i + 1 }, [], evil);

describe('byzantine policy', () => {
  it('honest by default: sends its votes, relays, shares its votes, sends proposals at once', () => {
    const { policy } = setup();
    assert.deepEqual([policy.sendsOwnVotes, policy.relays, policy.sharesOwnVotes, policy.equivocating], [true, true, true, false]);
    let sent = false;
    policy.sendProposal(() => (sent = true));
    assert.ok(sent);
  });

  it('equivocate: each peer gets its own block with a valid proposal of the rightful proposer', () => {
    const { policy, sent } = setup();
    policy.set({ behaviour: 'equivocate' });
    assert.deepEqual([policy.sendsOwnVotes, policy.relays], [false, false]);
    policy.equivocateProposal({ height: 4, round: 0, validRound: -1 }, variant);
    assert.deepEqual(
      sent.map((m) => [m.to, m.type]),
      [
        [alice.publicKey, 'bft_proposal'],
        [bob.publicKey, 'bft_proposal'],
      ],
    );
    const proposals = sent.map((m) => (m.payload as { proposal: Proposal; block: Block }).proposal);
    assert.notEqual(proposals[0].blockHash, proposals[1].blockHash);
    for (const p of proposals) assert.deepEqual(verifyProposal(TEST_CHAIN_ID, p, v4.set, evil.publicKey), { ok: true });
  });

  it("equivocate: echoes a peer's own value back to that peer only, once per (round, type), and re-sends it", () => {
    const { policy, sent } = setup();
    policy.set({ behaviour: 'equivocate' });
    policy.echo(vote(alice, 'prevote', 4, 0, A));
    policy.echo(vote(bob, 'prevote', 4, 0, B));
    policy.echo(vote(alice, 'prevote', 4, 0, A)); // a relayed copy
    const echoes = sent.map((m) => ({ to: m.to, vote: (m.payload as { vote: Vote }).vote }));
    assert.deepEqual(
      echoes.map((e) => [e.to, e.vote.blockHash, e.vote.validator]),
      [
        [alice.publicKey, A, evil.publicKey],
        [bob.publicKey, B, evil.publicKey],
      ],
    );
    for (const e of echoes) assert.deepEqual(verifyVote(TEST_CHAIN_ID, e.vote, v4.set), { ok: true });
    sent.length = 0;
    policy.regossip(0);
    assert.equal(sent.length, 2, 'the echoes go again');
    policy.newHeight();
    sent.length = 0;
    policy.regossip(0);
    assert.equal(sent.length, 0, 'a new height forgets them');
  });

  it('equivocate: precommit echoes wait until every connected validator has precommitted, then go out together; a two-faced validator is not waited for', () => {
    const { policy, sent } = setup([carol]);
    policy.set({ behaviour: 'equivocate' });
    const precommitEchoes = () => sent.filter((m) => (m.payload as { vote: Vote }).vote.type === 'precommit').map((m) => [m.to, (m.payload as { vote: Vote }).vote.blockHash]);
    policy.echo(vote(alice, 'prevote', 4, 0, A));
    policy.echo(vote(carol, 'prevote', 4, 0, A)); // carol: another equivocator, its echoes heard through relays
    policy.echo(vote(alice, 'precommit', 4, 0, A));
    assert.deepEqual(precommitEchoes(), [], 'alice must not decide before bob can');
    policy.echo(vote(bob, 'prevote', 4, 0, B));
    policy.echo(vote(carol, 'prevote', 4, 0, B)); // carol's other face
    assert.deepEqual(precommitEchoes(), []);
    policy.echo(vote(bob, 'precommit', 4, 0, B));
    assert.deepEqual(precommitEchoes(), [
      [alice.publicKey, A],
      [bob.publicKey, B],
    ]);
  });

  it('withhold-votes: proposes, sends and shares no vote of its own, still relays', () => {
    const { policy } = setup();
    policy.set({ behaviour: 'withhold-votes' });
    assert.deepEqual([policy.sendsOwnVotes, policy.sharesOwnVotes, policy.relays], [false, false, true]);
  });

  it('delay-proposals holds a proposal delayMs; honest again releases held ones at once; stop drops them', () => {
    const { policy, timers } = setup();
    policy.set({ behaviour: 'delay-proposals', delayMs: 1500 });
    const out: string[] = [];
    policy.sendProposal(() => out.push('first'));
    assert.equal(out.length, 0, 'held');
    assert.ok(timers.runNext());
    assert.deepEqual(out, ['first']);
    policy.sendProposal(() => out.push('second'));
    policy.set(null);
    assert.deepEqual(out, ['first', 'second']);
    assert.equal(timers.count, 0);
    policy.set({ behaviour: 'delay-proposals', delayMs: 1500 });
    policy.sendProposal(() => out.push('third'));
    policy.stop();
    assert.equal(timers.count, 0);
    assert.deepEqual(out, ['first', 'second']);
  });
});
