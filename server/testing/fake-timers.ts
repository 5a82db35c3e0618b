// Test clock for the live hub's throttles (TimerApi on a hand-moved clock), so tests about
// intervals move time instead of sleeping through it.
import type { TimerApi } from '../live/throttle.ts';

/** Timers on a hand-moved clock: `advance` runs what falls due, in order. */
export class FakeTimers implements TimerApi {
  private clock = 0;
  private nextId = 0;
  private queue: { id: number; at: number; fn: () => void }[] = [];
  now = () => this.clock;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.nextId;
    this.queue.push({ id, at: this.clock + Math.max(1, ms), fn });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.queue = this.queue.filter((t) => t.id !== id);
  };
  /** Timers set and not yet run or cleared. */
  get pendingTimers(): number {
    return this.queue.length;
  }

  advance(ms: number): void {
    const until = this.clock + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const due = this.queue[0];
      if (!due || due.at > until) break;
      this.queue.shift();
      this.clock = due.at;
      due.fn();
    }
    this.clock = until;
  }
}
