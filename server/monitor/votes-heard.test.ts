import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsensusRoundState, ConsensusState } from '../../wire/node-api.ts';
import { VotesHeardProbe, votesHeard } from './votes-heard.ts';

const H = 'ab'.repeat(32);
const keys = ['a', 'b', 'c', 'd'].map((c) => c.repeat(64));

function state(round: number, rounds: Array<{ prevotes: Array<string | null>; precommits?: Array<string | null> }>): ConsensusRoundState {
  return {
    height: 7,
    round,
    step: 'prevote',
    startedAt: 0,
    validators: keys,
    lockedRound: -1,
    lockedBlock: null,
    validRound: -1,
    validBlock: null,
    rounds: rounds.map((r, i) => ({ round: i, proposer: keys[i % 4], proposal: null, prevotes: r.prevotes, precommits: r.precommits ?? [null, null, null, null], timeouts: [] })),
  };
}

describe('votesHeard', () => {
  it('in prevote: the validators with a prevote or precommit in the current round', () => {
    const s = state(0, [{ prevotes: [H, 'nil', null, null], precommits: [null, null, null, H] }]);
    assert.deepEqual(votesHeard(s), { round: 0, heard: [keys[0], keys[1], keys[3]] });
  });

  it('in precommit: only the precommits (a polka from before the cut shows every prevote)', () => {
    const s = { ...state(0, [{ prevotes: [H, H, H, H], precommits: [H, H, null, null] }]), step: 'precommit' as const };
    assert.deepEqual(votesHeard(s), { round: 0, heard: [keys[0], keys[1]] });
  });

  it('in propose: the precommits of the round before; nothing in round 0 or once decided', () => {
    const s = { ...state(1, [{ prevotes: [H, H, H, null], precommits: ['nil', 'nil', 'nil', null] }, { prevotes: [null, null, null, null] }]), step: 'propose' as const };
    assert.deepEqual(votesHeard(s), { round: 0, heard: [keys[0], keys[1], keys[2]] });
    assert.equal(votesHeard({ ...state(0, [{ prevotes: [null, null, null, null] }]), step: 'propose' }), null);
    assert.equal(votesHeard({ ...state(0, [{ prevotes: [H, H, H, H], precommits: [H, H, H, null] }]), step: 'commit' }), null);
  });

  it('is null for engines without rounds', () => {
    assert.equal(votesHeard(null), null);
  });
});

describe('VotesHeardProbe', () => {
  const answer = (s: ConsensusRoundState | null): ConsensusState => ({
    engine: 'bft',
    status: { engine: 'bft', height: 7, round: 0, step: 'prevote', proposer: keys[0], lockedRound: -1, validRound: -1 },
    roundState: s,
  });

  it('keeps each node’s reading, reports a failing node and polls at most once per interval', async () => {
    const errors: string[] = [];
    let calls = 0;
    const probe = new VotesHeardProbe({ intervalMs: 60_000, onError: (id) => errors.push(id) });
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    const targets = [
      {
        nodeId: 'n1',
        fetch: async () => {
          calls++;
          return answer(state(0, [{ prevotes: [H, H, null, null] }]));
        },
      },
      {
        nodeId: 'n2',
        fetch: async () => {
          calls++;
          setImmediate(settle);
          throw new Error('connection refused');
        },
      },
    ];
    probe.poll(targets, 100_000);
    probe.poll(targets, 100_500); // too soon: no second round of calls
    await done;
    await new Promise<void>((r) => setImmediate(r));
    assert.equal(calls, 2);
    assert.deepEqual(probe.reading('n1')?.heard, [keys[0], keys[1]]);
    assert.equal(probe.reading('n2'), null);
    assert.deepEqual(errors, ['n2']);
    probe.clear();
    assert.equal(probe.reading('n1'), null);
  });
});
