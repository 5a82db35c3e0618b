// Who the replicas sharing a database are, and which one leads: one row per process in the
// `replicas` table, its heartbeat refreshed every `beatMs`. The leader lease (leader-lease.ts)
// decides leadership; this table only tells followers where the leader answers, so they can
// forward the writes they receive. A leader row whose heartbeat is older than `staleMs` names
// nobody (the leader died and no successor has claimed the row yet).
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';

/** A replica silent this long is forgotten (its row deleted). */
const FORGET_AFTER_MS = 10 * 60_000;

export interface ReplicaRef {
  id: string;
  url: string;
}

export interface ReplicaRegistryOptions {
  prisma: PrismaClient;
  self: ReplicaRef;
  logger: Logger;
  beatMs?: number;
  staleMs?: number;
}

export class ReplicaRegistry {
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private cached: { at: number; leader: ReplicaRef | null } | null = null;
  private readonly beatMs: number;
  private readonly staleMs: number;

  constructor(private readonly opts: ReplicaRegistryOptions) {
    this.beatMs = opts.beatMs ?? 1_000;
    this.staleMs = opts.staleMs ?? 5_000;
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((err: Error) => this.opts.logger.warn({ err: err.message }, 'replica heartbeat failed'));
    }, this.beatMs);
  }

  /** Stops beating and removes this replica's row (a clean stop leaves no stale leader behind). Idempotent. */
  async stop(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    await this.opts.prisma.replica
      .deleteMany({ where: { id: this.opts.self.id } })
      .catch((err: Error) => this.opts.logger.warn({ err: err.message }, 'could not remove the replica row'));
  }

  /** Called when the lease is won or lost: the leader's row is the only one marked. */
  async setLeading(leading: boolean): Promise<void> {
    this.leading = leading;
    this.cached = null;
    const { prisma, self } = this.opts;
    if (leading) {
      await prisma.$transaction([
        prisma.replica.updateMany({ where: { leader: true, id: { not: self.id } }, data: { leader: false } }),
        prisma.replica.upsert({ where: { id: self.id }, create: { id: self.id, url: self.url, leader: true }, update: { leader: true, heartbeatAt: new Date() } }),
      ]);
    } else await prisma.replica.updateMany({ where: { id: self.id }, data: { leader: false } });
  }

  /** The live leader, as the table says (cached for a second: every forwarded request asks). */
  async leader(): Promise<ReplicaRef | null> {
    if (this.leading) return this.opts.self;
    if (this.cached && Date.now() - this.cached.at < 1_000) return this.cached.leader;
    const row = await this.opts.prisma.replica.findFirst({
      where: { leader: true, heartbeatAt: { gt: new Date(Date.now() - this.staleMs) } },
      orderBy: { heartbeatAt: 'desc' },
    });
    const leader = row ? { id: row.id, url: row.url } : null;
    this.cached = { at: Date.now(), leader };
    return leader;
  }

  private async beat(): Promise<void> {
    const { id, url } = this.opts.self;
    await this.opts.prisma.replica.upsert({ where: { id }, create: { id, url, leader: this.leading }, update: { url, leader: this.leading, heartbeatAt: new Date() } });
    // Replicas killed without a clean stop leave their row: the leader clears the long-dead ones.
    if (this.leading) await this.opts.prisma.replica.deleteMany({ where: { heartbeatAt: { lt: new Date(Date.now() - FORGET_AFTER_MS) } } });
  }
}
