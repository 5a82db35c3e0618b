// The node's notion of time: the wall clock plus an offset that the admin API can set to
// simulate clock skew. Everything consensus-related reads time through this.
export class Clock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  setOffset(ms: number): void {
    this.offset = Math.trunc(ms);
  }
}
