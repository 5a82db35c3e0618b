'use client';
// A refetch driven by pushes that may come many times a second (every node's head change):
// run at once when idle, then at most once per interval, and once more at the end of a burst
// so the last push is never left unanswered.
import { useCallback, useEffect, useRef } from 'react';

interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Leading and trailing: a call after a quiet interval runs now, calls within the interval
 * collapse into one at its end. `ranAt`: when the work was last done before this throttle
 * existed (a page's hook: its query has just read), so the first push does not read again.
 */
export class Throttle {
  private last: number;
  private timer: unknown = null;

  constructor(
    private readonly run: () => void,
    private readonly intervalMs: number,
    private readonly clock: Clock = realClock,
    ranAt = -Infinity,
  ) {
    this.last = ranAt;
  }

  call(): void {
    if (this.timer !== null) return;
    const wait = this.last + this.intervalMs - this.clock.now();
    if (wait <= 0) this.fire();
    else this.timer = this.clock.setTimeout(() => this.fire(), wait);
  }

  cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    this.last = this.clock.now();
    this.run();
  }
}

/** `fn` throttled to once per `intervalMs` (leading and trailing, from mount), for the component's life. */
export function useThrottled(fn: () => void, intervalMs: number): () => void {
  const latest = useRef(fn);
  useEffect(() => {
    latest.current = fn;
  }, [fn]);
  const throttle = useRef<Throttle | null>(null);
  useEffect(() => {
    // Mounted with the query that reads on mount: that read counts as the first run.
    const t = new Throttle(() => latest.current(), intervalMs, realClock, Date.now());
    throttle.current = t;
    return () => t.cancel();
  }, [intervalMs]);
  return useCallback(() => throttle.current?.call(), []);
}
