// Fault injection in the node's own link layer: LinkRules (drop, delay + jitter, loss %,
// duplicate %, reorder, corrupt, bandwidth as a token bucket; optionally correlated and seeded)
// applied per remote peer and direction, on send and on receive.
// Living in the node, the faults behave the same on a laptop and in a cluster, with no root.
import type { LinkRule } from '../../wire/node-api.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { CorrelatedChance, CorrelatedValue, TokenBucket, corruptText } from './link-shaping.ts';

export type LinkDirection = 'in' | 'out';

export interface EffectiveRule {
  drop: boolean;
  delayMs: number;
  jitterMs: number;
  delayCorrelationPct: number;
  lossPct: number;
  lossCorrelationPct: number;
  duplicatePct: number;
  duplicateCorrelationPct: number;
  reorderPct: number;
  reorderCorrelationPct: number;
  reorderGap: number;
  corruptPct: number;
  corruptCorrelationPct: number;
  bandwidthBps: number;
  bandwidthBurstBytes: number;
  seed: number | null;
}

const NO_EFFECT: EffectiveRule = {
  drop: false,
  delayMs: 0,
  jitterMs: 0,
  delayCorrelationPct: 0,
  lossPct: 0,
  lossCorrelationPct: 0,
  duplicatePct: 0,
  duplicateCorrelationPct: 0,
  reorderPct: 0,
  reorderCorrelationPct: 0,
  reorderGap: 1,
  corruptPct: 0,
  corruptCorrelationPct: 0,
  bandwidthBps: 0,
  bandwidthBurstBytes: 0,
  seed: null,
};

export interface PeerRef {
  id: string | null;
  publicKey: string | null;
  name: string | null;
}

/** The rule set of one node. Several matching rules combine: any drop drops, the largest
 *  delay/jitter/duplicate/reorder/corrupt and correlation wins, losses compound, the tightest
 *  bandwidth rate applies with its burst, the first seed seeds. */
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

  /** Nothing from (in) or to (out) this peer gets through: a partition, or 100 % loss. */
  cuts(peer: PeerRef, dir: LinkDirection): boolean {
    const rule = this.effective(peer, dir);
    return rule !== null && (rule.drop || rule.lossPct >= 100);
  }

  effective(peer: PeerRef, dir: LinkDirection): EffectiveRule | null {
    let out: EffectiveRule | null = null;
    for (const r of this.current) {
      if (r.direction !== 'both' && r.direction !== dir) continue;
      if (r.peer !== '*' && r.peer !== peer.id && r.peer !== peer.publicKey && r.peer !== peer.name) continue;
      out ??= { ...NO_EFFECT };
      out.drop ||= r.drop;
      out.delayMs = Math.max(out.delayMs, r.delayMs);
      out.jitterMs = Math.max(out.jitterMs, r.jitterMs);
      out.delayCorrelationPct = Math.max(out.delayCorrelationPct, r.delayCorrelationPct ?? 0);
      out.lossPct = 100 - ((100 - out.lossPct) * (100 - r.lossPct)) / 100;
      out.lossCorrelationPct = Math.max(out.lossCorrelationPct, r.lossCorrelationPct ?? 0);
      out.duplicatePct = Math.max(out.duplicatePct, r.duplicatePct);
      out.duplicateCorrelationPct = Math.max(out.duplicateCorrelationPct, r.duplicateCorrelationPct ?? 0);
      if ((r.reorderPct ?? 0) > out.reorderPct) Object.assign(out, { reorderPct: r.reorderPct, reorderGap: r.reorderGap ?? 1 });
      out.reorderCorrelationPct = Math.max(out.reorderCorrelationPct, r.reorderCorrelationPct ?? 0);
      out.corruptPct = Math.max(out.corruptPct, r.corruptPct ?? 0);
      out.corruptCorrelationPct = Math.max(out.corruptCorrelationPct, r.corruptCorrelationPct ?? 0);
      // The tightest rate wins, with its own bucket depth.
      if (r.bandwidthBps > 0 && (out.bandwidthBps === 0 || r.bandwidthBps < out.bandwidthBps)) {
        Object.assign(out, { bandwidthBps: r.bandwidthBps, bandwidthBurstBytes: r.bandwidthBurstBytes ?? 0 });
      }
      out.seed ??= r.seed ?? null;
    }
    return out;
  }
}

export type ShapeOutcome = 'delivered' | 'scheduled' | 'held' | 'dropped';

/** How a message is delivered: `corrupt` asks the caller to flip a byte of the frame first. */
export interface Delivery {
  corrupt: boolean;
}

export interface PassOptions {
  mayDuplicate: boolean;
  /** A ws ping/pong: never held back, corrupted, nor counted toward a reorder gap. */
  control?: boolean;
}

export const CONTROL_FRAME: PassOptions = { mayDuplicate: false, control: true };

/** A held message is released after `gap` later messages, or after this long if traffic stops. */
export const REORDER_MAX_HOLD_MS = 1_000;

interface HeldMessage {
  bytes: number;
  copies: number;
  how: Delivery;
  deliver: (how: Delivery) => void;
  remaining: number;
  timer: NodeJS.Timeout;
}

