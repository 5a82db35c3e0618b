// Which validators' votes each node hears while a BFT network is halted. Under a partition
// between nodes every validator still answers the control plane, so "reachable" alone cannot
// say why nothing commits; each node's GET /consensus can: the votes of its current round show
// whom it hears. The monitor asks only while the network is halted (a few small GETs every
// couple of seconds) and folds the answers into the halted reason.
import type { ConsensusRoundState, ConsensusState } from '../../wire/node-api.ts';

/** What one node heard at its current height: the validators (public keys) whose votes arrived. */
export interface VotesHeardReading {
  at: number;
  height: number;
  round: number;
  heard: string[];
}

/**
 * The validators a node hears, from the votes of the step it is stuck in: in precommit, the
 * precommits of its round (a polka reached before the cut shows every prevote, yet only the
 * precommits from its side arrive); in prevote, the prevotes and any precommits of its round;
 * in propose, the precommits of the round before. Null for engines without rounds, in round 0's
 * propose step (nothing heard yet) and once decided.
 */
export function votesHeard(state: ConsensusRoundState | null): { round: number; heard: string[] } | null {
  if (!state || state.step === 'commit') return null;
  const votesIn = (round: number, kinds: Array<'prevotes' | 'precommits'>): { round: number; heard: string[] } | null => {
    const r = state.rounds.find((x) => x.round === round);
    if (!r) return null;
    return { round, heard: state.validators.filter((_, i) => kinds.some((k) => r[k][i] != null)) };
  };
  if (state.step === 'precommit') return votesIn(state.round, ['precommits']);
  if (state.step === 'prevote') return votesIn(state.round, ['prevotes', 'precommits']);
  return state.round > 0 ? votesIn(state.round - 1, ['precommits']) : null;
}

export interface VotesHeardTarget {
  nodeId: string;
  fetch(): Promise<ConsensusState>;
}

/** Polls GET /consensus of the given nodes at most once per `intervalMs`; keeps each node's last reading. */
export class VotesHeardProbe {
  private readonly readings = new Map<string, VotesHeardReading>();
  private inFlight = false;
  private lastPollAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: { intervalMs: number; onError: (nodeId: string, err: unknown) => void }) {}

  /** Starts a poll unless one runs or the last was too recent; never throws (errors go to onError). */
  poll(targets: VotesHeardTarget[], now = Date.now()): void {
    if (this.inFlight || now - this.lastPollAt < this.opts.intervalMs) return;
    this.inFlight = true;
    this.lastPollAt = now;
    void Promise.all(
      targets.map(async (t) => {
        try {
          const state = await t.fetch();
          const heard = votesHeard(state.roundState);
          if (heard && state.roundState) this.readings.set(t.nodeId, { at: Date.now(), height: state.roundState.height, ...heard });
          else this.readings.delete(t.nodeId);
        } catch (err) {
          this.readings.delete(t.nodeId);
          this.opts.onError(t.nodeId, err);
        }
      }),
    ).finally(() => {
      this.inFlight = false;
    });
  }

  /** The node's last reading, if not older than `maxAgeMs`. */
  reading(nodeId: string, now = Date.now(), maxAgeMs = 3 * this.opts.intervalMs + 5_000): VotesHeardReading | null {
    const r = this.readings.get(nodeId);
    return r && now - r.at <= maxAgeMs ? r : null;
  }

  /** Forget every reading (the network is no longer halted). */
  clear(): void {
    this.readings.clear();
  }
}
