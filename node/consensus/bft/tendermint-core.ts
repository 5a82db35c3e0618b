// The Tendermint consensus state machine of one validator: Algorithm 1 of "The latest gossip
// on BFT consensus" (Buchman, Kwon, Milosevic; CometBFT spec/consensus/consensus-paper),
// line for line, as a pure object. It takes events (already verified proposals and votes,
// fired timeouts, the value to propose) and returns effects (proposals and votes to
// broadcast, timeouts to arm, decisions); the adapter signs, WAL-logs, sends and arms timers.
// No I/O, no clock, no randomness: the same events give the same effects, so a simulated
// network (testkit/sim-network.ts) can replay any schedule.
//
// Line numbers in comments are the paper's Algorithm 1 (1–8 init, 10 start, 11–20 StartRound,
// 22–26, 28–33 prevote, 34–35 timeoutPrevote, 36–43 lock and precommit, 44–46 precommit nil,
// 47–48 timeoutPrecommit, 49–54 decide, 55–56 round skip, 57–60/61–64/65–67 OnTimeout*).
// Departures, each for the adapter's sake: getValue() (line 17) is an effect
// `need-proposal-value` answered by the input `proposalValue`; after a decision (line 49) the
// core waits commitWait (a `commit` timeout) before the next height, instead of line 52's
// immediate h+1, so heights follow the block time; `start(h)` may jump to any higher height
// (after block sync). The core receives its own proposals and votes internally: the adapter
// must not feed them back (if it does they are harmless duplicates).
//
// Public API
//   new TendermintCore({ validators, self, timeouts, isValid })
//   .start(height): CoreEffect[]                    start (or jump to) height, round 0
//   .proposal(p: CoreProposal): CoreEffect[]        throws PROPOSAL_WRONG_PROPOSER / _VALID_ROUND_INVALID
//   .vote(v: CoreVote): CoreEffect[]                throws VOTE_NOT_FROM_VALIDATOR
//   .timeout(t: CoreTimeout): CoreEffect[]
//   .proposalValue({ height, round, blockHash }): CoreEffect[]   the answer to need-proposal-value
//   .adoptDecision(height, round, hash): CoreEffect[]  the height was decided elsewhere (block + commit arrived)
//   .restoreLock(lock): void                         a restarted validator's WAL lock at its height
//   .state(): CoreState                              height, round, step, locks, decision
//   .votes: VoteSet | null                           this height's votes (for /consensus views)
//   .proposalsOf(round): CoreProposal[]
// Messages of other heights are ignored (the adapter buffers future ones).
import { BftCoreError } from './core-errors.ts';
import { type TimeoutConfig, type TimeoutKind, timeoutMs } from './timeouts.ts';
import { proposerAt } from './validator-set.ts';
import { type CoreVote, VoteSet, type VoteType } from './vote-set.ts';

export type { CoreVote, VoteType } from './vote-set.ts';

export type Step = 'propose' | 'prevote' | 'precommit' | 'commit';

export interface CoreProposal {
  height: number;
  round: number;
  blockHash: string;
  /** The round of the polka that justifies a re-proposal, or -1. */
  validRound: number;
  proposer: string;
}

export interface CoreTimeout {
  kind: TimeoutKind;
  height: number;
  round: number;
}

export type RoundChangeReason = 'start' | 'proposal' | 'polka' | 'timeout' | 'skip' | 'commit';

export type CoreEffect =
  | { kind: 'need-proposal-value'; height: number; round: number }
  | { kind: 'propose'; height: number; round: number; blockHash: string; validRound: number }
  | { kind: 'vote'; type: VoteType; height: number; round: number; blockHash: string | null }
  | { kind: 'schedule-timeout'; timeout: CoreTimeout; ms: number }
  | { kind: 'decide'; height: number; round: number; blockHash: string; precommits: CoreVote[] }
  | { kind: 'round-change'; height: number; round: number; step: Step; reason: RoundChangeReason }
  | { kind: 'equivocation'; first: CoreVote; second: CoreVote };

export interface CoreState {
  height: number;
  round: number;
  step: Step;
  lockedValue: string | null;
  lockedRound: number;
  validValue: string | null;
  validRound: number;
  decision: { round: number; blockHash: string } | null;
}

export interface CoreConfig {
  /** The validator set (hex public keys), in genesis order: the proposer rotation. */
  validators: readonly string[];
  /** This node's public key; null (or a non-member) for an observer that never votes. */
  self: string | null;
  timeouts: TimeoutConfig;
  /** valid(v) of the paper: the adapter has checked the block behind the hash. */
  isValid(blockHash: string): boolean;
}

const STEP_ORDER: Record<Step, number> = { propose: 0, prevote: 1, precommit: 2, commit: 3 };

