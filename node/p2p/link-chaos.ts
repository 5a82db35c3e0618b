// Fault injection in the node's own link layer: LinkRules (drop, delay + jitter, loss %,
// duplicate %, bandwidth) applied per remote peer and direction, on send and on receive.
// Living in the node, the faults behave the same on a laptop and in a cluster, with no root.
import type { LinkRule } from '../../wire/node-api.ts';

export type LinkDirection = 'in' | 'out';

export interface EffectiveRule {
  drop: boolean;
  delayMs: number;
  jitterMs: number;
  lossPct: number;
  duplicatePct: number;
  bandwidthBps: number;
}

export interface PeerRef {
  id: string | null;
  publicKey: string | null;
  name: string | null;
}

/** The rule set of one node. Several matching rules combine: any drop drops, the largest
 *  delay/jitter/duplicate wins, losses compound, the tightest bandwidth cap applies. */
export class LinkChaos {
  private current: LinkRule[] = [];
  private readonly listeners = new Set<(rules: LinkRule[]) => void>();

  rules(): LinkRule[] {
    return this.current.map((r) => ({ ...r }));
  }

  setRules(rules: LinkRule[]): void {
    this.current = rules.map((r) => ({ ...r }));
    for (const l of this.listeners) l(this.rules());
  }

  onChange(l: (rules: LinkRule[]) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  effective(peer: PeerRef, dir: LinkDirection): EffectiveRule | null {
    let out: EffectiveRule | null = null;
    for (const r of this.current) {
      if (r.direction !== 'both' && r.direction !== dir) continue;
      if (r.peer !== '*' && r.peer !== peer.id && r.peer !== peer.publicKey && r.peer !== peer.name) continue;
      if (!out) out = { drop: false, delayMs: 0, jitterMs: 0, lossPct: 0, duplicatePct: 0, bandwidthBps: 0 };
      out.drop ||= r.drop;
      out.delayMs = Math.max(out.delayMs, r.delayMs);
      out.jitterMs = Math.max(out.jitterMs, r.jitterMs);
      out.lossPct = 100 - ((100 - out.lossPct) * (100 - r.lossPct)) / 100;
      out.duplicatePct = Math.max(out.duplicatePct, r.duplicatePct);
      if (r.bandwidthBps > 0) out.bandwidthBps = out.bandwidthBps === 0 ? r.bandwidthBps : Math.min(out.bandwidthBps, r.bandwidthBps);
    }
    return out;
  }
}

export type ShapeOutcome = 'delivered' | 'scheduled' | 'dropped';

/** Applies the rules of one link direction; owns the timers of messages it holds back. */
export class LinkShaper {
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextFreeAt = 0;
  private closed = false;

  constructor(
    private readonly chaos: LinkChaos,
    private readonly dir: LinkDirection,
    private readonly peer: () => PeerRef,
    private readonly random: () => number = Math.random,
  ) {}

  /** Passes `deliver` through the link: now, later, twice, or never. */
  pass(bytes: number, deliver: () => void, opts: { mayDuplicate: boolean } = { mayDuplicate: true }): ShapeOutcome {
    if (this.closed) return 'dropped';
    const rule = this.chaos.effective(this.peer(), this.dir);
    if (!rule) {
      deliver();
      return 'delivered';
    }
    if (rule.drop) return 'dropped';
    if (rule.lossPct > 0 && this.random() * 100 < rule.lossPct) return 'dropped';
    const copies = opts.mayDuplicate && rule.duplicatePct > 0 && this.random() * 100 < rule.duplicatePct ? 2 : 1;
    const now = Date.now();
    let at = now;
    if (rule.bandwidthBps > 0) {
      // Every copy uses the link: a duplicated message costs the cap twice.
      const start = Math.max(now, this.nextFreeAt);
      this.nextFreeAt = start + (copies * bytes * 1000) / rule.bandwidthBps;
      at = this.nextFreeAt;
    }
    const delay = at - now + rule.delayMs + (rule.jitterMs > 0 ? this.random() * rule.jitterMs : 0);
    if (delay < 1) {
      for (let i = 0; i < copies; i++) deliver();
      return 'delivered';
    }
    for (let i = 0; i < copies; i++) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!this.closed) deliver();
      }, delay);
      this.timers.add(t);
    }
    return 'scheduled';
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
