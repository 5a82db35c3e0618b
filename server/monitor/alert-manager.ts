// Keeps alerts in the database in step with the rules: raises an alert when its condition
// appears, clears it when it goes away, and remembers which are active across restarts.
// Event-like alerts (a deep reorg) are raised once and clear themselves after a while.
// Permanent alerts (a safety violation) are raised once and stay: the fact does not go away.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';
import type { AlertRecord } from '../../wire/explorer-api.ts';
import type { AlertCandidate } from './alert-rules.ts';

const EVENT_ALERT_TTL_MS = 5 * 60_000;

export interface AlertManagerEvents {
  raised: [AlertRecord];
  cleared: [AlertRecord];
}

interface ActiveAlert {
  record: AlertRecord;
  /** Event-like alerts clear at this time instead of when a condition disappears. */
  expiresAt: number | null;
  /** Never cleared by reconcile (a safety violation). */
  permanent?: boolean;
}

export class AlertManager extends EventEmitter<AlertManagerEvents> {
  private readonly active = new Map<string, ActiveAlert>();
  /** When each wanted-but-not-raised condition was first seen: a condition must hold for
   *  `holdMs` before it is raised, so a transient state (heads mid-propagation) is not an alert. */
  private readonly pending = new Map<string, number>();
  private busy: Promise<void> = Promise.resolve();

  constructor(private readonly deps: { prisma: PrismaClient; logger: Logger; holdMs?: number }) {
    super();
  }

  /** Re-adopt alerts left active by a previous run. */
  async load(): Promise<void> {
    const rows = await this.deps.prisma.alert.findMany({ where: { clearedAt: null } });
    for (const row of rows) {
      const details = (row.details ?? {}) as Record<string, unknown>;
      const key = typeof details.key === 'string' ? details.key : `legacy:${row.id}`;
      this.active.set(key, {
        record: toRecord(row),
        expiresAt: details.event === true ? row.raisedAt.getTime() + EVENT_ALERT_TTL_MS : null,
        permanent: details.permanent === true,
      });
    }
  }

  activeAlerts(): AlertRecord[] {
    return [...this.active.values()].map((a) => a.record).sort((a, b) => b.raisedAt - a.raisedAt);
  }

  /** Bring the active set in line with `desired` (condition alerts). Serialised: ticks never overlap. */
  reconcile(desired: AlertCandidate[], now = Date.now()): Promise<void> {
    this.busy = this.busy
      .then(() => this.doReconcile(desired, now))
      .catch((err: Error) => {
        this.deps.logger.error({ err }, 'could not update alerts; will retry on the next tick');
      });
    return this.busy;
  }

  /** Raise a one-off alert (e.g. a deep reorg) that clears itself after a while. */
  raiseEvent(candidate: AlertCandidate, now = Date.now()): Promise<void> {
    this.busy = this.busy
      .then(async () => {
        if (this.active.has(candidate.key)) return;
        await this.raise(candidate, now, now + EVENT_ALERT_TTL_MS);
      })
      .catch((err: Error) => this.deps.logger.error({ err, alert: candidate.key }, 'could not raise alert'));
    return this.busy;
  }

  /** Raise an alert that nothing clears (a safety violation); once per key, across restarts. */
  raisePermanent(candidate: AlertCandidate, now = Date.now()): Promise<void> {
    this.busy = this.busy
      .then(async () => {
        if (this.active.has(candidate.key)) return;
        await this.raise(candidate, now, null, true);
      })
      .catch((err: Error) => this.deps.logger.error({ err, alert: candidate.key }, 'could not raise alert'));
    return this.busy;
  }

  private async doReconcile(desired: AlertCandidate[], now: number): Promise<void> {
    const wanted = new Map(desired.map((d) => [d.key, d]));
    for (const [key, a] of this.active) {
      if (a.permanent) continue;
      const gone = a.expiresAt !== null ? now >= a.expiresAt : !wanted.has(key);
      if (gone) await this.clear(key, a, now);
    }
    for (const key of this.pending.keys()) if (!wanted.has(key)) this.pending.delete(key);
    for (const d of desired) {
      if (this.active.has(d.key)) continue;
      const since = this.pending.get(d.key) ?? now;
      this.pending.set(d.key, since);
      if (now - since < (this.deps.holdMs ?? 1_500)) continue;
      this.pending.delete(d.key);
      await this.raise(d, now, null);
    }
  }

  private async raise(c: AlertCandidate, now: number, expiresAt: number | null, permanent = false): Promise<void> {
    const row = await this.deps.prisma.alert.create({
      data: {
        kind: c.kind,
        severity: c.severity,
        nodeId: c.nodeId,
        message: c.message,
        details: { ...c.details, key: c.key, event: expiresAt !== null, ...(permanent ? { permanent: true } : {}) },
        raisedAt: new Date(now),
      },
    });
    const record = toRecord(row);
    this.active.set(c.key, { record, expiresAt, permanent });
    this.deps.logger.warn({ alert: c.kind, node: c.nodeId, message: c.message }, 'alert raised');
    this.emit('raised', record);
  }

  private async clear(key: string, a: ActiveAlert, now: number): Promise<void> {
    await this.deps.prisma.alert.update({ where: { id: a.record.id }, data: { clearedAt: new Date(now) } });
    this.active.delete(key);
    const record = { ...a.record, clearedAt: now };
    this.deps.logger.info({ alert: record.kind, node: record.nodeId }, 'alert cleared');
    this.emit('cleared', record);
  }
}

export function toRecord(row: {
  id: number;
  kind: string;
  severity: string;
  nodeId: string | null;
  message: string;
  details: unknown;
  raisedAt: Date;
  clearedAt: Date | null;
}): AlertRecord {
  return {
    id: row.id,
    kind: row.kind,
    severity: row.severity as AlertRecord['severity'],
    nodeId: row.nodeId,
    message: row.message,
    details: (row.details ?? {}) as Record<string, unknown>,
    raisedAt: row.raisedAt.getTime(),
    clearedAt: row.clearedAt?.getTime() ?? null,
  };
}
