import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BftCoreError } from './core-errors.ts';
import { type CoreEffect, type CoreVote, TendermintCore, type VoteType } from './tendermint-core.ts';
import { defaultTimeouts } from './timeouts.ts';

// Four validators: quorum 3, f + 1 = 2. Proposer of (height 1, round r) is V[(1 + r) % 4]:
// round 0 → v1, round 1 → v2, round 2 → v3, round 3 → v0. The node under test is v0.
const V = ['v0', 'v1', 'v2', 'v3'];
const T = defaultTimeouts(1000);

function makeCore(self: string | null = 'v0'): TendermintCore {
  return new TendermintCore({ validators: V, self, timeouts: T, isValid: (h) => !h.startsWith('bad') });
}

const vote = (type: VoteType, validator: string, round: number, blockHash: string | null, height = 1): CoreVote => ({
  type,
  height,
  round,
  blockHash,
  validator,
});

function proposal(round: number, blockHash: string, validRound = -1, height = 1) {
  return { height, round, blockHash, validRound, proposer: V[(height + round) % 4] };
}

const votesIn = (effects: CoreEffect[]) => effects.flatMap((e) => (e.kind === 'vote' ? [{ type: e.type, round: e.round, blockHash: e.blockHash }] : []));
const timeoutsIn = (effects: CoreEffect[]) => effects.flatMap((e) => (e.kind === 'schedule-timeout' ? [{ ...e.timeout, ms: e.ms }] : []));
const decisionsIn = (effects: CoreEffect[]) => effects.filter((e) => e.kind === 'decide');

/** The state at round 0 of a height just entered: no lock, no valid value, no decision. */
const freshHeight = (height: number) => ({ height, round: 0, step: 'propose', lockedValue: null, lockedRound: -1, validValue: null, validRound: -1, decision: null });

/** Feeds votes one by one and returns every effect. */
function feed(core: TendermintCore, votes: CoreVote[]): CoreEffect[] {
  return votes.flatMap((v) => core.vote(v));
}

/** v0 at round 0 prevoted and precommitted A on a polka: locked on A in round 0. */
function lockedOnA(): TendermintCore {
  const core = makeCore();
  core.start(1);
  core.proposal(proposal(0, 'A'));
  feed(core, [vote('prevote', 'v1', 0, 'A'), vote('prevote', 'v2', 0, 'A')]);
  assert.equal(core.state().lockedValue, 'A');
  return core;
}

