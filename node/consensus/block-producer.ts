// Produces this validator's blocks: one timer armed for the next slot boundary (no polling),
// and on each boundary, if the slot is ours, the node is not paused and the head is from an
// earlier slot, a signed block on the current head.
import type { Block, Tx } from '../../wire/node-api.ts';
import { signBlock } from '../chain/block.ts';
import type { Clock } from '../chain/clock.ts';
import type { KeyPair } from '../chain/keys.ts';
import type { ConsensusEngine } from './engine.ts';

export interface ProducerDeps {
  engine: ConsensusEngine;
  clock: Clock;
  key: KeyPair;
  head(): Block;
  selectTxs(max: number): Tx[];
  isPaused(): boolean;
  /** Takes ownership of the new block (import + broadcast); errors are the owner's to log. */
  publish(block: Block): void;
  onError(err: unknown, slot: number): void;
}

export class BlockProducer {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private lastSlot = -1;

  constructor(
    private readonly deps: ProducerDeps,
    private readonly opts: { maxTxsPerBlock: number } = { maxTxsPerBlock: 1000 },
  ) {}

  start(): void {
    if (this.running || !this.deps.engine.isValidator(this.deps.key.publicKey)) return;
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Re-arms the timer, e.g. after the clock offset changed. */
  rearm(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.arm();
  }

  private arm(): void {
    const { engine, clock } = this.deps;
    const now = clock.now();
    const next = engine.slotStartMs(engine.slotAt(now) + 1);
    // +2 ms so that floor(now / blockTime) has surely moved to the new slot when we wake.
    this.timer = setTimeout(() => this.tick(), Math.max(1, next - now + 2));
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    const slot = this.deps.engine.slotAt(this.deps.clock.now());
    try {
      this.maybePropose(slot);
    } catch (err) {
      this.deps.onError(err, slot);
    }
    this.arm();
  }

  private maybePropose(slot: number): void {
    const { engine, key } = this.deps;
    if (slot === this.lastSlot || this.deps.isPaused()) return;
    if (engine.proposerFor(slot) !== key.publicKey) return;
    const parent = this.deps.head();
    if (parent.header.slot >= slot) return;
    this.lastSlot = slot;
    const block = signBlock(
      {
        chainId: parent.header.chainId,
        height: parent.header.height + 1,
        parentHash: parent.hash,
        timestamp: engine.slotStartMs(slot),
        slot,
        proposer: key.publicKey,
      },
      this.deps.selectTxs(this.opts.maxTxsPerBlock),
      key,
    );
    this.deps.publish(block);
  }
}
