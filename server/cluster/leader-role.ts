// Turns the leader lease into leader work: the leader-only parts start when the lease is won
// and stop the moment it is lost (another replica may hold the lock a second later; two
// indexers or two chaos timers must not run at once). Transitions run one at a time, so a
// lease lost while the work is still starting stops it as soon as it has started.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { LeaderLease } from './leader-lease.ts';
import type { ReplicaRegistry } from './replica-registry.ts';

/** A replica's id: readable in logs and /api/health, unique per process start. */
export function replicaId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

interface Stoppable {
  stop(): Promise<void>;
}

export interface LeaderRoleOptions<W extends Stoppable> {
  databaseUrl: string;
  registry: Pick<ReplicaRegistry, 'setLeading'>;
  /** Builds and starts the leader-only parts. */
  start: () => Promise<W>;
  logger: Logger;
  pollMs?: number;
}

export class LeaderRole<W extends Stoppable> extends EventEmitter<{ changed: [W | null] }> {
  private readonly lease: LeaderLease;
  private work: W | null = null;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly opts: LeaderRoleOptions<W>) {
    super();
    this.lease = new LeaderLease({ databaseUrl: opts.databaseUrl, logger: opts.logger, pollMs: opts.pollMs });
    this.lease.on('acquired', () => this.enqueue(() => this.becomeLeader()));
    this.lease.on('lost', (reason) => {
      // Said at once, before the (asynchronous) stop: reads stop being served from the old work.
      if (this.work) this.emit('changed', null);
      this.enqueue(() => this.becomeFollower(reason));
    });
  }

  get isLeader(): boolean {
    return this.work !== null && this.lease.isLeader;
  }

  /** Competes for the lease; resolves once this replica leads or knows it follows. */
  async start(): Promise<void> {
    await this.lease.start();
    await this.chain;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.lease.stop();
    await this.chain;
  }

  /** For tests: the lock's connection dies, as if the network cut it. */
  destroyLockConnectionForTest(): void {
    this.lease.destroyConnectionForTest();
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: Error) => this.opts.logger.error({ err }, 'leader transition failed'));
  }

  private async becomeLeader(): Promise<void> {
    if (!this.lease.isLeader || this.stopped || this.work) return;
    const started = Date.now();
    const work = await this.opts.start();
    if (!this.lease.isLeader || this.stopped) {
      await work.stop();
      return;
    }
    this.work = work;
    await this.opts.registry.setLeading(true).catch((err: Error) => this.opts.logger.warn({ err: err.message }, 'could not mark this replica as the leader'));
    this.opts.logger.info({ ms: Date.now() - started }, 'leading: indexer, monitor, chaos and runs started');
    this.emit('changed', work);
  }

  private async becomeFollower(reason: string): Promise<void> {
    const work = this.work;
    this.work = null;
    if (!work) return;
    this.opts.logger.warn({ reason }, 'following: leader work stopping');
    await work.stop();
    await this.opts.registry.setLeading(false).catch((err: Error) => this.opts.logger.warn({ err: err.message }, 'could not unmark this replica as the leader'));
  }
}
