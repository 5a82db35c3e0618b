// The BFT engine: Tendermint consensus (tendermint-core.ts) plugged into a running node.
// The chain rules are pure (bft-block-rules.ts: proposer of the round, time, and a commit of
// > 2/3 precommits on every block); the running half is BftDriver (bft-driver.ts), which
// verifies the reactor's messages, feeds the core and carries out its effects (build and sign
// blocks, sign through the WAL, broadcast, arm timers, import decided blocks with their commit).
//
// Genesis: `consensus: { engine: 'bft', timeouts?: TimeoutConfig }` (defaults from the block
// time, timeouts.ts). Fork choice: the higher block wins, equal heights go to the lower hash
// (committed blocks cannot fork unless more than 1/3 of the validators broke safety).
// Finality: every accepted block carries a valid commit, so the chain's head is final.
// Chaos: setMisbehaviour makes this validator byzantine (byzantine.ts); evidence() lists the
// equivocations it detected (evidence-book.ts).
import { z } from 'zod';
import type { EvidenceRecord, Misbehaviour } from '../../../wire/bft.ts';
import type { Block, ConsensusRoundState, ConsensusStatus, HeadRef } from '../../../wire/node-api.ts';
import type { Genesis } from '../../chain/genesis.ts';
import type { BlockCheckOptions, HeadCandidate } from '../../chain/rules.ts';
import { handler, type MessageHandler } from '../../p2p/message-registry.ts';
import type { ConsensusEngine, EngineContext, EngineDefinition } from '../engine.ts';
import { type BftBlockRulesConfig, checkBftBlock } from './bft-block-rules.ts';
import { BftDriver } from './bft-driver.ts';
import { BftProposalMsg, BftVoteMsg } from './bft-messages.ts';
import { TimeoutConfigSchema, type TimeoutConfig, defaultTimeouts } from './timeouts.ts';
import { ValidatorSet } from './validator-set.ts';

export interface BftOptions {
  timeouts?: TimeoutConfig;
  /** How far ahead of local time a block may be stamped before it is refused. */
  maxFutureMs?: number;
  /** Most txs in a block this node proposes. */
  maxTxsPerBlock?: number;
}

export class BftEngine implements ConsensusEngine {
  readonly name = 'bft';
  readonly validators: ValidatorSet;
  readonly timeouts: TimeoutConfig;
  readonly maxFutureMs: number;
  readonly messages: readonly MessageHandler<unknown>[];
  private readonly rulesConfig: BftBlockRulesConfig;
  private readonly maxTxsPerBlock: number;
  private chainHead: (() => HeadRef) | null = null;
  private driver: BftDriver | null = null;
  private byzantine: Misbehaviour | null = null;

  constructor(
    private readonly genesis: Genesis,
    opts: BftOptions = {},
  ) {
    this.validators = new ValidatorSet(genesis.validators);
    this.timeouts = opts.timeouts ?? defaultTimeouts(genesis.blockTimeMs);
    this.maxFutureMs = opts.maxFutureMs ?? Math.max(500, genesis.blockTimeMs);
    this.maxTxsPerBlock = opts.maxTxsPerBlock ?? 1000;
    this.rulesConfig = { chainId: genesis.chainId, validators: this.validators, maxFutureMs: this.maxFutureMs };
    this.messages = [
      handler(BftProposalMsg, {
        isDuplicate: (payload) => this.driver?.hasProposal(payload.proposal) ?? false,
        handle: (peer, payload) => this.driver?.onProposal(peer, payload),
      }),
      handler(BftVoteMsg, {
        isDuplicate: (payload) => this.driver?.hasVote(payload.vote) ?? false,
        handle: (peer, payload) => this.driver?.onVote(peer, payload),
      }),
    ] as MessageHandler<unknown>[];
  }

  /** The proposer of (height, round). */
  proposer(height: number, round: number): string {
    return this.validators.proposer(height, round);
  }

  isValidator(publicKey: string): boolean {
    return this.validators.isValidator(publicKey);
  }

  checkBlock(block: Block, parent: Block, nowMs: number, opts: BlockCheckOptions): void {
    checkBftBlock(this.rulesConfig, block, parent, nowMs, opts);
  }

  compareHeads(a: HeadCandidate, b: HeadCandidate): number {
    if (a.header.height !== b.header.height) return a.header.height - b.header.height;
    if (a.hash === b.hash) return 0;
    return a.hash < b.hash ? 1 : -1;
  }

  attachChain(chain: { headRef(): HeadRef }): void {
    this.chainHead = () => chain.headRef();
  }

  /** The head of the chain built on this engine: every accepted block is committed. */
  finalized(): HeadRef | null {
    return this.chainHead?.() ?? null;
  }

  /** Where consensus stands (/health); before start: height 0, no proposer. */
  status(): ConsensusStatus {
    return this.driver?.status() ?? { engine: this.name, height: 0, round: 0, step: null, proposer: null, lockedRound: -1, validRound: -1 };
  }

  /** The round state of the height being decided (GET /consensus); null before start. */
  roundState(): ConsensusRoundState | null {
    return this.driver?.roundState() ?? null;
  }

  setMisbehaviour(behaviour: Misbehaviour | null): void {
    this.byzantine = behaviour;
    this.driver?.setMisbehaviour(behaviour);
  }

  misbehaviour(): Misbehaviour | null {
    return this.byzantine;
  }

  /** Equivocations the running driver detected (empty before start). */
  evidence(): EvidenceRecord[] {
    return this.driver?.evidence() ?? [];
  }

  start(ctx: EngineContext): void {
    if (this.driver) return;
    this.driver = new BftDriver(ctx, {
      chainId: this.genesis.chainId,
      validators: this.validators,
      timeouts: this.timeouts,
      rules: this.rulesConfig,
      maxTxsPerBlock: this.maxTxsPerBlock,
    });
    this.driver.setMisbehaviour(this.byzantine);
    this.driver.start();
  }

  stop(): void {
    this.driver?.stop();
    this.driver = null;
  }

  /** The running driver (tests and views); null when stopped. */
  get running(): BftDriver | null {
    return this.driver;
  }
}

/** Genesis parameters: optional round timeouts (default: scaled from the block time). */
export const BftParamsSchema = z.strictObject({ timeouts: TimeoutConfigSchema.optional() });
export type BftParams = z.infer<typeof BftParamsSchema>;

export const bftDefinition: EngineDefinition<BftParams> = {
  name: 'bft',
  params: BftParamsSchema,
  create: (genesis, params, opts) => new BftEngine(genesis, { timeouts: params.timeouts, maxFutureMs: opts.maxFutureMs }),
};