export class TendermintCore {
  // Lines 1–8: the state of process p.
  private height = 0;
  private round = 0;
  private step: Step = 'propose';
  private decision: { round: number; blockHash: string } | null = null;
  private lockedValue: string | null = null;
  private lockedRound = -1;
  private validValue: string | null = null;
  private validRound = -1;

  /** The message log of the current height (emptied at each height, line 53). */
  private voteSet: VoteSet | null = null;
  private proposals = new Map<number, Map<string, CoreProposal>>();
  private proposalSenders = new Map<number, Set<string>>();
  /** "for the first time" guards, per round (lines 34, 36, 47). */
  private prevoteTimeoutArmed = new Set<number>();
  private polkaSeen = new Set<number>();
  private precommitTimeoutArmed = new Set<number>();
  /** The round whose value this proposer asked for (getValue, line 17) and did not get yet. */
  private awaitingValueFor: number | null = null;
  private proposedIn = new Set<number>();

  private effects: CoreEffect[] = [];
  private readonly isValidator: boolean;

  constructor(private readonly config: CoreConfig) {
    if (config.validators.length === 0 || new Set(config.validators).size !== config.validators.length) {
      throw new BftCoreError('VALIDATOR_SET_INVALID', 'the validator set must be non-empty, without duplicates');
    }
    this.isValidator = config.self !== null && config.validators.includes(config.self);
  }

  state(): CoreState {
    return {
      height: this.height,
      round: this.round,
      step: this.step,
      lockedValue: this.lockedValue,
      lockedRound: this.lockedRound,
      validValue: this.validValue,
      validRound: this.validRound,
      decision: this.decision,
    };
  }

  /** This height's votes, for read-only views (GET /consensus); null before start. */
  get votes(): VoteSet | null {
    return this.voteSet;
  }

  proposalsOf(round: number): CoreProposal[] {
    return [...(this.proposals.get(round)?.values() ?? [])];
  }

  // Line 10: upon start do StartRound(0); also the jump to a higher height after a sync.
  start(height: number): CoreEffect[] {
    if (height <= this.height && this.votes) return [];
    this.enterHeight(height);
    this.startRound(0, 'start');
    return this.flush();
  }

  proposal(p: CoreProposal): CoreEffect[] {
    if (!this.votes || p.height !== this.height) return [];
    const expected = proposerAt(this.config.validators, p.height, p.round);
    if (p.proposer !== expected) {
      throw new BftCoreError('PROPOSAL_WRONG_PROPOSER', `proposal from ${p.proposer}, the proposer is ${expected}`, {
        height: p.height,
        round: p.round,
      });
    }
    if (!Number.isInteger(p.validRound) || p.validRound < -1 || p.validRound >= p.round) {
      throw new BftCoreError('PROPOSAL_VALID_ROUND_INVALID', `validRound ${p.validRound} in round ${p.round}`, {
        height: p.height,
        round: p.round,
      });
    }
    this.storeProposal(p);
    this.evaluate();
    return this.flush();
  }

  vote(v: CoreVote): CoreEffect[] {
    if (!this.votes || v.height !== this.height) return [];
    const result = this.votes.add(v);
    if (result === 'duplicate') return [];
    if (result !== 'added') this.effects.push({ kind: 'equivocation', first: result.conflict, second: v });
    this.evaluate();
    return this.flush();
  }

  timeout(t: CoreTimeout): CoreEffect[] {
    if (!this.votes || t.height !== this.height) return [];
    switch (t.kind) {
      // Lines 57–60: OnTimeoutPropose.
      case 'propose':
        if (t.round === this.round && this.step === 'propose') {
          this.broadcastVote('prevote', null);
          this.setStep('prevote', 'timeout');
        }
        break;
      // Lines 61–64: OnTimeoutPrevote.
      case 'prevote':
        if (t.round === this.round && this.step === 'prevote') {
          this.broadcastVote('precommit', null);
          this.setStep('precommit', 'timeout');
        }
        break;
      // Lines 65–67: OnTimeoutPrecommit.
      case 'precommit':
        if (t.round === this.round && this.decision === null) this.startRound(this.round + 1, 'timeout');
        break;
      // commitWait over: line 52–54's h+1, delayed to pace the block time.
      case 'commit':
        if (this.decision !== null) {
          this.enterHeight(this.height + 1);
          this.startRound(0, 'commit');
        }
        break;
    }
    this.evaluate();
    return this.flush();
  }

