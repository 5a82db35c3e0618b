// A clock strobe: one node's clock offset alternates between two values every period, set
// through the node's PUT /admin/clock.
//
// Why the controller runs it and not the node: the node's admin clock stays a plain state ("the
// offset is X", which /health and /admin/chaos report), no node route changes, and nodes
// attached from an older build strobe too; heal and expiry stay where every other fault's are.
// The price is precision: each flip is one loopback HTTP call (a few ms late under load)
// against a period of at least 200 ms, and if the control plane dies mid-strobe the offset
// stays where it was until the strobe is adopted again on restart (ChaosController.load) or
// healed. Flips are scheduled from the start time (start + k·period), so lateness never adds
// up into drift.

export interface ClockStrobeSpec {
  deltaMs: number;
  periodMs: number;
  /** Alternate between +delta and -delta instead of +delta and 0. */
  symmetric: boolean;
}

/** The offset of flip number k (k = 0 is the first, at the start). */
export function strobeOffset(spec: ClockStrobeSpec, k: number): number {
  if (k % 2 === 0) return spec.deltaMs;
  return spec.symmetric ? -spec.deltaMs : 0;
}

export class ClockStrobe {
  private timer: NodeJS.Timeout | null = null;
  private inflight: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly startedAt = Date.now();

  /** `setOffset` answers 'ok' or what went wrong; failures are passed to `onError` and the strobe goes on. */
  constructor(
    private readonly spec: ClockStrobeSpec,
    private readonly setOffset: (offsetMs: number) => Promise<string>,
    private readonly onError: (result: string) => void,
  ) {}

  /** Sets the first offset (its result is the action's result) and schedules the flips. */
  async start(): Promise<string> {
    const first = this.setOffset(strobeOffset(this.spec, 0));
    this.inflight = first;
    const result = await first;
    this.schedule(1);
    return result;
  }

  /** Stops flipping; resolves once no flip is in flight, so a reset after it is the last word. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inflight.catch(() => undefined);
  }

  private schedule(k: number): void {
    if (this.stopped) return;
    const due = this.startedAt + k * this.spec.periodMs;
    this.timer = setTimeout(
      () => {
        if (this.stopped) return;
        const flip = this.setOffset(strobeOffset(this.spec, k)).then((r) => {
          if (r !== 'ok') this.onError(r);
        });
        this.inflight = flip;
        void flip.finally(() => this.schedule(k + 1));
      },
      Math.max(0, due - Date.now()),
    );
    this.timer.unref();
  }
}