/** Applies the rules of one link direction; owns the timers of messages it holds back. */
export class LinkShaper {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly bucket = new TokenBucket();
  private readonly loss = new CorrelatedChance();
  private readonly duplicate = new CorrelatedChance();
  private readonly corrupt = new CorrelatedChance();
  private readonly reorder = new CorrelatedChance();
  private readonly jitter = new CorrelatedValue();
  private held: HeldMessage[] = [];
  private seededWith: number | null = null;
  private random: () => number;
  private closed = false;

  constructor(
    private readonly chaos: LinkChaos,
    private readonly dir: LinkDirection,
    private readonly peer: () => PeerRef,
    private readonly defaultRandom: () => number = Math.random,
  ) {
    this.random = defaultRandom;
  }

  /** Passes `deliver` through the link: now, later, twice, corrupted, out of order, or never. */
  pass(bytes: number, deliver: (how: Delivery) => void, opts: PassOptions = { mayDuplicate: true }): ShapeOutcome {
    if (this.closed) return 'dropped';
    const rule = this.chaos.effective(this.peer(), this.dir);
    if (!rule) {
      // A seeded rule applied again later starts its sequence afresh.
      this.useSeed(null);
      deliver(CLEAN);
      if (!opts.control) this.countTowardGap();
      return 'delivered';
    }
    this.useSeed(rule.seed);
    if (rule.drop) return 'dropped';
    if (rule.lossPct > 0 && this.loss.decide(rule.lossPct, rule.lossCorrelationPct, this.random)) return 'dropped';
    const copies = opts.mayDuplicate && rule.duplicatePct > 0 && this.duplicate.decide(rule.duplicatePct, rule.duplicateCorrelationPct, this.random) ? 2 : 1;
    if (opts.control) return this.send(rule, bytes, copies, CLEAN, deliver);
    const how = { corrupt: rule.corruptPct > 0 && this.corrupt.decide(rule.corruptPct, rule.corruptCorrelationPct, this.random) };
    if (rule.reorderPct > 0 && this.reorder.decide(rule.reorderPct, rule.reorderCorrelationPct, this.random)) {
      this.hold({ bytes, copies, how, deliver, remaining: rule.reorderGap });
      return 'held';
    }
    const outcome = this.send(rule, bytes, copies, how, deliver);
    this.countTowardGap();
    return outcome;
  }

  /** The frame with one byte flipped, drawn from this link's (possibly seeded) random source. */
  corruptText(text: string): string {
    return corruptText(text, this.random);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const h of this.held) clearTimeout(h.timer);
    this.held = [];
  }

  /** A rule's seed restarts this link's random decisions from it; without one, the default source. */
  private useSeed(seed: number | null): void {
    if (seed === this.seededWith) return;
    this.seededWith = seed;
    this.random = seed === null ? this.defaultRandom : seededRandom(seed);
    for (const c of [this.loss, this.duplicate, this.corrupt, this.reorder, this.jitter]) c.reset();
  }

  private hold(m: Omit<HeldMessage, 'timer'>): void {
    const timer = setTimeout(() => this.release(entry), REORDER_MAX_HOLD_MS);
    const entry: HeldMessage = { ...m, timer };
    this.held.push(entry);
  }

  /** One message went out: held ones whose gap is now covered follow it, oldest first. */
  private countTowardGap(): void {
    if (this.held.length === 0) return;
    for (const h of this.held) h.remaining--;
    for (const h of this.held.filter((x) => x.remaining <= 0)) this.release(h);
  }

  private release(h: HeldMessage): void {
    clearTimeout(h.timer);
    this.held = this.held.filter((x) => x !== h);
    if (this.closed) return;
    // The link as it is now (the rule may have changed or gone while the message waited).
    const rule = this.chaos.effective(this.peer(), this.dir);
    if (rule) this.send(rule, h.bytes, h.copies, h.how, h.deliver);
    else for (let i = 0; i < h.copies; i++) h.deliver(h.how);
  }

  /** Delay, jitter and bandwidth: now or at a timer. */
  private send(rule: EffectiveRule, bytes: number, copies: number, how: Delivery, deliver: (how: Delivery) => void): ShapeOutcome {
    const now = Date.now();
    // Every copy uses the link: a duplicated message costs the bandwidth twice.
    const at = rule.bandwidthBps > 0 ? this.bucket.release(copies * bytes, rule.bandwidthBps, rule.bandwidthBurstBytes, now) : now;
    const jitter = rule.jitterMs > 0 ? this.jitter.next(rule.delayCorrelationPct, this.random) * rule.jitterMs : 0;
    const delay = at - now + rule.delayMs + jitter;
    if (delay < 1) {
      for (let i = 0; i < copies; i++) deliver(how);
      return 'delivered';
    }
    for (let i = 0; i < copies; i++) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!this.closed) deliver(how);
      }, delay);
      this.timers.add(t);
    }
    return 'scheduled';
  }
}

const CLEAN: Delivery = { corrupt: false };
