// Whether a node that has just started may propose yet. A validator that proposes before it has
// met its peers builds on whatever head it had on disk (at genesis on a fresh testnet, far
// behind after a restart): its block is a fork the network then replaces, seen as reorgs and a
// stale block on every fresh start. So a node with peers holds its proposals until it has
// connected to one and has nothing left to fetch from any, and proposes on its own chain
// when no peer turns up (it is alone, or cut off) or catching up takes far longer than a start
// should. Once open, the gate stays open for the node's life: later partitions are faults the
// explorer is there to show, not something to hide.
import type { Logger } from '../logger.ts';

export interface StartupGateDeps {
  /** Peers this node dials; a node with none (a lone node, or one others dial) opens at once. */
  hasConfiguredPeers: boolean;
  /** How many peers have completed their handshake (their head is known). */
  connectedPeers(): number;
  /** No sync in flight and no usable peer has a head we lack. */
  caughtUp(): boolean;
  /** The node's head height, for the log line. */
  headHeight(): number;
  now(): number;
  logger: Logger;
}

export interface StartupGateTimes {
  /** With no peer connected this long after dialing started, propose alone. */
  aloneAfterMs: number;
  /** Still catching up this long after dialing started: propose anyway (and say so). */
  giveUpAfterMs: number;
}

/** The gate's deadlines for a chain of this block time: a couple of slots, and ten. */
export function startupGateTimes(blockTimeMs: number): StartupGateTimes {
  return { aloneAfterMs: Math.max(2_000, 2 * blockTimeMs), giveUpAfterMs: Math.max(10_000, 10 * blockTimeMs) };
}

export class StartupGate {
  private dialingSince: number | null = null;
  private isOpen: boolean;

  constructor(
    private readonly deps: StartupGateDeps,
    private readonly times: StartupGateTimes,
  ) {
    this.isOpen = !deps.hasConfiguredPeers;
  }

  /** Dialing has started: the deadlines count from here (a launcher may hold dials first). */
  dialingStarted(): void {
    this.dialingSince ??= this.deps.now();
  }

  /** Asked on each of this node's slots; cheap, and opening is logged once. */
  mayPropose(): boolean {
    if (this.isOpen) return true;
    if (this.dialingSince === null) return false;
    const waitedMs = this.deps.now() - this.dialingSince;
    const peers = this.deps.connectedPeers();
    if (peers > 0 && this.deps.caughtUp()) {
      this.open('info', { peers, msSinceDialing: waitedMs }, 'caught up with peers after start: proposing');
    } else if (peers === 0 && waitedMs >= this.times.aloneAfterMs) {
      this.open('warn', { msSinceDialing: waitedMs }, 'no peer connected since start: proposing on our own chain');
    } else if (waitedMs >= this.times.giveUpAfterMs) {
      this.open('warn', { peers, msSinceDialing: waitedMs }, 'still catching up long after start: proposing anyway');
    }
    return this.isOpen;
  }

  private open(level: 'info' | 'warn', fields: Record<string, number>, msg: string): void {
    this.isOpen = true;
    this.deps.logger[level]({ ...fields, height: this.deps.headHeight() }, msg);
  }
}