  /**
   * A restarted validator's lock (from its signing WAL) for the height it resumes at: restores
   * lockedRound/Value and validRound/Value so it cannot prevote against a value it precommitted
   * before the crash. Ignored for another height; never lowers a lock already held.
   */
  restoreLock(lock: { height: number; lockedRound: number; lockedValue: string | null; validRound: number; validValue: string | null }): void {
    if (!this.votes || lock.height !== this.height) return;
    if (lock.lockedRound > this.lockedRound) {
      this.lockedRound = lock.lockedRound;
      this.lockedValue = lock.lockedValue;
    }
    if (lock.validRound > this.validRound) {
      this.validRound = lock.validRound;
      this.validValue = lock.validValue;
    }
  }

  /**
   * The block of the current height was decided elsewhere (it arrived with a valid commit
   * before this core saw the quorum): enter the commit step as line 49 would, without a
   * `decide` effect (the block is already in the chain), and wait commitWait for the next
   * height. Ignored for another height or once decided.
   */
  adoptDecision(height: number, round: number, blockHash: string): CoreEffect[] {
    if (!this.votes || height !== this.height || this.decision !== null) return [];
    this.decision = { round, blockHash };
    this.step = 'commit';
    this.effects.push({ kind: 'round-change', height: this.height, round: this.round, step: 'commit', reason: 'commit' });
    this.schedule('commit', round);
    return this.flush();
  }

  /** getValue() answered (line 17): propose it if this round still wants it. */
  proposalValue(answer: { height: number; round: number; blockHash: string }): CoreEffect[] {
    if (answer.height !== this.height || answer.round !== this.round || this.awaitingValueFor !== answer.round || this.step !== 'propose') {
      return [];
    }
    this.awaitingValueFor = null;
    this.broadcastProposal(answer.blockHash, -1);
    this.evaluate();
    return this.flush();
  }

  private enterHeight(height: number): void {
    // Line 53: reset locks and valid values, empty the message log.
    this.height = height;
    this.decision = null;
    this.lockedValue = null;
    this.lockedRound = -1;
    this.validValue = null;
    this.validRound = -1;
    this.voteSet = new VoteSet(height, this.config.validators);
    this.proposals = new Map();
    this.proposalSenders = new Map();
    this.prevoteTimeoutArmed = new Set();
    this.polkaSeen = new Set();
    this.precommitTimeoutArmed = new Set();
    this.awaitingValueFor = null;
    this.proposedIn = new Set();
  }

  // Lines 11–20: StartRound(round).
  private startRound(round: number, reason: RoundChangeReason): void {
    this.round = round; // line 12
    this.step = 'propose'; // line 13
    this.awaitingValueFor = null;
    this.effects.push({ kind: 'round-change', height: this.height, round, step: 'propose', reason });
    if (this.isValidator && proposerAt(this.config.validators, this.height, round) === this.config.self) {
      // Lines 14–18: propose validValue if any, else a new value (getValue, asked as an effect).
      if (this.validValue !== null) this.broadcastProposal(this.validValue, this.validRound);
      else {
        this.awaitingValueFor = round;
        this.effects.push({ kind: 'need-proposal-value', height: this.height, round });
      }
    } else {
      // Line 20: schedule OnTimeoutPropose(h_p, round_p).
      this.schedule('propose', round);
    }
  }

  /** Applies the upon-rules until none fires (each firing may enable another). */
  private evaluate(): void {
    while (this.decision === null && this.fireOne()) {
      /* keep going */
    }
  }

