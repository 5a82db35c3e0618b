// Relays the consensus engine's events to /stream. Round changes and commits go out as they
// come (a handful per height). Vote progress is aggregated, so a stream never carries one
// event per vote: per (height, round, vote type) at most one `votes` event per interval
// (VOTE_PROGRESS_INTERVAL_MS; a newer count replaces a pending one), and on every round or
// commit event the pending counts are flushed first, so a client sees each step's final
// count before the step change. It also keeps the consensus gauges current. Evidence of an
// equivocation goes out at once (the engine reports each offence once).
import type { EvidenceRecord } from '../../wire/bft.ts';
import { VOTE_PROGRESS_INTERVAL_MS, type CommitNotice, type RoundChange, type VoteProgress } from '../../wire/node-api.ts';
import type { EngineEvents, EngineTimers } from '../consensus/engine.ts';
import type { StreamEventInput } from './stream-hub.ts';

interface VoteSlot {
  lastSentAt: number;
  pending: VoteProgress | null;
  timer: unknown;
}

export interface ConsensusEventRelayDeps {
  publish(event: StreamEventInput): void;
  timers: EngineTimers;
  now(): number;
  /** Called after each round change (the node updates consensus_height / consensus_rounds). */
  onRound?(change: RoundChange): void;
  intervalMs?: number;
}

export class ConsensusEventRelay implements EngineEvents {
  private readonly slots = new Map<string, VoteSlot>();
  private readonly intervalMs: number;

  constructor(private readonly deps: ConsensusEventRelayDeps) {
    this.intervalMs = deps.intervalMs ?? VOTE_PROGRESS_INTERVAL_MS;
  }

  round(change: RoundChange): void {
    this.flush();
    this.deps.publish({ type: 'round', ...change });
    this.deps.onRound?.(change);
  }

  commit(notice: CommitNotice): void {
    this.flush();
    this.deps.publish({ type: 'commit', ...notice });
  }

  evidence(record: EvidenceRecord): void {
    this.deps.publish({ type: 'evidence', evidence: record });
  }

  votes(progress: VoteProgress): void {
    const key = `${progress.height}/${progress.round}/${progress.voteType}`;
    const now = this.deps.now();
    const slot = this.slots.get(key);
    if (!slot || now - slot.lastSentAt >= this.intervalMs) {
      if (slot?.timer !== undefined && slot.timer !== null) this.deps.timers.clearTimeout(slot.timer);
      this.slots.set(key, { lastSentAt: now, pending: null, timer: null });
      this.deps.publish({ type: 'votes', ...progress });
      return;
    }
    slot.pending = progress;
    slot.timer ??= this.deps.timers.setTimeout(() => this.sendPending(key), slot.lastSentAt + this.intervalMs - now);
  }

  /** Publishes every pending count and forgets the slots (a step change starts afresh). */
  flush(): void {
    for (const key of [...this.slots.keys()]) this.sendPending(key);
    this.slots.clear();
  }

  /** Drops pending counts and timers (node stop). */
  stop(): void {
    for (const slot of this.slots.values()) if (slot.timer !== null) this.deps.timers.clearTimeout(slot.timer);
    this.slots.clear();
  }

  private sendPending(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    if (slot.timer !== null) this.deps.timers.clearTimeout(slot.timer);
    slot.timer = null;
    if (slot.pending) {
      this.deps.publish({ type: 'votes', ...slot.pending });
      slot.pending = null;
      slot.lastSentAt = this.deps.now();
    }
  }
}