describe('TendermintCore (Algorithm 1)', () => {
  it('restoreLock: a restarted validator keeps its WAL lock and prevotes nil on another fresh value', () => {
    const core = makeCore();
    core.start(1);
    core.restoreLock({ height: 2, lockedRound: 0, lockedValue: 'X', validRound: 0, validValue: 'X' }); // another height: ignored
    assert.equal(core.state().lockedRound, -1);
    core.restoreLock({ height: 1, lockedRound: 0, lockedValue: 'A', validRound: 0, validValue: 'A' });
    assert.equal(core.state().lockedValue, 'A');
    // Round 1 (proposer v2) proposes a fresh B: locked on A, v0 prevotes nil (line 24).
    feed(core, [vote('precommit', 'v1', 1, null), vote('precommit', 'v2', 1, null)]); // f + 1 in round 1: skip
    assert.equal(core.state().round, 1);
    assert.deepEqual(votesIn(core.proposal(proposal(1, 'B'))), [{ type: 'prevote', round: 1, blockHash: null }]);
  });

  it('adoptDecision: a height decided elsewhere enters commit, votes no more, and waits commitWait before the next height', () => {
    const core = lockedOnA();
    const effects = core.adoptDecision(1, 0, 'A');
    assert.deepEqual(core.state().decision, { round: 0, blockHash: 'A' });
    assert.equal(core.state().step, 'commit');
    assert.deepEqual(decisionsIn(effects), [], 'the block is already in the chain: nothing to decide');
    assert.deepEqual(timeoutsIn(effects), [{ kind: 'commit', height: 1, round: 0, ms: T.commitWaitMs }]);
    // Late votes and old timeouts change nothing: no vote is signed after the decision.
    assert.deepEqual(votesIn(feed(core, [vote('precommit', 'v1', 0, 'A'), vote('precommit', 'v2', 0, 'A'), vote('prevote', 'v3', 1, null)])), []);
    assert.deepEqual(votesIn(core.timeout({ kind: 'prevote', height: 1, round: 0 })), []);
    assert.deepEqual(core.adoptDecision(1, 0, 'A'), [], 'a second adoption is ignored');
    assert.deepEqual(core.adoptDecision(2, 0, 'B'), [], 'another height is ignored');
    core.timeout({ kind: 'commit', height: 1, round: 0 });
    assert.equal(core.state().height, 2);
  });

  it('lines 10–20: a non-proposer starts round 0 in step propose and schedules timeoutPropose(0)', () => {
    const core = makeCore();
    const effects = core.start(1);
    assert.deepEqual(timeoutsIn(effects), [{ kind: 'propose', height: 1, round: 0, ms: T.proposeMs }]);
    assert.deepEqual(core.state(), freshHeight(1));
    assert.deepEqual(effects[0], { kind: 'round-change', height: 1, round: 0, step: 'propose', reason: 'start' });
  });

  it('lines 14–18: the proposer without a validValue asks for a value (getValue), proposes it with vr = -1 and prevotes it', () => {
    const core = makeCore('v1');
    const started = core.start(1);
    assert.deepEqual(
      started.filter((e) => e.kind === 'need-proposal-value'),
      [{ kind: 'need-proposal-value', height: 1, round: 0 }],
    );
    assert.deepEqual(timeoutsIn(started), [], 'the proposer does not arm timeoutPropose (line 20 is the else branch)');
    const effects = core.proposalValue({ height: 1, round: 0, blockHash: 'A' });
    assert.deepEqual(effects[0], { kind: 'propose', height: 1, round: 0, blockHash: 'A', validRound: -1 });
    assert.deepEqual(votesIn(effects), [{ type: 'prevote', round: 0, blockHash: 'A' }]);
    assert.deepEqual(core.proposalValue({ height: 1, round: 0, blockHash: 'B' }), [], 'one proposal a round');
  });

  it('line 16: a proposer with a validValue re-proposes it with its validRound, without asking for a value', () => {
    const core = lockedOnA();
    // Two validators speak in round 3 (f + 1): skip there; v0 proposes round 3 at height 1.
    const effects = feed(core, [vote('precommit', 'v1', 3, null), vote('precommit', 'v2', 3, null)]);
    assert.equal(core.state().round, 3);
    assert.deepEqual(
      effects.filter((e) => e.kind === 'propose'),
      [{ kind: 'propose', height: 1, round: 3, blockHash: 'A', validRound: 0 }],
    );
    assert.equal(
      effects.some((e) => e.kind === 'need-proposal-value'),
      false,
    );
    // Line 28–30: its own re-proposal with the polka at vr = 0 is prevoted.
    assert.deepEqual(votesIn(effects), [{ type: 'prevote', round: 3, blockHash: 'A' }]);
  });

  it('line 22–23: a valid fresh proposal from the round proposer is prevoted when not locked', () => {
    const core = makeCore();
    core.start(1);
    const effects = core.proposal(proposal(0, 'A'));
    assert.deepEqual(votesIn(effects), [{ type: 'prevote', round: 0, blockHash: 'A' }]);
    assert.equal(core.state().step, 'prevote');
  });

  it('line 24–25: an invalid proposal is prevoted nil', () => {
    const core = makeCore();
    core.start(1);
    assert.deepEqual(votesIn(core.proposal(proposal(0, 'bad-block'))), [{ type: 'prevote', round: 0, blockHash: null }]);
  });

  it('line 22/25: a node locked on A prevotes nil for a fresh proposal of B in a later round', () => {
    const core = lockedOnA();
    feed(core, [vote('precommit', 'v1', 1, null), vote('precommit', 'v2', 1, null)]); // skip to round 1
    assert.equal(core.state().round, 1);
    assert.deepEqual(votesIn(core.proposal(proposal(1, 'B'))), [{ type: 'prevote', round: 1, blockHash: null }]);
  });

  it('line 22–23: a node locked on A prevotes A again when A is proposed fresh', () => {
    const core = lockedOnA();
    feed(core, [vote('precommit', 'v1', 1, null), vote('precommit', 'v2', 1, null)]);
    assert.deepEqual(votesIn(core.proposal(proposal(1, 'A'))), [{ type: 'prevote', round: 1, blockHash: 'A' }]);
  });

  it('line 28–30: a re-proposal with a polka at vr ≥ lockedRound unlocks: prevote for it', () => {
    const core = lockedOnA(); // lockedRound 0
    // A polka for B in round 1 (it also makes v0 skip to round 1, where it saw no proposal).
    feed(core, [vote('prevote', 'v1', 1, 'B'), vote('prevote', 'v2', 1, 'B'), vote('prevote', 'v3', 1, 'B')]);
    feed(core, [vote('precommit', 'v1', 2, null), vote('precommit', 'v2', 2, null)]); // skip to round 2
    assert.equal(core.state().round, 2);
    const effects = core.proposal(proposal(2, 'B', 1));
    assert.deepEqual(votesIn(effects), [{ type: 'prevote', round: 2, blockHash: 'B' }]);
  });

  it('line 29: lockedRound = vr is enough (≤): a polka for B in the lock round itself unlocks', () => {
    const core = lockedOnA(); // polka A at round 0 from v0, v1, v2
    // v1 and v2 equivocate: a polka for B in round 0 as well (their conflicting votes count for B).
    feed(core, [vote('prevote', 'v1', 0, 'B'), vote('prevote', 'v2', 0, 'B'), vote('prevote', 'v3', 0, 'B')]);
    feed(core, [vote('precommit', 'v1', 2, null), vote('precommit', 'v2', 2, null)]); // skip to round 2
    assert.deepEqual(votesIn(core.proposal(proposal(2, 'B', 0))), [{ type: 'prevote', round: 2, blockHash: 'B' }]);
  });

  it('line 28–32: a re-proposal whose polka round is below lockedRound is prevoted nil', () => {
    const core = makeCore();
    core.start(1);
    // A polka for B in round 0 that v0 did not act on (no proposal seen in round 0).
    feed(core, [vote('prevote', 'v1', 0, 'B'), vote('prevote', 'v2', 0, 'B'), vote('prevote', 'v3', 0, 'B')]);
    // Round 1: lock on A.
    feed(core, [vote('precommit', 'v1', 1, null), vote('precommit', 'v2', 1, null)]);
    core.proposal(proposal(1, 'A'));
    feed(core, [vote('prevote', 'v2', 1, 'A'), vote('prevote', 'v3', 1, 'A')]);
    assert.deepEqual([core.state().lockedValue, core.state().lockedRound], ['A', 1]);
    // Round 2: B re-proposed with vr = 0 < lockedRound 1.
    feed(core, [vote('precommit', 'v1', 2, null), vote('precommit', 'v2', 2, null)]);
    assert.deepEqual(votesIn(core.proposal(proposal(2, 'B', 0))), [{ type: 'prevote', round: 2, blockHash: null }]);
  });

  it('line 28: a re-proposal waits in step propose until the polka at vr is seen', () => {
    const core = makeCore();
    core.start(1);
    feed(core, [vote('precommit', 'v1', 1, null), vote('precommit', 'v2', 1, null)]); // round 1
    assert.deepEqual(votesIn(core.proposal(proposal(1, 'B', 0))), []);
    assert.equal(core.state().step, 'propose');
    const effects = feed(core, [vote('prevote', 'v1', 0, 'B'), vote('prevote', 'v2', 0, 'B'), vote('prevote', 'v3', 0, 'B')]);
    assert.deepEqual(votesIn(effects), [{ type: 'prevote', round: 1, blockHash: 'B' }]);
  });

  it('line 34–35: 2f+1 prevotes of mixed values in step prevote arm timeoutPrevote, once', () => {
    const core = makeCore();
    core.start(1);
    core.proposal(proposal(0, 'A')); // v0 prevotes A
    const effects = feed(core, [vote('prevote', 'v1', 0, 'B'), vote('prevote', 'v2', 0, null)]);
    assert.deepEqual(timeoutsIn(effects), [{ kind: 'prevote', height: 1, round: 0, ms: T.prevoteMs }]);
    assert.deepEqual(votesIn(effects), [], 'no value has a polka: no precommit yet');
    assert.deepEqual(timeoutsIn(feed(core, [vote('prevote', 'v3', 0, 'B')])), [], 'first time only');
  });

  it('line 36–43: a polka for the proposal locks it, sets validValue and precommits it', () => {
    const core = makeCore();
    core.start(1);
    core.proposal(proposal(0, 'A'));
    const effects = feed(core, [vote('prevote', 'v1', 0, 'A'), vote('prevote', 'v2', 0, 'A')]);
    assert.deepEqual(votesIn(effects), [{ type: 'precommit', round: 0, blockHash: 'A' }]);
    const s = core.state();
    assert.deepEqual([s.step, s.lockedValue, s.lockedRound, s.validValue, s.validRound], ['precommit', 'A', 0, 'A', 0]);
    assert.ok(effects.some((e) => e.kind === 'round-change' && e.step === 'precommit' && e.reason === 'polka'));
  });

  it('line 36: a polka without the proposal does nothing; the proposal arriving later completes it', () => {
    const core = makeCore();
    core.start(1);
    core.timeout({ kind: 'propose', height: 1, round: 0 }); // prevote nil, step prevote
    const before = feed(core, [vote('prevote', 'v1', 0, 'A'), vote('prevote', 'v2', 0, 'A'), vote('prevote', 'v3', 0, 'A')]);
    assert.deepEqual(votesIn(before), []);
    const after = core.proposal(proposal(0, 'A'));
    assert.deepEqual(votesIn(after), [{ type: 'precommit', round: 0, blockHash: 'A' }]);
  });

  it('line 36–37, 42–43: a polka seen in step precommit updates validValue only (no lock, no second precommit)', () => {
    const core = makeCore();
    core.start(1);
    core.proposal(proposal(0, 'A'));
    feed(core, [vote('prevote', 'v1', 0, null), vote('prevote', 'v2', 0, 'A')]);
    core.timeout({ kind: 'prevote', height: 1, round: 0 }); // precommit nil
    assert.equal(core.state().step, 'precommit');
    const effects = feed(core, [vote('prevote', 'v3', 0, 'A')]);
    assert.deepEqual(votesIn(effects), []);
    const s = core.state();
    assert.deepEqual([s.lockedValue, s.lockedRound, s.validValue, s.validRound], [null, -1, 'A', 0]);
  });

  it('line 44–46: a nil polka in step prevote precommits nil', () => {
    const core = makeCore();
    core.start(1);
    core.proposal(proposal(0, 'A'));
    const effects = feed(core, [vote('prevote', 'v1', 0, null), vote('prevote', 'v2', 0, null), vote('prevote', 'v3', 0, null)]);
    assert.deepEqual(votesIn(effects), [{ type: 'precommit', round: 0, blockHash: null }]);
    assert.equal(core.state().lockedValue, null);
  });

  it('line 47–48: 2f+1 precommits of any values arm timeoutPrecommit, once', () => {
    const core = makeCore();
    core.start(1);
    const effects = feed(core, [vote('precommit', 'v1', 0, 'A'), vote('precommit', 'v2', 0, null), vote('precommit', 'v3', 0, 'B')]);
    assert.deepEqual(timeoutsIn(effects), [{ kind: 'precommit', height: 1, round: 0, ms: T.precommitMs }]);
    assert.deepEqual(timeoutsIn(core.vote(vote('precommit', 'v0', 0, null))), []);
  });

  it('line 49–54: a proposal and 2f+1 precommits for it decide, with the precommits as the certificate', () => {
    const core = makeCore();
    core.start(1);
    core.proposal(proposal(0, 'A'));
    const precommits = [vote('precommit', 'v1', 0, 'A'), vote('precommit', 'v2', 0, 'A'), vote('precommit', 'v3', 0, 'A')];
    const effects = feed(core, precommits);
    const [decision] = decisionsIn(effects);
    assert.ok(decision && decision.kind === 'decide');
    assert.deepEqual([decision.height, decision.round, decision.blockHash], [1, 0, 'A']);
    assert.deepEqual(decision.precommits.map((p) => p.validator).sort(), ['v1', 'v2', 'v3']);
    assert.deepEqual(core.state().decision, { round: 0, blockHash: 'A' });
    assert.deepEqual(timeoutsIn(effects).at(-1), { kind: 'commit', height: 1, round: 0, ms: T.commitWaitMs });
    assert.deepEqual(feed(core, [vote('precommit', 'v0', 0, 'A')]), [], 'decided: no rule fires again');
  });

  it('line 49: the decision may come from an earlier round than the current one (ANY round)', () => {
    const core = makeCore();
    core.start(1);
    core.proposal(proposal(0, 'A'));
    feed(core, [vote('precommit', 'v1', 4, null), vote('precommit', 'v2', 4, null)]); // skip to round 4
    assert.equal(core.state().round, 4);
    const effects = feed(core, [vote('precommit', 'v1', 0, 'A'), vote('precommit', 'v2', 0, 'A'), vote('precommit', 'v3', 0, 'A')]);
    assert.equal(decisionsIn(effects).length, 1);
    assert.deepEqual(core.state().decision, { round: 0, blockHash: 'A' });
  });

  it('line 49–50: precommits without the proposal, or for an invalid value, do not decide', () => {
    const core = makeCore();
    core.start(1);
    const precommits = (h: string) => [vote('precommit', 'v1', 0, h), vote('precommit', 'v2', 0, h), vote('precommit', 'v3', 0, h)];
    assert.equal(decisionsIn(feed(core, precommits('A'))).length, 0);
    assert.equal(decisionsIn(core.proposal(proposal(0, 'A'))).length, 1, 'the proposal completes it');

    const other = makeCore();
    other.start(1);
    other.proposal(proposal(0, 'bad-block'));
    assert.equal(decisionsIn(feed(other, precommits('bad-block'))).length, 0);
  });

  it('line 55–56: f+1 validators with messages of a higher round make the node skip to it; f do not', () => {
    const core = makeCore();
    core.start(1);
    assert.deepEqual(feed(core, [vote('prevote', 'v1', 2, null), vote('prevote', 'v1', 5, null)]), []);
    assert.equal(core.state().round, 0);
    const effects = core.vote(vote('precommit', 'v2', 5, 'X'));
    assert.equal(core.state().round, 5);
    assert.deepEqual(effects[0], { kind: 'round-change', height: 1, round: 5, step: 'propose', reason: 'skip' });
    assert.deepEqual(timeoutsIn(effects), [{ kind: 'propose', height: 1, round: 5, ms: T.proposeMs + 5 * T.proposeDeltaMs }]);
  });

  it('line 55: a proposal counts as a message of its round for the skip', () => {
    const core = makeCore();
    core.start(1);
    core.proposal(proposal(2, 'C')); // from v3
    assert.equal(core.state().round, 0);
    const effects = core.vote(vote('prevote', 'v1', 2, 'C'));
    assert.equal(core.state().round, 2);
    // In round 2 the stored proposal is acted on at once (line 22).
    assert.deepEqual(votesIn(effects), [{ type: 'prevote', round: 2, blockHash: 'C' }]);
  });

  it('line 57–60: timeoutPropose in step propose prevotes nil; a stale one does nothing', () => {
    const core = makeCore();
    core.start(1);
    assert.deepEqual(core.timeout({ kind: 'propose', height: 1, round: 3 }), []);
    assert.deepEqual(core.timeout({ kind: 'propose', height: 2, round: 0 }), []);
    const effects = core.timeout({ kind: 'propose', height: 1, round: 0 });
    assert.deepEqual(votesIn(effects), [{ type: 'prevote', round: 0, blockHash: null }]);
    assert.ok(effects.some((e) => e.kind === 'round-change' && e.step === 'prevote' && e.reason === 'timeout'));
    assert.deepEqual(core.timeout({ kind: 'propose', height: 1, round: 0 }), [], 'step is no longer propose');
  });

  it('line 61–64: timeoutPrevote in step prevote precommits nil', () => {
    const core = makeCore();
    core.start(1);
    core.proposal(proposal(0, 'A'));
    assert.deepEqual(votesIn(core.timeout({ kind: 'prevote', height: 1, round: 0 })), [{ type: 'precommit', round: 0, blockHash: null }]);
    assert.deepEqual(core.timeout({ kind: 'prevote', height: 1, round: 0 }), []);
  });

  it('line 65–67: timeoutPrecommit starts the next round, where the node may be the proposer', () => {
    const core = makeCore('v2'); // proposer of round 1
    core.start(1);
    const effects = core.timeout({ kind: 'precommit', height: 1, round: 0 });
    assert.equal(core.state().round, 1);
    assert.deepEqual(effects[0], { kind: 'round-change', height: 1, round: 1, step: 'propose', reason: 'timeout' });
    assert.deepEqual(
      effects.filter((e) => e.kind === 'need-proposal-value'),
      [{ kind: 'need-proposal-value', height: 1, round: 1 }],
    );
    assert.deepEqual(core.timeout({ kind: 'precommit', height: 1, round: 0 }), [], 'stale');
  });

  it('line 52–54 (after commitWait): the commit timeout starts the next height at round 0 with locks reset', () => {
    const core = lockedOnA();
    feed(core, [vote('precommit', 'v1', 0, 'A'), vote('precommit', 'v2', 0, 'A')]);
    assert.equal(core.state().step, 'commit');
    const effects = core.timeout({ kind: 'commit', height: 1, round: 0 });
    assert.deepEqual(core.state(), freshHeight(2));
    assert.deepEqual(effects[0], { kind: 'round-change', height: 2, round: 0, step: 'propose', reason: 'commit' });
    // Height 2, round 0: the proposer is v2, so v0 arms timeoutPropose.
    assert.deepEqual(timeoutsIn(effects), [{ kind: 'propose', height: 2, round: 0, ms: T.proposeMs }]);
    assert.deepEqual(core.vote(vote('prevote', 'v1', 0, 'A', 1)), [], 'an old height is ignored');
  });

  it('messages of other heights are ignored; a future start jumps heights, a past one is a no-op', () => {
    const core = makeCore();
    core.start(1);
    assert.deepEqual(core.proposal(proposal(0, 'A', -1, 2)), []);
    assert.deepEqual(feed(core, [vote('prevote', 'v1', 0, 'A', 2), vote('prevote', 'v2', 0, 'A', 2)]), []);
    assert.deepEqual(core.start(1), []);
    core.start(7);
    assert.equal(core.state().height, 7);
  });

  it('a proposal from anyone but the round proposer, or with vr ≥ round, is refused with a typed error', () => {
    const core = makeCore();
    core.start(1);
    assert.throws(
      () => core.proposal({ ...proposal(0, 'A'), proposer: 'v2' }),
      (e: unknown) => e instanceof BftCoreError && e.code === 'PROPOSAL_WRONG_PROPOSER',
    );
    assert.throws(
      () => core.proposal(proposal(1, 'A', 1)),
      (e: unknown) => e instanceof BftCoreError && e.code === 'PROPOSAL_VALID_ROUND_INVALID',
    );
    assert.throws(
      () => core.vote(vote('prevote', 'stranger', 0, 'A')),
      (e: unknown) => e instanceof BftCoreError && e.code === 'VOTE_NOT_FROM_VALIDATOR',
    );
  });

  it('a conflicting vote is reported as an equivocation with both votes', () => {
    const core = makeCore();
    core.start(1);
    core.vote(vote('prevote', 'v1', 0, 'A'));
    const effects = core.vote(vote('prevote', 'v1', 0, 'B'));
    assert.deepEqual(
      effects.filter((e) => e.kind === 'equivocation'),
      [{ kind: 'equivocation', first: vote('prevote', 'v1', 0, 'A'), second: vote('prevote', 'v1', 0, 'B') }],
    );
    assert.deepEqual(core.vote(vote('prevote', 'v1', 0, 'B')), [], 'the same conflicting vote again is a duplicate');
  });

  it('an observer (not a validator) never proposes or votes, but follows and decides', () => {
    const core = makeCore(null);
    const effects = [...core.start(1), ...core.proposal(proposal(0, 'A'))];
    effects.push(...feed(core, [vote('prevote', 'v1', 0, 'A'), vote('prevote', 'v2', 0, 'A'), vote('prevote', 'v3', 0, 'A')]));
    effects.push(...feed(core, [vote('precommit', 'v1', 0, 'A'), vote('precommit', 'v2', 0, 'A'), vote('precommit', 'v3', 0, 'A')]));
    assert.deepEqual(votesIn(effects), []);
    assert.equal(decisionsIn(effects).length, 1);
  });
});
