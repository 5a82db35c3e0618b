// The safety checker: a Jepsen-style watcher over every node's finalized chain. Finality is a
// promise that a block at a height never changes, so two readings of "the finalized block at
// height h" that disagree, or a node whose finalized height goes down, are safety violations
// whatever their cause (a consensus bug, equivocating validators, a wiped node). Pure: it is
// fed observations with their time and returns what they prove; the monitor feeds it from
// each node's /health and its indexed chain, and raises the alerts.
//
// Memory is bounded by a window of heights: it keeps, for every height >= floor, the first
// finalized hash seen there (who, when), where floor = highest finalized height seen -
// windowHeights + 1 (it only rises). Everything under the floor is the part of the chain that
// was checked as long as it could be; a reading that lands there cannot be compared and is
// counted in `uncheckedObservations` (neither a violation nor silently a pass). Why not prune
// up to the lowest node's tip instead: readings of a height arrive late and in any order (the
// indexed chain lags the node's /health, commit records come from the index after the fact),
// so a height every tip has passed is still "unchecked" for those sources; a window several
// hundred block times deep covers them. Per node only its latest tip is kept (regression).
// Violations are kept for good: nothing clears them (only the first `maxViolations` are
// stored, the rest counted), and each is reported once (one key per violation remembered).

/** One reading of a node's finalized block at a height (`at`: ms since epoch). */
export interface FinalityObservation {
  nodeId: string;
  at: number;
  height: number;
  hash: string;
  /** Where the reading came from: the node's own report ('health'), its indexed chain, a commit record. */
  source?: string;
}

export type SafetyViolation =
  | {
      kind: 'conflicting-finality';
      height: number;
      /** The first finalized hash seen at this height. */
      first: FinalityObservation;
      /** A later reading at the same height with another hash (same node or another). */
      conflicting: FinalityObservation;
    }
  | {
      kind: 'finality-regressed';
      nodeId: string;
      /** The node's finalized tip before... */
      before: FinalityObservation;
      /** ...and the lower tip it reported after. */
      after: FinalityObservation;
    };

export interface SafetyCheckerOptions {
  /** Heights of finalized hashes kept below the highest finalized height seen (default 4096). */
  windowHeights?: number;
  /** Violations kept for reading back (default 1000); later ones are still reported, then counted. */
  maxViolations?: number;
}

/** A stable key per violation: the monitor uses it as the alert key, so a restart never raises it twice. */
export function violationKey(v: SafetyViolation): string {
  return v.kind === 'conflicting-finality'
    ? `safety:conflicting-finality:${v.height}:${v.conflicting.hash}`
    : `safety:finality-regressed:${v.nodeId}:${v.before.height}->${v.after.height}`;
}

export class SafetyChecker {
  private readonly windowHeights: number;
  private readonly maxViolations: number;
  /** height -> first finalized reading at that height, for heights >= floor. */
  private readonly firstAt = new Map<number, FinalityObservation>();
  /** nodeId -> the node's latest finalized tip. */
  private readonly tips = new Map<string, FinalityObservation>();
  private readonly reported = new Set<string>();
  private readonly kept: SafetyViolation[] = [];
  private highest = -1;
  private floorHeight = 0;
  private unchecked = 0;
  private total = 0;

  constructor(opts: SafetyCheckerOptions = {}) {
    this.windowHeights = Math.max(1, opts.windowHeights ?? 4096);
    this.maxViolations = Math.max(1, opts.maxViolations ?? 1000);
  }

  /**
   * A node's finalized tip as it reported it (its latest finalized height and hash): checked
   * against the node's previous tip (it must not go down) and against every other reading at
   * that height. Returns the violations this observation proves that were not reported before.
   */
  observeFinalized(o: FinalityObservation): SafetyViolation[] {
    const out: SafetyViolation[] = [];
    const prev = this.tips.get(o.nodeId);
    if (prev && o.height < prev.height) {
      this.report({ kind: 'finality-regressed', nodeId: o.nodeId, before: prev, after: o }, out);
    }
    this.tips.set(o.nodeId, o);
    this.compare(o, out);
    this.prune();
    return out;
  }

  /**
   * A finalized block at a height known from elsewhere (the node's indexed chain at or below
   * its finalized tip, or a commit record): checked against every other reading at that
   * height only, since such readings arrive in any order.
   */
  observeBlock(o: FinalityObservation): SafetyViolation[] {
    const out: SafetyViolation[] = [];
    this.compare(o, out);
    this.prune();
    return out;
  }

  /** Every violation seen so far, oldest first (at most `maxViolations`; see `violationCount`). */
  violations(): readonly SafetyViolation[] {
    return this.kept;
  }

  violationCount(): number {
    return this.total;
  }

  /** Readings that fell under the window and could not be compared. */
  uncheckedObservations(): number {
    return this.unchecked;
  }

  /** The first finalized reading at a height, while it is inside the window. */
  firstFinalizedAt(height: number): FinalityObservation | undefined {
    return this.firstAt.get(height);
  }

  /** Heights currently remembered (for tests and metrics). */
  rememberedHeights(): number {
    return this.firstAt.size;
  }

  /** The lowest height still compared. */
  floor(): number {
    return this.floorHeight;
  }

  private compare(o: FinalityObservation, out: SafetyViolation[]): void {
    if (o.height < this.floorHeight) {
      this.unchecked++;
      return;
    }
    const first = this.firstAt.get(o.height);
    if (!first) {
      this.firstAt.set(o.height, o);
      if (o.height > this.highest) this.highest = o.height;
    } else if (first.hash !== o.hash) {
      this.report({ kind: 'conflicting-finality', height: o.height, first, conflicting: o }, out);
    }
  }

  private report(v: SafetyViolation, out: SafetyViolation[]): void {
    const key = violationKey(v);
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.total++;
    if (this.kept.length < this.maxViolations) this.kept.push(v);
    out.push(v);
  }

  private prune(): void {
    const next = Math.max(this.highest - this.windowHeights + 1, this.floorHeight);
    if (next === this.floorHeight) return;
    this.floorHeight = next;
    // The map holds at most windowHeights + 1 entries here; pruning runs only when the floor rose.
    for (const h of this.firstAt.keys()) if (h < next) this.firstAt.delete(h);
  }
}
