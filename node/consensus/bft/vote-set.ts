// The votes of one height, indexed by (round, type), with the counts the Tendermint rules ask
// about: "2f+1 ⟨PREVOTE, h, r, id(v)⟩", "2f+1 ⟨PRECOMMIT, h, r, *⟩", "f+1 ⟨*, h, round, *⟩".
// Pure bookkeeping: votes are already verified (signature, schema) by the caller; only the
// membership of the voter is checked here, because counting a stranger would break quorums.
//
// Public API
//   type VoteType = 'prevote' | 'precommit'
//   type CoreVote = { type, height, round, blockHash: string | null, validator: string }
//   type AddVoteResult = 'added' | 'duplicate' | { conflict: CoreVote }
//   quorumOf(n) = floor(2n/3) + 1;  fPlusOneOf(n) = floor((n-1)/3) + 1;  proposerAt(validators, h, r)
//   (one source for these numbers: validator-set.ts)
//   new VoteSet(height, validators)
//     .add(vote): AddVoteResult        throws BftCoreError VOTE_NOT_FROM_VALIDATOR / VOTE_WRONG_HEIGHT
//     .quorumFor(round, type): { value: string | null } | null   the first value (hash or nil) with > 2/3
//     .hasQuorumFor(round, type, value): boolean                  > 2/3 for that value (hash or nil)
//     .hasQuorumAny(round, type): boolean                          > 2/3 of votes, any values
//     .count(round, type, value): number
//     .votesFor(round, type, value): CoreVote[]                     e.g. precommits for a commit
//     .voteOf(round, type, validator): CoreVote | undefined
//     .validatorsSeen(round): ReadonlySet<string>                   voters of any type in round
//     .roundsWithFPlusOne(): number[]                               rounds with f+1 distinct voters
//     .rounds(): number[]                                           rounds with any vote, ascending
// An equivocation (same validator, height, round, type, another blockHash) is reported as
// { conflict: firstVote } (the pair is the evidence). The first vote stays the validator's
// vote (voteOf, the "any value" counts, round skip), but the conflicting vote is also tallied
// for its own value: the paper's rules count "2f+1 ⟨PRECOMMIT, h, r, id(v)⟩" messages from
// distinct validators per value, which stays safe (quorum intersection is about honest
// validators), and dropping it costs liveness: a node shown value B first by an equivocator
// could never count the 2f+1 precommits for A that decided the height everywhere else (the
// simulation found exactly that with 1 of 4 equivocating). CometBFT reaches the same end
// with peers' maj23 claims. A repeat of either vote is a 'duplicate'.
import { BftCoreError } from './core-errors.ts';
import { fPlusOneOf, quorumOf } from './validator-set.ts';

export type VoteType = 'prevote' | 'precommit';

/** The vote as the core sees it; the adapter maps the signed wire Vote onto it. */
export interface CoreVote {
  type: VoteType;
  height: number;
  round: number;
  /** The block hash voted for, or null for nil. */
  blockHash: string | null;
  /** The voter's public key (hex), as listed in the validator set. */
  validator: string;
}

export type AddVoteResult = 'added' | 'duplicate' | { conflict: CoreVote };

/** Votes of one (round, type): by validator, and tallied by value. */
interface Tally {
  byValidator: Map<string, CoreVote>;
  byValue: Map<string | null, Map<string, CoreVote>>;
}

export class VoteSet {
  private readonly members: ReadonlySet<string>;
  private readonly tallies = new Map<string, Tally>();
  private readonly seen = new Map<number, Set<string>>();
  readonly quorum: number;
  readonly fPlusOne: number;

  constructor(
    readonly height: number,
    readonly validators: readonly string[],
  ) {
    this.members = new Set(validators);
    if (validators.length === 0 || this.members.size !== validators.length) {
      throw new BftCoreError('VALIDATOR_SET_INVALID', 'the validator set must be non-empty, without duplicates', {
        size: validators.length,
      });
    }
    this.quorum = quorumOf(validators.length);
    this.fPlusOne = fPlusOneOf(validators.length);
  }

  add(vote: CoreVote): AddVoteResult {
    if (!this.members.has(vote.validator)) {
      throw new BftCoreError('VOTE_NOT_FROM_VALIDATOR', `vote from ${vote.validator}, not a validator`, {
        validator: vote.validator,
        height: vote.height,
        round: vote.round,
      });
    }
    if (vote.height !== this.height) {
      throw new BftCoreError('VOTE_WRONG_HEIGHT', `vote for height ${vote.height} in the set of ${this.height}`, {
        height: vote.height,
      });
    }
    const tally = this.tally(vote.round, vote.type, true);
    let sameValue = tally.byValue.get(vote.blockHash);
    if (sameValue?.has(vote.validator)) return 'duplicate';
    if (!sameValue) tally.byValue.set(vote.blockHash, (sameValue = new Map()));
    sameValue.set(vote.validator, vote);
    const previous = tally.byValidator.get(vote.validator);
    if (previous) return { conflict: previous };
    tally.byValidator.set(vote.validator, vote);
    let voters = this.seen.get(vote.round);
    if (!voters) this.seen.set(vote.round, (voters = new Set()));
    voters.add(vote.validator);
    return 'added';
  }

  quorumFor(round: number, type: VoteType): { value: string | null } | null {
    const tally = this.tally(round, type, false);
    if (!tally) return null;
    for (const [value, votes] of tally.byValue) if (votes.size >= this.quorum) return { value };
    return null;
  }

  /** Whether `value` has > 2/3; with equivocators two values may both have it, unlike quorumFor's one. */
  hasQuorumFor(round: number, type: VoteType, value: string | null): boolean {
    return this.count(round, type, value) >= this.quorum;
  }

  hasQuorumAny(round: number, type: VoteType): boolean {
    return (this.tally(round, type, false)?.byValidator.size ?? 0) >= this.quorum;
  }

  count(round: number, type: VoteType, value: string | null): number {
    return this.tally(round, type, false)?.byValue.get(value)?.size ?? 0;
  }

  votesFor(round: number, type: VoteType, value: string | null): CoreVote[] {
    return [...(this.tally(round, type, false)?.byValue.get(value)?.values() ?? [])];
  }

  voteOf(round: number, type: VoteType, validator: string): CoreVote | undefined {
    return this.tally(round, type, false)?.byValidator.get(validator);
  }

  validatorsSeen(round: number): ReadonlySet<string> {
    return this.seen.get(round) ?? new Set();
  }

  roundsWithFPlusOne(): number[] {
    return this.rounds().filter((r) => this.validatorsSeen(r).size >= this.fPlusOne);
  }

  rounds(): number[] {
    return [...this.seen.keys()].sort((a, b) => a - b);
  }

  private tally(round: number, type: VoteType, create: true): Tally;
  private tally(round: number, type: VoteType, create: false): Tally | undefined;
  private tally(round: number, type: VoteType, create: boolean): Tally | undefined {
    const key = `${round}/${type}`;
    let tally = this.tallies.get(key);
    if (!tally && create) this.tallies.set(key, (tally = { byValidator: new Map(), byValue: new Map() }));
    return tally;
  }
}
