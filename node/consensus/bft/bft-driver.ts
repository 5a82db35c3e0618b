// The running half of the BFT engine: one TendermintCore driven by the node. It verifies the
// reactor's proposals and votes (signatures against the validator set; a bad one penalizes
// the peer), buffers messages of the next few heights, ignores past ones, and feeds the rest
// to the core. It carries out the core's effects:
//   need-proposal-value  build a block on the head (ctx.selectTxs), slot = round, and sign it
//   propose / vote       sign through the signing WAL (fsynced before anything leaves), broadcast
//   schedule-timeout     ctx.timers
//   decide               attach makeCommit(precommits) to the block and ctx.submitBlock it
// Own votes and proposals of the current round are re-broadcast every timeoutPrevote/2, so a
// lost message does not stall a round. Every newly verified proposal and vote of the current
// height is relayed once to the other peers (as CometBFT's gossip makes votes reach everyone;
// receivers drop copies they hold without a signature check; at most two messages per slot,
// relay-filter.ts), which is also what shows honest nodes both halves of an equivocation:
// every verified message (own included) goes through an EvidenceBook, and each new offence is
// counted, logged, listed (GET /consensus) and streamed.
// Chaos: a byzantine validator (byzantine.ts) departs from all this at the send points.
// When the chain's head reaches the core's height without the core deciding it (the block and
// its commit came by gossip or catch-up), the core adopts that decision and waits commitWait;
// when the head passes it, the core jumps to head + 1. A paused node neither
// proposes nor votes, and drops what it hears.
// Crash safety: the WAL is opened at start; a restarted validator re-broadcasts its last
// signed vote and resumes at head + 1 with the lock it had recovered for that height.
import fs from 'node:fs';
import type { EvidenceRecord, Misbehaviour, Proposal, Vote } from '../../../wire/bft.ts';
import type { Block, ConsensusRoundState, ConsensusStatus } from '../../../wire/node-api.ts';
import { signBlock } from '../../chain/block.ts';
import { applyBlock } from '../../chain/state.ts';
import { checkBlockIntrinsic } from '../../chain/validate.ts';
import { errFields } from '../../logger.ts';
import { P2PError } from '../../p2p/errors.ts';
import type { PeerConnection } from '../../p2p/peer-connection.ts';
import type { EngineContext } from '../engine.ts';
import { type BftBlockRulesConfig, checkBftHeader } from './bft-block-rules.ts';
import { BftProposalMsg, type BftProposalPayload, BftVoteMsg, type BftVotePayload } from './bft-messages.ts';
import { bftRoundState, bftStatus, voteProgress, wireReason } from './bft-view.ts';
import { ByzantinePolicy } from './byzantine.ts';
import { commitSigners, makeCommit } from './commit.ts';
import { BftCoreError } from './core-errors.ts';
import type { BftError } from './errors.ts';
import { EvidenceBook } from './evidence-book.ts';
import { RelayFilter } from './relay-filter.ts';
import { type LockState, SignWal } from './sign-wal.ts';
import { signProposal, signVote, verifyProposal, verifyVote } from './signing.ts';
import { type CoreEffect, type CoreVote, TendermintCore } from './tendermint-core.ts';
import type { TimeoutConfig } from './timeouts.ts';
import type { ValidatorSet } from './validator-set.ts';

export interface BftDriverConfig {
  chainId: string;
  validators: ValidatorSet;
  timeouts: TimeoutConfig;
  rules: BftBlockRulesConfig;
  maxTxsPerBlock: number;
}

/** Messages of heights above the core's, kept until it gets there: how far ahead, and how many. */
export const FUTURE_HEIGHTS = 4;
export const MAX_FUTURE_MESSAGES = 2000;
/**
 * Messages of rounds this far above the core's are dropped: they cannot be from an honest
 * validator of a live network, and each round's votes cost memory (the core keeps them all).
 */
