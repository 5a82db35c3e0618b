// Leadership among control-plane replicas sharing one database: a Postgres session advisory
// lock held on a dedicated connection. Postgres releases a session lock the moment its
// session ends, so a leader that dies (kill -9, lost network) frees the lock without anyone
// having to notice a stale heartbeat. The connection is a plain `pg.Client`, never Prisma's
// pool or a transaction pooler (either could hand the session, and the lock, to someone else).
//
// Followers try the lock every `pollMs`; the leader runs a cheap query every `pollMs` and on
// a failed query, a connection 'error' or 'end' emits 'lost' at once (its leader work must
// stop: another replica may hold the lock within the next poll). After 'lost' the lease waits
// three polls (a healthy follower should take over first), then
// reconnects and competes again.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';

/** The lock's key: one per database, so every replica on it competes for the same lock. */
export const LEADER_LOCK_KEY = 0x7e57_1ead;

export interface LeaderLeaseOptions {
  databaseUrl: string;
  logger: Logger;
  /** How often a follower tries the lock and the leader checks its connection (ms). */
  pollMs?: number;
  key?: number;
}

export interface LeaderLeaseEvents {
  acquired: [];
  lost: [reason: string];
}

export class LeaderLease extends EventEmitter<LeaderLeaseEvents> {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private leading = false;
  private stopped = false;
  private busy = false;
  /** A leader that just lost its lock waits this long before competing again, so a healthy follower takes over first. */
  private quietUntil = 0;
  private readonly pollMs: number;
  private readonly key: number;

  constructor(private readonly opts: LeaderLeaseOptions) {
    super();
    this.pollMs = opts.pollMs ?? 1_000;
    this.key = opts.key ?? LEADER_LOCK_KEY;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Tries once at once (so a lone replica leads before start resolves), then every pollMs. */
  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.pollMs);
  }

  /** Releases the lock (by closing its session) and stops competing. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const client = this.client;
    this.client = null;
    if (this.leading) this.lose('lease stopped');
    await client?.end().catch(() => undefined);
  }

  /** For tests: the lock's connection dies under the lease, as if the network cut it. */
  destroyConnectionForTest(): void {
    (this.client as unknown as { connection?: { stream?: { destroy(): void } } } | null)?.connection?.stream?.destroy();
  }

  private async tick(): Promise<void> {
    if (this.busy || this.stopped || Date.now() < this.quietUntil) return;
    this.busy = true;
    try {
      const client = this.client ?? (await this.connect());
      if (this.leading) {
        await client.query('SELECT 1');
        return;
      }
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [this.key]);
      if (rows[0]?.locked && !this.stopped) {
        this.leading = true;
        this.opts.logger.info({ key: this.key }, 'leader lock acquired');
        this.emit('acquired');
      }
    } catch (err) {
      this.dropConnection(`lock connection failed: ${(err as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private async connect(): Promise<pg.Client> {
    // A query on a connection whose peer vanished silently hangs rather than fails: bound it,
    // so a leader cut off from the database says 'lost' within a few polls.
    const client = new pg.Client({
      connectionString: this.opts.databaseUrl,
      application_name: 'leader-lease',
      query_timeout: Math.max(2_000, 2 * this.pollMs),
      keepAlive: true,
      keepAliveInitialDelayMillis: 1_000,
    });
    // Either event means the session, and with it the lock, is gone.
    client.on('error', (err) => this.dropConnection(`lock connection error: ${err.message}`, client));
    client.on('end', () => this.dropConnection('lock connection ended', client));
    this.client = client;
    try {
      await client.connect();
      // And the server side: a leader host that vanishes (power, network) without closing its
      // socket is noticed by Postgres in ~5 s instead of the system default of hours, which
      // ends the session and frees the lock for a follower.
      await client.query('SET tcp_keepalives_idle = 2; SET tcp_keepalives_interval = 1; SET tcp_keepalives_count = 3');
    } catch (err) {
      await client.end().catch(() => undefined);
      this.client = null;
      throw err;
    }
    return client;
  }

  private dropConnection(reason: string, which: pg.Client | null = this.client): void {
    if (which !== this.client || which === null) return;
    this.client = null;
    which.end().catch(() => undefined);
    if (this.leading) this.lose(reason);
    else this.opts.logger.debug({ reason }, 'leader lock connection dropped while following');
  }

  private lose(reason: string): void {
    this.leading = false;
    this.quietUntil = Date.now() + 3 * this.pollMs;
    this.opts.logger.warn({ reason }, 'leader lock lost: leader work stops');
    this.emit('lost', reason);
  }
}