  private fireOne(): boolean {
    const votes = this.voteSet!;
    const r = this.round;
    const valid = (v: string): boolean => this.config.isValid(v);

    // Lines 49–54: a proposal of round r' and 2f+1 precommits for it, in ANY round r'.
    for (const [round, byValue] of this.proposals) {
      for (const value of byValue.keys()) {
        if (!votes.hasQuorumFor(round, 'precommit', value) || !valid(value)) continue; // line 50
        this.decision = { round, blockHash: value }; // line 51
        this.effects.push({
          kind: 'decide',
          height: this.height,
          round,
          blockHash: value,
          precommits: votes.votesFor(round, 'precommit', value),
        });
        this.step = 'commit';
        this.effects.push({ kind: 'round-change', height: this.height, round: this.round, step: 'commit', reason: 'commit' });
        this.schedule('commit', round);
        return false;
      }
    }

    // Line 55: f+1 messages (any type) of a higher round: StartRound(that round) (line 56).
    let skipTo = -1;
    const laterRounds = new Set<number>([...votes.rounds(), ...this.proposalSenders.keys()]);
    for (const round of laterRounds) {
      if (round <= r || round <= skipTo) continue;
      const seen = new Set(votes.validatorsSeen(round));
      for (const s of this.proposalSenders.get(round) ?? []) seen.add(s);
      if (seen.size >= votes.fPlusOne) skipTo = round;
    }
    if (skipTo > r) {
      this.startRound(skipTo, 'skip');
      return true;
    }

    const roundProposals = [...(this.proposals.get(r)?.values() ?? [])];
    if (this.step === 'propose') {
      for (const p of roundProposals) {
        // Lines 22–26: a fresh proposal (vr = -1): prevote it unless locked on another value.
        if (p.validRound === -1) {
          const ok = valid(p.blockHash) && (this.lockedRound === -1 || this.lockedValue === p.blockHash);
          this.broadcastVote('prevote', ok ? p.blockHash : null);
          this.setStep('prevote', 'proposal');
          return true;
        }
        // Lines 28–33: a re-proposal with a polka at vr < r: the polka may unlock us.
        if (votes.hasQuorumFor(p.validRound, 'prevote', p.blockHash)) {
          const ok = valid(p.blockHash) && (this.lockedRound <= p.validRound || this.lockedValue === p.blockHash);
          this.broadcastVote('prevote', ok ? p.blockHash : null);
          this.setStep('prevote', 'proposal');
          return true;
        }
      }
    }

    // Lines 34–35: 2f+1 prevotes of any values, in step prevote, first time: arm timeoutPrevote.
    if (this.step === 'prevote' && !this.prevoteTimeoutArmed.has(r) && votes.hasQuorumAny(r, 'prevote')) {
      this.prevoteTimeoutArmed.add(r);
      this.schedule('prevote', r);
      return true;
    }

    // Lines 36–43: the proposal of this round and a polka for it, step ≥ prevote, first time.
    if (STEP_ORDER[this.step] >= STEP_ORDER.prevote && !this.polkaSeen.has(r)) {
      const v = roundProposals.find((p) => votes.hasQuorumFor(r, 'prevote', p.blockHash) && valid(p.blockHash))?.blockHash;
      if (v !== undefined) {
        this.polkaSeen.add(r);
        if (this.step === 'prevote') {
          this.lockedValue = v; // line 38
          this.lockedRound = r; // line 39
          this.broadcastVote('precommit', v); // line 40
          this.setStep('precommit', 'polka'); // line 41
        }
        this.validValue = v; // line 42
        this.validRound = r; // line 43
        return true;
      }
    }

    // Lines 44–46: a nil polka in step prevote: precommit nil.
    if (this.step === 'prevote' && votes.hasQuorumFor(r, 'prevote', null)) {
      this.broadcastVote('precommit', null);
      this.setStep('precommit', 'polka');
      return true;
    }

    // Lines 47–48: 2f+1 precommits of any values, first time: arm timeoutPrecommit.
    if (!this.precommitTimeoutArmed.has(r) && votes.hasQuorumAny(r, 'precommit')) {
      this.precommitTimeoutArmed.add(r);
      this.schedule('precommit', r);
      return true;
    }
    return false;
  }

  private storeProposal(p: CoreProposal): void {
    let byValue = this.proposals.get(p.round);
    if (!byValue) this.proposals.set(p.round, (byValue = new Map()));
    if (!byValue.has(p.blockHash)) byValue.set(p.blockHash, { ...p });
    let senders = this.proposalSenders.get(p.round);
    if (!senders) this.proposalSenders.set(p.round, (senders = new Set()));
    senders.add(p.proposer);
  }

  // Line 18: broadcast ⟨PROPOSAL, h_p, round_p, proposal, validRound_p⟩, and receive it ourselves.
  private broadcastProposal(blockHash: string, validRound: number): void {
    if (this.proposedIn.has(this.round)) return;
    this.proposedIn.add(this.round);
    this.effects.push({ kind: 'propose', height: this.height, round: this.round, blockHash, validRound });
    this.storeProposal({ height: this.height, round: this.round, blockHash, validRound, proposer: this.config.self! });
  }

  private broadcastVote(type: VoteType, blockHash: string | null): void {
    if (!this.isValidator) return;
    const vote: CoreVote = { type, height: this.height, round: this.round, blockHash, validator: this.config.self! };
    this.effects.push({ kind: 'vote', type, height: this.height, round: this.round, blockHash });
    this.voteSet!.add(vote);
  }

  private setStep(step: Step, reason: RoundChangeReason): void {
    this.step = step;
    this.effects.push({ kind: 'round-change', height: this.height, round: this.round, step, reason });
  }

  private schedule(kind: TimeoutKind, round: number): void {
    this.effects.push({
      kind: 'schedule-timeout',
      timeout: { kind, height: this.height, round },
      ms: timeoutMs(this.config.timeouts, kind, round),
    });
  }

  private flush(): CoreEffect[] {
    const out = this.effects;
    this.effects = [];
    return out;
  }
}