export const MAX_ROUNDS_AHEAD = 100;
/**
 * Peers a relayed vote or proposal goes to (random, never the sender). The origin already sends
 * to every peer; relays only cover lost or missing links and spread equivocations, and relaying
 * to every peer made each node receive O(n²) copies a height (≈ 600 at 16 validators).
 */
export const RELAY_FANOUT = 4;
/** Distinct proposed blocks kept for one height (only the rightful proposers' get in). */
const MAX_BLOCKS_PER_HEIGHT = 64;

type Buffered = { height: number; peer: PeerConnection } & ({ kind: 'proposal'; payload: BftProposalPayload } | { kind: 'vote'; payload: BftVotePayload });

const voteKey = (v: CoreVote): string => `${v.type}/${v.round}/${v.validator}/${v.blockHash ?? 'nil'}`;

export class BftDriver {
  readonly core: TendermintCore;
  private readonly self: string | null;
  private wal: SignWal | null = null;
  private running = false;
  private readonly timers = new Set<unknown>();
  private gossipTimer: unknown = null;
  private unlisten: (() => void) | null = null;
  /** The core's height when this driver last looked; the per-height maps below belong to it. */
  private height = 0;
  private blocks = new Map<string, Block>();
  private validity = new Map<string, boolean>();
  private votes = new Map<string, Vote>();
  private seenProposals = new Set<string>();
  /** What this node signed at this height, with when it last went out (regossip re-sends only what is a gossip period old). */
  private ownVotes: { vote: Vote; sentAt: number }[] = [];
  private ownProposal: { payload: BftProposalPayload; sentAt: number } | null = null;
  private future: Buffered[] = [];
  private lastLock: string | null = null;
  /** For the surfaces: timeouts fired per round at this height, when the height/round started, the last commit told. */
  private timeoutsFired = new Map<number, Array<'propose' | 'prevote' | 'precommit'>>();
  private heightStartedAt = 0;
  private decidedAt = 0;
  private roundStartedAt = 0;
  private lastCommitHeight = 0;
  /** Chaos: how this validator misbehaves, consulted at every send point. */
  private readonly byz: ByzantinePolicy;
  private readonly evidenceBook = new EvidenceBook();
  private readonly relayFilter = new RelayFilter();

