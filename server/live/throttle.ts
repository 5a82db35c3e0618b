// A leading-edge throttle for live pushes: the first change after a quiet spell is sent
// almost at once, then at most one flush per interval while changes keep coming. "At once"
// is either the next timer turn ('timer': changes that arrive in the same I/O burst go
// together, e.g. a node snapshot and the verdict computed with it) or the end of the current
// synchronous run ('microtask': nothing else — no I/O callback, no timer — runs first, for
// pushes whose latency matters most). A burst is thus batched
// into one message per interval — a browser is never flooded — but a lone change waits
// ~1 ms instead of up to a whole fixed tick. The throttle only decides *when*; the caller's
// flush sends everything pending, so nothing is dropped by it.

export interface TimerApi {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: TimerApi = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type LeadingEdge = 'timer' | 'microtask';

export class LeadingThrottle {
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  private microtaskQueued = false;
  private running = false;

  constructor(
    readonly intervalMs: number,
    private readonly flush: () => void,
    private readonly opts: { leadingEdge?: LeadingEdge; timers?: TimerApi } = {},
  ) {
    if (!(intervalMs > 0)) throw new Error(`throttle interval must be > 0 ms, not ${intervalMs}`);
  }

  private get timers(): TimerApi {
    return this.opts.timers ?? realTimers;
  }

  start(): void {
    this.running = true;
  }

  /** Something became pending: flush it now-ish, or when the current interval ends. */
  schedule(): void {
    if (!this.running || this.timer !== null || this.microtaskQueued) return;
    const wait = Math.max(0, this.lastFlushAt + this.intervalMs - this.timers.now());
    if (wait === 0 && this.opts.leadingEdge === 'microtask') {
      this.microtaskQueued = true;
      queueMicrotask(() => {
        if (!this.microtaskQueued) return; // stopped meanwhile
        this.microtaskQueued = false;
        this.run();
      });
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.run();
    }, wait);
  }

  private run(): void {
    this.lastFlushAt = this.timers.now();
    this.flush();
  }

  /** Whether a flush is scheduled. */
  get pending(): boolean {
    return this.timer !== null || this.microtaskQueued;
  }

  stop(): void {
    this.running = false;
    this.microtaskQueued = false;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
