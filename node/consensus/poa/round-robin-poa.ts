// Round-robin proof of authority: validators fixed in genesis take turns by slot
// (slot = floor(time / blockTime), proposer = validators[slot mod n]). Fork choice is the
// longest chain; equal heights go to the lower block hash, so every node picks the same head.
// No finality (finalized() is null) and no messages of its own: blocks travel by gossip.
// The rules are pure (the chain, benchmarks and tests use them without starting anything);
// start() runs the slot timer (block-producer.ts) when this node is a validator.
// Its status has no rounds or steps: height = head + 1, round 0, step null, the proposer of
// the current slot, no locks (-1); roundState() is null and it emits no consensus events.
import { z } from 'zod';
import type { Block, ConsensusRoundState, ConsensusStatus, HeadRef } from '../../../wire/node-api.ts';
import { ChainError } from '../../chain/errors.ts';
import type { Genesis } from '../../chain/genesis.ts';
import type { BlockCheckOptions, HeadCandidate } from '../../chain/rules.ts';
import { errFields } from '../../logger.ts';
import type { MessageHandler } from '../../p2p/message-registry.ts';
import type { ConsensusEngine, EngineChain, EngineClock, EngineContext, EngineDefinition } from '../engine.ts';
import { BlockProducer, type SlotSchedule } from './block-producer.ts';

export interface PoaOptions {
  /** How far ahead of local time a block may be stamped before it is refused (clock-skew guard). */
  maxFutureMs?: number;
}

/** A block may arrive this long before its slot starts by our clock (nodes' clocks differ). */
const QUIET_LEAD_MS = 5;
/** How long after its slot starts a block is still on its way to part of the mesh (16 nodes on 2 cores: ~30 ms). */
const QUIET_TAIL_MS = 40;

export class RoundRobinPoa implements ConsensusEngine, SlotSchedule {
  readonly name = 'poa';
  readonly messages: readonly MessageHandler<unknown>[] = [];
  readonly blockTimeMs: number;
  private readonly validators: string[];
  private readonly validatorSet: Set<string>;
  readonly maxFutureMs: number;
  private producer: BlockProducer | null = null;
  private unsubscribeClock: (() => void) | null = null;
  /** What status() reads while running; null before start and after stop. */
  private running: { chain: EngineChain; clock: EngineClock } | null = null;

  constructor(genesis: Genesis, opts: PoaOptions = {}) {
    this.blockTimeMs = genesis.blockTimeMs;
    this.validators = [...genesis.validators];
    this.validatorSet = new Set(this.validators);
    this.maxFutureMs = opts.maxFutureMs ?? Math.max(500, genesis.blockTimeMs);
  }

  slotAt(timeMs: number): number {
    return Math.floor(timeMs / this.blockTimeMs);
  }

  slotStartMs(slot: number): number {
    return slot * this.blockTimeMs;
  }

  proposerFor(slot: number): string {
    return this.validators[slot % this.validators.length];
  }

  /**
   * Outside the moments a block is on its way: from shortly before a slot starts (clocks of
   * nodes differ by a few ms) until most meshes have it. Both edges are a small part of the
   * slot, so held traffic waits at most about a fifth of a block time.
   */
  quietAt(timeMs: number): number {
    const lead = Math.min(QUIET_LEAD_MS, this.blockTimeMs / 20);
    const tail = Math.min(QUIET_TAIL_MS, this.blockTimeMs / 5);
    const start = this.slotStartMs(this.slotAt(timeMs));
    if (timeMs < start + tail) return start + tail;
    const next = start + this.blockTimeMs;
    return timeMs >= next - lead ? next + tail : timeMs;
  }

  isValidator(publicKey: string): boolean {
    return this.validatorSet.has(publicKey);
  }

  checkBlock(block: Block, parentBlock: Block, nowMs: number, opts: BlockCheckOptions): void {
    const { header } = block;
    const parent = parentBlock.header;
    const ctx = { height: header.height };
    if (header.slot <= parent.slot) {
      throw new ChainError('BLOCK_SLOT_NOT_INCREASING', `slot ${header.slot} <= parent slot ${parent.slot}`, ctx);
    }
    const expected = this.proposerFor(header.slot);
    if (header.proposer !== expected) {
      throw new ChainError('BLOCK_PROPOSER_WRONG', `slot ${header.slot} belongs to ${expected.slice(0, 16)}, not ${header.proposer.slice(0, 16)}`, ctx);
    }
    if (header.timestamp !== header.slot * this.blockTimeMs) {
      throw new ChainError('BLOCK_TIMESTAMP_INVALID', `timestamp ${header.timestamp} != slot * blockTime`, ctx);
    }
    if (!opts.skipFutureCheck && header.timestamp > nowMs + this.maxFutureMs) {
      throw new ChainError('BLOCK_FROM_FUTURE', `block is ${header.timestamp - nowMs} ms ahead of local time`, ctx);
    }
  }

  compareHeads(a: HeadCandidate, b: HeadCandidate): number {
    if (a.header.height !== b.header.height) return a.header.height - b.header.height;
    if (a.hash === b.hash) return 0;
    return a.hash < b.hash ? 1 : -1;
  }

  finalized(): HeadRef | null {
    return null;
  }

  status(): ConsensusStatus {
    const idle = { engine: this.name, round: 0, step: null, lockedRound: -1, validRound: -1 };
    if (!this.running) return { ...idle, height: 0, proposer: null };
    const { chain, clock } = this.running;
    return { ...idle, height: chain.headRef().height + 1, proposer: this.proposerFor(this.slotAt(clock.now())) };
  }

  roundState(): ConsensusRoundState | null {
    return null;
  }

  start(ctx: EngineContext): void {
    if (this.running) return;
    this.running = { chain: ctx.chain, clock: ctx.clock };
    if (!this.isValidator(ctx.key.publicKey)) return;
    const producer = new BlockProducer({
      schedule: this,
      clock: ctx.clock,
      timers: ctx.timers,
      key: ctx.key,
      head: () => ctx.chain.head(),
      selectTxs: (max) => ctx.selectTxs(max),
      isPaused: () => ctx.isPaused(),
      mayPropose: () => ctx.mayPropose(),
      publish: (block) => {
        ctx.submitBlock(block);
      },
      onError: (err, slot) => {
        ctx.metrics.errors.inc({ kind: err instanceof ChainError ? err.code : 'PRODUCER' });
        ctx.logger.error({ ...errFields(err), slot }, 'block production failed');
      },
    });
    this.producer = producer;
    producer.start();
    // A slot boundary is a moment of the (skewable) clock: re-arm when the offset moves.
    this.unsubscribeClock = ctx.clock.onChange(() => producer.rearm());
  }

  stop(): void {
    this.running = null;
    this.unsubscribeClock?.();
    this.unsubscribeClock = null;
    this.producer?.stop();
    this.producer = null;
  }
}

/** PoA takes no parameters in genesis beyond its name: validators and block time are top-level. */
export const poaDefinition: EngineDefinition<Record<string, never>> = {
  name: 'poa',
  params: z.strictObject({}),
  create: (genesis, _params, opts) => new RoundRobinPoa(genesis, { maxFutureMs: opts.maxFutureMs }),
};
