// What the node's surfaces read from a running BFT engine, built from the core's state and
// vote set (pure functions): status() for /health, roundState() for GET /consensus, and the
// per-vote progress for /stream. While the core waits commitWait after deciding height h
// (and the block is already the chain's head), the height being decided is h + 1, round 0:
// the status says so, so that `height` is always above the finalized head.
import type { ConsensusRound, ConsensusRoundState, ConsensusStatus, RoundChangeReason as WireReason, RoundVote, VoteProgress } from '../../../wire/node-api.ts';
import { MAX_LISTED_ROUNDS } from '../../../wire/node-api.ts';
import type { CoreState, RoundChangeReason, Step, TendermintCore, VoteType } from './tendermint-core.ts';
import type { ValidatorSet } from './validator-set.ts';

export interface ViewInput {
  core: TendermintCore;
  validators: ValidatorSet;
  headHeight: number;
  /** Timeouts that fired per round at the core's height, in firing order. */
  timeoutsFired: ReadonlyMap<number, Array<'propose' | 'prevote' | 'precommit'>>;
  /** When the reported height started (Unix ms). */
  startedAt: number;
}

/** The (height, round, step, locks) the surfaces report; see the header for commitWait. */
export function reportedState(
  core: CoreState,
  headHeight: number,
): Pick<CoreState, 'height' | 'round' | 'step' | 'lockedRound' | 'lockedValue' | 'validRound' | 'validValue'> & { waiting: boolean } {
  if (core.decision !== null && headHeight >= core.height) {
    return { height: headHeight + 1, round: 0, step: 'propose', lockedRound: -1, lockedValue: null, validRound: -1, validValue: null, waiting: true };
  }
  return { ...core, waiting: false };
}

export function bftStatus(input: Pick<ViewInput, 'core' | 'validators' | 'headHeight'>): ConsensusStatus {
  const s = reportedState(input.core.state(), input.headHeight);
  return {
    engine: 'bft',
    height: s.height,
    round: s.round,
    step: s.step,
    proposer: input.validators.proposer(s.height, s.round),
    lockedRound: s.lockedRound,
    validRound: s.validRound,
  };
}

export function bftRoundState(input: ViewInput): ConsensusRoundState {
  const { core, validators } = input;
  const s = reportedState(core.state(), input.headHeight);
  const votes = s.waiting ? null : core.votes;
  const first = Math.max(0, s.round - MAX_LISTED_ROUNDS + 1);
  const rounds: ConsensusRound[] = [];
  for (let r = first; r <= s.round; r++) {
    const slot = (type: VoteType): RoundVote[] =>
      validators.validators.map((v) => {
        const vote = votes?.voteOf(r, type, v);
        return vote === undefined ? null : (vote.blockHash ?? 'nil');
      });
    rounds.push({
      round: r,
      proposer: validators.proposer(s.height, r),
      proposal: s.waiting ? null : (core.proposalsOf(r)[0]?.blockHash ?? null),
      prevotes: slot('prevote'),
      precommits: slot('precommit'),
      timeouts: s.waiting ? [] : [...(input.timeoutsFired.get(r) ?? [])].slice(0, 3),
    });
  }
  return {
    height: s.height,
    round: s.round,
    step: s.step,
    startedAt: input.startedAt,
    validators: [...validators.validators],
    lockedRound: s.lockedRound,
    lockedBlock: s.lockedValue,
    validRound: s.validRound,
    validBlock: s.validValue,
    rounds,
  };
}

/** The tally of one (round, type) at the core's height, as /stream's `votes` event. */
export function voteProgress(core: TendermintCore, validators: ValidatorSet, round: number, voteType: VoteType): VoteProgress {
  const votes = core.votes;
  const byValue = new Map<string, number>();
  let received = 0;
  let nil = 0;
  for (const v of validators.validators) {
    const vote = votes?.voteOf(round, voteType, v);
    if (!vote) continue;
    received++;
    if (vote.blockHash === null) nil++;
    else byValue.set(vote.blockHash, (byValue.get(vote.blockHash) ?? 0) + 1);
  }
  let leading: VoteProgress['leading'] = null;
  for (const [blockHash, n] of byValue) if (!leading || n > leading.votes) leading = { blockHash, votes: n };
  return { height: core.state().height, round, voteType, received, leading, nil, validators: validators.size };
}

/** The core's reason for a round or step change, in the wire's words. */
export function wireReason(reason: RoundChangeReason, step: Step, round: number): WireReason {
  if ((reason === 'start' || reason === 'commit') && step === 'propose' && round === 0) return 'new_height';
  if (reason === 'start') return 'new_height';
  if (reason === 'skip') return 'round_skip';
  return reason;
}
