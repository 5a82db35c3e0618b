// The node's notion of time: the wall clock plus an offset that the admin API can set to
// simulate clock skew. Everything consensus-related reads time through this; timers armed
// for a moment of this clock (a slot boundary) re-arm when the offset changes.
export class Clock {
  private offset = 0;
  private readonly listeners = new Set<() => void>();

  now(): number {
    return Date.now() + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  setOffset(ms: number): void {
    this.offset = Math.trunc(ms);
    for (const l of this.listeners) l();
  }

  /** Calls `fn` after each offset change; returns the unsubscribe. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