  constructor(
    private readonly ctx: EngineContext,
    private readonly cfg: BftDriverConfig,
  ) {
    this.self = cfg.validators.isValidator(ctx.key.publicKey) ? ctx.key.publicKey : null;
    this.core = new TendermintCore({
      validators: cfg.validators.validators,
      self: this.self,
      timeouts: cfg.timeouts,
      isValid: (hash) => this.isValid(hash),
    });
    this.byz = new ByzantinePolicy({ chainId: cfg.chainId, validators: cfg.validators.validators, key: ctx.key, network: ctx.network, timers: ctx.timers });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { ctx } = this;
    let recovered = null;
    if (this.self !== null) {
      fs.mkdirSync(ctx.dataDir, { recursive: true });
      const opened = SignWal.open(ctx.dataDir);
      this.wal = opened.wal;
      recovered = opened.recovered;
      if (recovered.truncatedBytes > 0) ctx.logger.warn({ bytes: recovered.truncatedBytes, reason: recovered.truncateReason }, 'signing WAL: cut a torn last write');
    }
    this.heightStartedAt = this.roundStartedAt = ctx.clock.now();
    this.lastCommitHeight = ctx.chain.headRef().height;
    this.unlisten = ctx.chain.listen({ onHead: (change) => this.onHead(change.head) });
    const height = ctx.chain.headRef().height + 1;
    this.run(this.core.start(height));
    if (recovered?.lock && recovered.lock.height === this.core.state().height) {
      this.core.restoreLock(recovered.lock);
      ctx.logger.info({ lock: recovered.lock }, 'BFT: resumed with the lock from the signing WAL');
    }
    const last = recovered?.lastSigned;
    if (last && last.kind !== 'proposal' && last.height === this.core.state().height && this.self !== null) {
      // Re-send exactly what was signed before the crash, and count it as ours again.
      const vote: Vote = { type: last.kind, height: last.height, round: last.round, blockHash: last.blockHash, validator: this.self, signature: last.signature };
      this.votes.set(voteKey(vote), vote);
      this.ownVotes.push({ vote, sentAt: ctx.clock.now() });
      this.noteEvidence(this.evidenceBook.observeVote(vote, ctx.clock.now()));
      this.run(this.core.vote(vote));
      if (!ctx.isPaused()) ctx.network.broadcast(BftVoteMsg, { vote });
    }
    this.armGossip();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const t of this.timers) this.ctx.timers.clearTimeout(t);
    this.timers.clear();
    if (this.gossipTimer !== null) this.ctx.timers.clearTimeout(this.gossipTimer);
    this.gossipTimer = null;
    this.byz.stop();
    this.unlisten?.();
    this.unlisten = null;
    this.wal?.close();
    this.wal = null;
  }

  /** Chaos: how this validator misbehaves from now on (null: honest at once). */
  setMisbehaviour(behaviour: Misbehaviour | null): void {
    this.byz.set(behaviour);
    this.ctx.logger.warn({ behaviour }, behaviour ? 'BFT: byzantine from now on (chaos)' : 'BFT: honest again');
  }

  /** Equivocations detected, newest last (at most MAX_LISTED_EVIDENCE). */
  evidence(): EvidenceRecord[] {
    return this.evidenceBook.list();
  }

  status(): ConsensusStatus {
    return bftStatus({ core: this.core, validators: this.cfg.validators, headHeight: this.ctx.chain.headRef().height });
  }

  roundState(): ConsensusRoundState {
    const headHeight = this.ctx.chain.headRef().height;
    const waiting = this.core.state().decision !== null && headHeight >= this.core.state().height;
    return bftRoundState({
      core: this.core,
      validators: this.cfg.validators,
      headHeight,
      timeoutsFired: this.timeoutsFired,
      startedAt: waiting ? this.decidedAt : this.heightStartedAt,
    });
  }

  /**
   * True when this exact vote is already held, or belongs to a height already decided: either
   * way the reactor drops it before the envelope's signature is checked (relays and re-gossip
   * of a finished height otherwise cost a signature check each, at 16 validators most of a
   * node's CPU).
   */
  hasVote(vote: Vote): boolean {
    return vote.height < this.core.state().height || this.votes.get(voteKey(vote))?.signature === vote.signature;
  }

  /** True when this exact proposal was already handled at the current height, or its height is decided. */
  hasProposal(proposal: Proposal): boolean {
    return proposal.height < this.core.state().height || this.seenProposals.has(proposal.signature);
  }

  onProposal(peer: PeerConnection, payload: BftProposalPayload): void {
    if (!this.running || this.ctx.isPaused()) return;
    const { proposal, block } = payload;
    const h = this.core.state().height;
    if (proposal.height < h || this.seenProposals.has(proposal.signature) || this.tooFarAhead(proposal.round)) return;
    if (proposal.height > h) return this.buffer({ kind: 'proposal', height: proposal.height, peer, payload });
    if (block.hash !== proposal.blockHash || block.header.height !== proposal.height) {
      this.penalize(peer, new P2PError('INVALID_BLOCK', 'bft_proposal: the block is not the one proposed', { height: proposal.height }));
      return;
    }
    const verdict = verifyProposal(this.cfg.chainId, proposal, this.cfg.validators, this.cfg.validators.proposer(proposal.height, proposal.round));
    if (!verdict.ok) return this.penalize(peer, this.toP2P(verdict.error));
    this.seenProposals.add(proposal.signature);
    if (this.watchesForEvidence(proposal.proposer)) this.noteEvidence(this.evidenceBook.observeProposal(proposal, this.ctx.clock.now()));
    if (this.byz.relays && this.relayFilter.admit(`proposal/${proposal.round}/${proposal.proposer}`)) this.ctx.network.broadcast(BftProposalMsg, payload, peer, RELAY_FANOUT);
    if (!this.blocks.has(block.hash)) {
      if (this.blocks.size >= MAX_BLOCKS_PER_HEIGHT) return;
      this.blocks.set(block.hash, block);
    }
    this.feed(peer, () =>
      this.core.proposal({ height: proposal.height, round: proposal.round, blockHash: proposal.blockHash, validRound: proposal.validRound, proposer: proposal.proposer }),
    );
  }

  onVote(peer: PeerConnection, payload: BftVotePayload): void {
    if (!this.running || this.ctx.isPaused()) return;
    const { vote } = payload;
    const h = this.core.state().height;
    if (vote.height < h || this.hasVote(vote) || this.tooFarAhead(vote.round)) return;
    if (vote.height > h) return this.buffer({ kind: 'vote', height: vote.height, peer, payload });
    const verdict = verifyVote(this.cfg.chainId, vote, this.cfg.validators);
    if (!verdict.ok) return this.penalize(peer, this.toP2P(verdict.error));
    this.votes.set(voteKey(vote), vote);
    if (this.watchesForEvidence(vote.validator)) this.noteEvidence(this.evidenceBook.observeVote(vote, this.ctx.clock.now()));
    if (this.byz.relays && this.relayFilter.admit(`${vote.type}/${vote.round}/${vote.validator}`)) this.ctx.network.broadcast(BftVoteMsg, payload, peer, RELAY_FANOUT);
    if (this.byz.equivocating) this.byz.echo(vote);
    this.feed(peer, () => this.core.vote({ type: vote.type, height: vote.height, round: vote.round, blockHash: vote.blockHash, validator: vote.validator }));
    if (this.running && vote.height === this.core.state().height) this.ctx.events.votes(voteProgress(this.core, this.cfg.validators, vote.round, vote.type));
  }

  private tooFarAhead(round: number): boolean {
    return round > this.core.state().round + MAX_ROUNDS_AHEAD;
  }

  private feed(peer: PeerConnection, step: () => CoreEffect[]): void {
    let effects: CoreEffect[];
    try {
      effects = step();
    } catch (err) {
      if (err instanceof BftCoreError) return this.penalize(peer, new P2PError('UNEXPECTED_MESSAGE', `${err.code}: ${err.message}`));
      throw err;
    }
    this.run(effects);
  }

  private buffer(msg: Buffered): void {
    const h = this.core.state().height;
    if (msg.height > h + FUTURE_HEIGHTS || this.future.length >= MAX_FUTURE_MESSAGES) return;
    this.future.push(msg);
  }

  private onHead(head: { height: number; hash: string }): void {
    if (!this.running) return;
    const s = this.core.state();
    if (head.height < s.height) return;
    // Our own decision: commitWait moves the core on (it paces the block time). The block may
    // have come by gossip all the same (a withholder cannot build the commit itself).
    if (head.height === s.height && s.decision !== null) return this.tellCommit(this.ctx.chain.head());
    if (head.height === s.height) {
      // The block being decided came with its commit (gossip) before this node decided it:
      // adopt that decision and wait commitWait like a node that decided itself. Jumping to
      // head + 1 at once made such a node, when next to propose, propose up to a block time
      // before the others began the height (the consensus benchmark's 1 s p99 outliers).
      const block = this.ctx.chain.head();
      this.tellCommit(block);
      this.recordDecided(head);
      this.decidedAt = this.ctx.clock.now();
      this.run(this.core.adoptDecision(head.height, block.commit?.round ?? s.round, head.hash));
      return;
    }
    this.ctx.logger.debug({ from: s.height, to: head.height + 1 }, 'BFT: the chain passed the core; jumping');
    this.tellCommit(this.ctx.chain.head());
    this.recordDecided(head);
    this.run(this.core.start(head.height + 1));
  }

  /**
   * A validator whose block log lost blocks it had decided runs the core again at heights it
   * already signed: the WAL would refuse every such signature (WAL_REGRESSION). It signs
   * nothing there and catches up by sync instead, quietly: that is the expected path.
   */
  private catchingUpBelowOwnSignatures(height: number): boolean {
    if (!this.wal?.signedPast(height)) return false;
    this.ctx.logger.debug({ height }, 'BFT: catching up below heights this validator already signed; not signing');
    return true;
  }

  /** The committed head is decided for the WAL too: it drops older locks and may compact. */
  private recordDecided(head: { height: number; hash: string }): void {
    // A chain behind the WAL (its block log lost blocks this node had decided, see
    // node/data-dir.ts) catches up below the decision the WAL holds already: nothing to record.
    if (this.wal && head.height < this.wal.state().lastDecidedHeight) return;
    try {
      this.wal?.recordDecision(head.height, head.hash);
    } catch (err) {
      this.ctx.logger.error({ ...errFields(err), height: head.height }, 'BFT: signing WAL refused the decided head');
    }
  }

  /** Carries out effects in order, then notices a new height (resets, replays buffered messages). */
  private run(effects: CoreEffect[]): void {
    for (const e of effects) {
      if (!this.running) return;
      try {
        this.apply(e);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        this.ctx.metrics.errors.inc({ kind: typeof code === 'string' ? code : 'BFT_EFFECT' });
        this.ctx.logger.error({ ...errFields(err), effect: e.kind }, 'BFT: effect failed');
      }
    }
    this.recordLockChange();
    this.checkHeight();
  }

  private apply(e: CoreEffect): void {
    const { ctx } = this;
    switch (e.kind) {
      case 'need-proposal-value': {
        if (ctx.isPaused()) return;
        const parent = ctx.chain.head();
        if (parent.header.height !== e.height - 1) {
          ctx.logger.warn({ height: e.height, head: parent.header.height }, 'BFT: cannot propose, the chain is not at the previous height');
          return;
        }
        const block = signBlock(
          {
            chainId: this.cfg.chainId,
            height: e.height,
            parentHash: parent.hash,
            timestamp: Math.max(ctx.clock.now(), parent.header.timestamp),
            slot: e.round,
            proposer: '',
          },
          ctx.selectTxs(this.cfg.maxTxsPerBlock),
          ctx.key,
        );
        this.blocks.set(block.hash, block);
        this.validity.set(block.hash, true);
        this.run(this.core.proposalValue({ height: e.height, round: e.round, blockHash: block.hash }));
        return;
      }
      case 'propose': {
        if (ctx.isPaused() || !this.wal || this.self === null || this.catchingUpBelowOwnSignatures(e.height)) return;
        const block = this.blocks.get(e.blockHash);
        if (!block) throw new Error(`no block ${e.blockHash} to propose`);
        if (this.byz.equivocating) {
          // Each peer its own block (a later timestamp per peer) and proposal, outside the WAL.
          const { txRoot: _root, ...header } = block.header;
          this.byz.equivocateProposal({ height: e.height, round: e.round, validRound: e.validRound }, (i) =>
            signBlock({ ...header, timestamp: header.timestamp + i + 1 }, block.txs, ctx.key),
          );
          return;
        }
        const unsigned = { height: e.height, round: e.round, blockHash: e.blockHash, validRound: e.validRound, proposer: this.self };
        const { message } = this.wal.beforeSign(
          { kind: 'proposal', height: e.height, round: e.round, blockHash: e.blockHash, validRound: e.validRound },
          () => signProposal(this.cfg.chainId, unsigned, ctx.key).signature,
        );
        const proposal: Proposal = { ...unsigned, signature: message.signature };
        const { commit: _commit, ...bare } = block;
        const own = { proposal, block: bare };
        this.seenProposals.add(proposal.signature);
        this.noteEvidence(this.evidenceBook.observeProposal(proposal, ctx.clock.now()));
        // Now, or delayMs later under delay-proposals; regossip sends it only once it went out.
        this.byz.sendProposal(() => {
          if (!this.running || this.core.state().height !== e.height || ctx.isPaused()) return;
          this.ownProposal = { payload: own, sentAt: ctx.clock.now() };
          ctx.network.broadcast(BftProposalMsg, own);
        });
        return;
      }
      case 'vote': {
        if (ctx.isPaused() || !this.wal || this.self === null || this.catchingUpBelowOwnSignatures(e.height)) return;
        const unsigned = { type: e.type, height: e.height, round: e.round, blockHash: e.blockHash, validator: this.self };
        const lock = e.type === 'precommit' ? this.lockState() : null;
        const { message } = this.wal.beforeSign(
          { kind: e.type, height: e.height, round: e.round, blockHash: e.blockHash },
          () => signVote(this.cfg.chainId, unsigned, ctx.key).signature,
          lock ? { lock } : {},
        );
        if (lock) this.lastLock = JSON.stringify(lock);
        const vote: Vote = { ...unsigned, signature: message.signature };
        // A withholder's signature must not leave, not even inside the commits it builds.
        if (this.byz.sharesOwnVotes) this.votes.set(voteKey(vote), vote);
        this.ownVotes.push({ vote, sentAt: ctx.clock.now() });
        this.noteEvidence(this.evidenceBook.observeVote(vote, ctx.clock.now()));
        if (this.byz.sendsOwnVotes) ctx.network.broadcast(BftVoteMsg, { vote });
        ctx.events.votes(voteProgress(this.core, this.cfg.validators, e.round, e.type));
        return;
      }
      case 'schedule-timeout': {
        const handle = ctx.timers.setTimeout(() => {
          this.timers.delete(handle);
          if (!this.running) return;
          const t = e.timeout;
          if (t.kind !== 'commit' && t.height === this.core.state().height) {
            const fired = this.timeoutsFired.get(t.round) ?? [];
            if (!fired.includes(t.kind)) this.timeoutsFired.set(t.round, [...fired, t.kind]);
          }
          this.run(this.core.timeout(t));
        }, e.ms);
        this.timers.add(handle);
        return;
      }
      case 'decide': {
        const block = this.blocks.get(e.blockHash);
        if (!block) throw new Error(`decided block ${e.blockHash} is unknown`);
        const signed = e.precommits.map((v) => this.votes.get(voteKey(v))).filter((v): v is Vote => v !== undefined);
        if (!this.cfg.validators.hasQuorum(signed.length) && !this.byz.sharesOwnVotes) {
          // Decided with its own withheld precommit: the block comes by gossip with the others' commit.
          ctx.logger.debug({ height: e.height, round: e.round }, 'BFT: decided with a withheld precommit; waiting for the block by gossip');
          this.wal?.recordDecision(e.height, e.blockHash);
          this.lastLock = null;
          this.decidedAt = ctx.clock.now();
          return;
        }
        const commit = makeCommit(e.height, e.round, e.blockHash, signed, this.cfg.validators);
        this.wal?.recordDecision(e.height, e.blockHash);
        this.lastLock = null;
        this.decidedAt = ctx.clock.now();
        ctx.logger.debug({ height: e.height, round: e.round, hash: e.blockHash }, 'BFT: decided');
        const outcome = ctx.submitBlock({ ...block, commit });
        if (outcome.status === 'rejected') ctx.logger.error({ height: e.height, code: outcome.error.code, err: outcome.error.message }, 'BFT: decided block rejected by the chain');
        else this.tellCommit({ ...block, commit });
        return;
      }
      case 'round-change': {
        if (e.step === 'propose' && e.round > 0) ctx.logger.info({ height: e.height, round: e.round, reason: e.reason }, 'BFT: new round');
        const now = ctx.clock.now();
        if (e.step === 'propose' || e.step === 'commit') {
          ctx.metrics.consensusRoundDuration.observe(Math.max(0, now - this.roundStartedAt) / 1000);
          this.roundStartedAt = now;
        }
        ctx.events.round({
          height: e.height,
          round: e.round,
          step: e.step,
          reason: wireReason(e.reason, e.step, e.round),
          proposer: this.cfg.validators.proposer(e.height, e.round),
        });
        return;
      }
      case 'equivocation': {
        // The detector has seen both signed votes already; this only catches what it may have pruned.
        const [a, b] = [this.votes.get(voteKey(e.first)), this.votes.get(voteKey(e.second))];
        if (a && b) this.noteEvidence(this.evidenceBook.observeVotePair(a, b, ctx.clock.now()));
        return;
      }
    }
  }

  /** Whether a message signed by `signer` goes to the evidence book: not this validator's own while chaos makes it equivocate (its echoes come back by relay; it does not confess). */
  private watchesForEvidence(signer: string): boolean {
    return !(this.byz.equivocating && signer === this.self);
  }

  /** A new piece of evidence: counted once, logged with the offender, streamed. */
  private noteEvidence(record: EvidenceRecord | null): void {
    if (!record) return;
    const { ctx } = this;
    ctx.metrics.consensusDuplicateVotes.inc();
    ctx.metrics.errors.inc({ kind: 'BFT_EQUIVOCATION' });
    ctx.logger.warn({ validator: record.validator, kind: record.kind, height: record.height, round: record.round, hash: record.hash }, 'BFT: equivocation evidence');
    ctx.events.evidence(record);
  }

  /** /stream `commit` for a block now in the chain with its commit, once per height, heights rising. */
  private tellCommit(block: Block): void {
    const { commit } = block;
    if (!commit || block.header.height <= this.lastCommitHeight) return;
    this.lastCommitHeight = block.header.height;
    const signers = commitSigners(commit);
    this.ctx.metrics.consensusMissingValidators.set(this.cfg.validators.size - signers.length);
    this.ctx.events.commit({ height: block.header.height, hash: block.hash, round: commit.round, signers });
  }

  private lockState(): LockState | null {
    const s = this.core.state();
    if (s.lockedRound < 0 && s.validRound < 0) return null;
    return { height: s.height, lockedRound: s.lockedRound, lockedValue: s.lockedValue, validRound: s.validRound, validValue: s.validValue };
  }

  /** Makes a lock or valid-value change durable even when no precommit carried it. */
  private recordLockChange(): void {
    if (!this.wal || !this.running) return;
    const s = this.core.state();
    if (s.decision !== null) return;
    const lock = this.lockState();
    if (!lock) return;
    const key = JSON.stringify(lock);
    if (key === this.lastLock) return;
    this.wal.recordLock(lock);
    this.lastLock = key;
  }

  private checkHeight(): void {
    if (!this.running) return;
    const h = this.core.state().height;
    if (h === this.height) return;
    this.height = h;
    this.heightStartedAt = this.ctx.clock.now();
    this.timeoutsFired = new Map();
    this.blocks = new Map([...this.blocks].filter(([, b]) => b.header.height === h));
    this.validity = new Map();
    this.votes = new Map();
    this.seenProposals = new Set();
    this.ownVotes = [];
    this.ownProposal = null;
    this.lastLock = null;
    this.byz.newHeight();
    this.relayFilter.reset();
    this.evidenceBook.pruneBelow(h);
    const ready = this.future.filter((m) => m.height === h);
    this.future = this.future.filter((m) => m.height > h);
    for (const m of ready) {
      if (m.kind === 'proposal') this.onProposal(m.peer, m.payload);
      else this.onVote(m.peer, m.payload);
    }
  }

  /** valid(v) of the algorithm: the proposed block extends our head and would be accepted but for its commit. */
  private isValid(hash: string): boolean {
    const known = this.validity.get(hash);
    if (known !== undefined) return known;
    const block = this.blocks.get(hash);
    if (!block) return false;
    const { chain, clock } = this.ctx;
    let ok = false;
    try {
      const head = chain.head();
      if (block.header.parentHash === head.hash && block.header.height === head.header.height + 1) {
        checkBlockIntrinsic(block, this.cfg.chainId, { verifySignatures: true });
        checkBftHeader(this.cfg.rules, block, head, clock.now(), { skipFutureCheck: false });
        applyBlock(chain.headState(), block); // on a throwaway overlay
        ok = true;
      }
    } catch (err) {
      this.ctx.logger.debug({ ...errFields(err), hash }, 'BFT: proposed block invalid');
    }
    this.validity.set(hash, ok);
    return ok;
  }

  private gossipEveryMs(): number {
    return Math.max(20, Math.floor(this.cfg.timeouts.prevoteMs / 2));
  }

  private armGossip(): void {
    const every = this.gossipEveryMs();
    this.gossipTimer = this.ctx.timers.setTimeout(() => {
      this.gossipTimer = null;
      if (!this.running) return;
      this.regossip();
      this.armGossip();
    }, every);
  }

  /**
   * Re-sends this node's proposal (until decided) and votes of the current round and the one
   * before, and relays the polka behind its valid value: the signed prevotes of every validator
   * for validValue in validRound.
   */
  private regossip(): void {
    const { ctx } = this;
    if (ctx.isPaused()) return;
    const { height, round, decision, validRound, validValue } = this.core.state();
    // Only what has been out a whole gossip period: a vote sent a moment ago is still on its
    // way, and re-sending it then doubles the traffic of every healthy height, when all 16
    // nodes are busy with the same round (seen in the 16-validator benchmark).
    const now = ctx.clock.now();
    const due = (sent: { sentAt: number }) => now - sent.sentAt >= this.gossipEveryMs();
    // Once decided, the block travels with its commit by gossip; only the votes still help.
    const own = this.ownProposal;
    if (own && decision === null && own.payload.proposal.round >= round - 1 && due(own)) {
      ctx.network.broadcast(BftProposalMsg, own.payload);
      own.sentAt = now;
    }
    // Own votes only while undecided: after the decision its block carries the commit to anyone who missed them.
    if (this.byz.sendsOwnVotes && decision === null) {
      for (const sent of this.ownVotes) {
        if (sent.vote.round < round - 1 || !due(sent)) continue;
        ctx.network.broadcast(BftVoteMsg, { vote: sent.vote });
        sent.sentAt = now;
      }
    }
    if (this.byz.equivocating) this.byz.regossip(round - 1);
    // A node that missed one prevote of an old polka can never accept the re-proposal of that
    // value (line 28 needs the polka at validRound), and with two validators locked on it and two
    // without the polka no round decides again (seen after a healed loss fault). CometBFT's vote
    // gossip sends a peer the prevotes of the proposal's POL round for the same reason; they are
    // signed by their validators, so relaying them is safe, and receivers drop the ones they hold.
    // Only once a later round began: within the polka's own round every prevote is still on its
    // way from its signer, and re-sending all of them to every peer flooded each healthy height.
    if (this.byz.relays && decision === null && validRound >= 0 && validRound < round && validValue !== null) {
      for (const vote of this.votes.values()) {
        if (vote.type === 'prevote' && vote.height === height && vote.round === validRound && vote.blockHash === validValue) ctx.network.broadcast(BftVoteMsg, { vote });
      }
    }
  }

  private penalize(peer: PeerConnection, err: P2PError): void {
    this.ctx.logger.debug({ code: err.code, err: err.message }, 'BFT: bad message from peer');
    this.ctx.network.penalize(peer, err);
  }

  private toP2P(err: BftError): P2PError {
    const code = err.code.endsWith('BAD_SIGNATURE') ? 'SIGNATURE_INVALID' : 'UNEXPECTED_MESSAGE';
    return new P2PError(code, `${err.code}: ${err.message}`, { height: err.context.height, round: err.context.round });
  }
}
