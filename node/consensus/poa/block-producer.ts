// PoA's slot timer: produces this validator's blocks. One timer armed for the next slot
// boundary (no polling), and on each boundary, if the slot is ours, the node is not paused
// and the head is from an earlier slot, a signed block on the current head.
import type { Block, Tx } from '../../../wire/node-api.ts';
import { signBlock } from '../../chain/block.ts';
import type { KeyPair } from '../../chain/keys.ts';
import type { EngineTimers } from '../engine.ts';

/** The schedule the producer follows (RoundRobinPoa). */
export interface SlotSchedule {
  slotAt(timeMs: number): number;
  slotStartMs(slot: number): number;
  /** The public key allowed to propose in `slot`. */
  proposerFor(slot: number): string;
}

export interface ProducerDeps {
  schedule: SlotSchedule;
  clock: { now(): number };
  timers: EngineTimers;
  key: KeyPair;
  head(): Block;
  selectTxs(max: number): Tx[];
  isPaused(): boolean;
  /** False while the node is still catching up after start (EngineContext.mayPropose). */
  mayPropose(): boolean;
  /** Takes ownership of the new block (import + broadcast); errors are the owner's to log. */
  publish(block: Block): void;
  onError(err: unknown, slot: number): void;
}

export class BlockProducer {
  private timer: unknown = null;
  private running = false;
  private lastSlot = -1;

  constructor(
    private readonly deps: ProducerDeps,
    private readonly opts: { maxTxsPerBlock: number } = { maxTxsPerBlock: 1000 },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Re-arms the timer, e.g. after the clock offset changed. */
  rearm(): void {
    if (!this.running) return;
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.arm();
  }

  private arm(): void {
    const { schedule, clock } = this.deps;
    const now = clock.now();
    const next = schedule.slotStartMs(schedule.slotAt(now) + 1);
    // +2 ms so that floor(now / blockTime) has surely moved to the new slot when we wake.
    this.timer = this.deps.timers.setTimeout(() => this.tick(), Math.max(1, next - now + 2));
  }

  private tick(): void {
    this.timer = null;
    if (!this.running) return;
    const slot = this.deps.schedule.slotAt(this.deps.clock.now());
    try {
      this.maybePropose(slot);
    } catch (err) {
      this.deps.onError(err, slot);
    }
    this.arm();
  }

  private maybePropose(slot: number): void {
    const { schedule, key } = this.deps;
    if (slot === this.lastSlot || this.deps.isPaused()) return;
    if (schedule.proposerFor(slot) !== key.publicKey || !this.deps.mayPropose()) return;
    const parent = this.deps.head();
    if (parent.header.slot >= slot) return;
    this.lastSlot = slot;
    const block = signBlock(
      {
        chainId: parent.header.chainId,
        height: parent.header.height + 1,
        parentHash: parent.hash,
        timestamp: schedule.slotStartMs(slot),
        slot,
        proposer: key.publicKey,
      },
      this.deps.selectTxs(this.opts.maxTxsPerBlock),
      key,
    );
    this.deps.publish(block);
  }
}
