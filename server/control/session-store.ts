// Browser sessions of the controls, kept in Postgres (`control_sessions`). Signing in trades the
// control token for a random session id (32 bytes from the CSPRNG) that the httpOnly cookie
// carries; the token itself never sits in a browser. Only the id's SHA-256 is stored, so a
// database read gives no live session. Each row names the control token it was issued under
// (a slow fingerprint: the table must not help anyone guess a weak CONTROL_TOKEN), so rotating
// the token ends every session: rows under another token are refused on use and purged at
// start. Sessions end at a fixed expiry (no sliding), on sign-out (the row is deleted), and
// expired rows are deleted on use and by a periodic purge.
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';

/** Default session lifetime: a working day; SESSION_TTL_HOURS changes it. */
export const DEFAULT_SESSION_TTL_MS = 12 * 3600_000;
/** How often expired rows are purged (at most; sooner when sessions live shorter). */
const PURGE_EVERY_MS = 15 * 60_000;

export interface SessionStoreOptions {
  prisma: PrismaClient;
  /** The control token sessions are issued under now. */
  token: string;
  ttlMs?: number;
  logger: Logger;
  /** The clock (tests move it to expire sessions). */
  now?: () => number;
}

export interface NewSession {
  /** The cookie's value; never stored. */
  id: string;
  expiresAt: Date;
}

/** SHA-256 of a session id, hex: the row's key. */
export function sessionIdHash(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** Which control token a session was issued under: scrypt, so a database read does not make guessing the token cheap. */
export function tokenFingerprint(token: string): string {
  return scryptSync(token, 'testnet-explorer/control-session', 32).toString('hex');
}

export class SessionStore {
  readonly ttlMs: number;
  private readonly fingerprint: string;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: SessionStoreOptions) {
    this.ttlMs = opts.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.fingerprint = tokenFingerprint(opts.token);
    this.now = opts.now ?? Date.now;
  }

  /** Purges expired sessions and those of an earlier token, then keeps purging periodically. */
  async start(): Promise<void> {
    const purged = await this.purge();
    if (purged > 0) this.opts.logger.info({ purged }, 'ended sessions of an earlier control token or past their expiry');
    this.timer ??= setInterval(
      () => {
        this.purge().catch((err: unknown) => this.opts.logger.warn({ err }, 'could not purge expired sessions; retrying at the next interval'));
      },
      Math.min(PURGE_EVERY_MS, this.ttlMs),
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A new session under the current token. */
  async create(): Promise<NewSession> {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now() + this.ttlMs);
    await this.opts.prisma.controlSession.create({ data: { idHash: sessionIdHash(id), tokenFingerprint: this.fingerprint, createdAt: new Date(this.now()), expiresAt } });
    return { id, expiresAt };
  }

  /** Whether `id` is a live session under the current token; a dead one found is deleted. */
  async isValid(id: string): Promise<boolean> {
    const idHash = sessionIdHash(id);
    const row = await this.opts.prisma.controlSession.findUnique({ where: { idHash } });
    if (!row) return false;
    if (row.tokenFingerprint === this.fingerprint && row.expiresAt.getTime() > this.now()) return true;
    await this.opts.prisma.controlSession.deleteMany({ where: { idHash } });
    return false;
  }

  /** Ends a session (sign-out). Unknown ids are fine: the browser is signed out either way. */
  async revoke(id: string): Promise<void> {
    await this.opts.prisma.controlSession.deleteMany({ where: { idHash: sessionIdHash(id) } });
  }

  /** Deletes expired sessions and those of another token; answers how many. */
  async purge(): Promise<number> {
    const { count } = await this.opts.prisma.controlSession.deleteMany({
      where: { OR: [{ expiresAt: { lte: new Date(this.now()) } }, { tokenFingerprint: { not: this.fingerprint } }] },
    });
    return count;
  }
}
