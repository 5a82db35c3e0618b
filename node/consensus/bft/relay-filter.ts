// Which verified messages an honest node relays to its other peers: per slot (a validator's
// vote of one round and type, a proposer's proposal of one round) the first message and the
// first one that conflicts with it, never more. Two are enough for every peer to see an
// equivocation; without the cap a validator signing many values for one slot would have the
// whole network carry each of them. Slots belong to the current height: reset() at each one.
export const RELAYS_PER_SLOT = 2;

export class RelayFilter {
  private slots = new Map<string, number>();

  /** True when a message of `slot` may still be relayed (and counts it). */
  admit(slot: string): boolean {
    const n = this.slots.get(slot) ?? 0;
    if (n >= RELAYS_PER_SLOT) return false;
    this.slots.set(slot, n + 1);
    return true;
  }

  reset(): void {
    this.slots = new Map();
  }
}
