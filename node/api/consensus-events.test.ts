// The relay of consensus events to /stream: round and commit events pass through at once;
// vote progress is aggregated (at most one per interval per (height, round, type), the
// newest count wins, and a step change flushes the pending count before its own event);
// equivocation evidence goes out at once, as the engine found it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VoteProgress } from '../../wire/node-api.ts';
import { testHash, testValidators, vote } from '../testkit/bft-fixtures.ts';
import { EvidenceBook } from '../consensus/bft/evidence-book.ts';
import { FakeClock, FakeTimers } from '../consensus/compliance/engine-compliance.ts';
import { ConsensusEventRelay } from './consensus-events.ts';
import type { StreamEventInput } from './stream-hub.ts';

const A = 'a1'.repeat(32);
const H = 'ab'.repeat(32);

function relay(intervalMs = 250) {
  const clock = new FakeClock(1_000);
  const timers = new FakeTimers(clock);
  const out: StreamEventInput[] = [];
  const rounds: number[] = [];
  const r = new ConsensusEventRelay({ publish: (e) => out.push(e), timers, now: () => clock.now(), onRound: (c) => rounds.push(c.round), intervalMs });
  return { r, clock, timers, out, rounds };
}

const progress = (received: number, over: Partial<VoteProgress> = {}): VoteProgress => ({
  height: 5,
  round: 0,
  voteType: 'prevote',
  received,
  leading: { blockHash: H, votes: received },
  nil: 0,
  validators: 100,
  ...over,
});

const votes = (out: StreamEventInput[]) => out.flatMap((e) => (e.type === 'votes' ? [`${e.voteType}:${e.received}`] : []));

describe('ConsensusEventRelay', () => {
  it('passes round and commit events through at once, and tells the node of each round change', () => {
    const { r, out, rounds } = relay();
    r.round({ height: 5, round: 1, step: 'propose', reason: 'timeout', proposer: A });
    r.commit({ height: 5, hash: H, round: 1, signers: [A] });
    assert.deepEqual(
      out.map((e) => e.type),
      ['round', 'commit'],
    );
    assert.deepEqual(out[0], { type: 'round', height: 5, round: 1, step: 'propose', reason: 'timeout', proposer: A });
    assert.deepEqual(rounds, [1]);
  });

  it('publishes each evidence record at once, as the engine reported it', () => {
    const { r, out, timers } = relay();
    const [alice] = testValidators(4).keys;
    const book = new EvidenceBook();
    book.observeVote(vote(alice, 'prevote', 5, 0, testHash('a')), 1);
    const record = book.observeVote(vote(alice, 'prevote', 5, 0, testHash('b')), 2)!;
    r.evidence(record);
    assert.deepEqual(out, [{ type: 'evidence', evidence: record }]);
    assert.equal(timers.count, 0, 'nothing held back');
  });

  it('100 votes within one interval make 2 events: the first at once, the newest count when the interval ends', () => {
    const { r, clock, timers, out } = relay(250);
    for (let i = 1; i <= 100; i++) {
      r.votes(progress(i));
      clock.set(clock.now() + 1); // 100 votes over 100 ms
    }
    assert.deepEqual(votes(out), ['prevote:1']);
    assert.equal(timers.runNext(), true);
    assert.equal(clock.now(), 1_250, 'the pending count goes out one interval after the last event');
    assert.deepEqual(votes(out), ['prevote:1', 'prevote:100']);
    assert.equal(timers.runNext(), false, 'nothing more is armed');
  });

  it('over a long stream of votes, at most one event per interval per kind', () => {
    // Timers that run when the test's clock reaches them (FakeTimers jumps the clock instead).
    let now = 0;
    const due: Array<{ at: number; fn: () => void; id: number }> = [];
    let nextId = 1;
    const timers = {
      setTimeout: (fn: () => void, ms: number) => (due.push({ at: now + ms, fn, id: nextId }), nextId++),
      clearTimeout: (id: unknown) => void due.splice(0, due.length, ...due.filter((t) => t.id !== id)),
    };
    const runDue = () => {
      for (let t = due.find((x) => x.at <= now); t; t = due.find((x) => x.at <= now)) {
        due.splice(due.indexOf(t), 1);
        t.fn();
      }
    };
    const out: StreamEventInput[] = [];
    const r = new ConsensusEventRelay({ publish: (e) => out.push(e), timers, now: () => now, intervalMs: 250 });
    for (let i = 1; i <= 2_000; i++) {
      r.votes(progress(i % 100, { voteType: i % 2 ? 'prevote' : 'precommit' }));
      now += 1;
      runDue();
    }
    now += 1_000;
    runDue();
    assert.equal(due.length, 0);
    const perKind = (kind: string) => out.filter((e) => e.type === 'votes' && e.voteType === kind).length;
    // 2000 ms of votes, one event per 250 ms per kind at most (plus the final flush).
    assert.ok(perKind('prevote') <= 2_000 / 250 + 1, `prevote events: ${perKind('prevote')}`);
    assert.ok(perKind('precommit') <= 2_000 / 250 + 1, `precommit events: ${perKind('precommit')}`);
    assert.ok(perKind('prevote') >= 2_000 / 250 - 1 && perKind('precommit') >= 2_000 / 250 - 1, 'progress keeps flowing');
    const last = out.filter((e) => e.type === 'votes' && e.voteType === 'prevote').at(-1);
    assert.equal(last?.type === 'votes' && last.received, 1_999 % 100, 'the newest count is the last one sent');
  });

  it('a step change flushes the pending count before its own event, then counts start afresh', () => {
    const { r, timers, out } = relay(250);
    r.votes(progress(1));
    r.votes(progress(67));
    r.round({ height: 5, round: 0, step: 'precommit', reason: 'polka', proposer: A });
    assert.deepEqual(
      out.map((e) => (e.type === 'votes' ? `votes:${e.received}` : e.type)),
      ['votes:1', 'votes:67', 'round'],
    );
    assert.equal(timers.count, 0, 'the flush cleared the timer');
    r.votes(progress(1, { voteType: 'precommit' }));
    assert.deepEqual(votes(out).at(-1), 'precommit:1', 'the first count of the new step goes out at once');
  });

  it('different (height, round, type) are throttled separately; stop drops pending counts and timers', () => {
    const { r, timers, out } = relay(250);
    r.votes(progress(1));
    r.votes(progress(1, { round: 1 }));
    r.votes(progress(1, { voteType: 'precommit' }));
    assert.equal(votes(out).length, 3);
    r.votes(progress(2));
    assert.equal(timers.count, 1);
    r.stop();
    assert.equal(timers.count, 0);
    assert.equal(votes(out).length, 3);
  });
});
