// Time-series reads: heights over time for the overview chart, and a node's health and head
// history and alerts for its page.
import type { PrismaClient } from '../db/client.ts';
import type { AlertRecord, HeadPoint, HealthPoint, HeightSeries } from '../../wire/explorer-api.ts';
import { toRecord } from '../monitor/alert-manager.ts';

export class HistoryQueries {
  constructor(private readonly prisma: PrismaClient) {}

  /** Each node's height per second since `since` (highest head within each second). */
  async heights(since: number): Promise<HeightSeries[]> {
    const sinceDate = new Date(since);
    const [rows, before, nodes] = await Promise.all([
      this.prisma.$queryRaw<Array<{ node_id: string; t: Date; height: number }>>`
        SELECT node_id, date_trunc('second', at) AS t, max(height)::int AS height
        FROM head_events WHERE at >= ${sinceDate}
        GROUP BY node_id, t ORDER BY t`,
      // Where each line starts: the last head before the window. One descent of
      // (node_id, at, seq) per node; a DISTINCT ON would sort the whole history before it.
      this.prisma.$queryRaw<Array<{ node_id: string; height: number }>>`
        SELECT n.id AS node_id, t.height
        FROM nodes n
        CROSS JOIN LATERAL (
          SELECT e.height FROM head_events e
          WHERE e.node_id = n.id AND e.at < ${sinceDate}
          ORDER BY e.at DESC, e.seq DESC LIMIT 1
        ) t`,
      this.prisma.node.findMany({ select: { id: true, name: true } }),
    ]);
    const series = new Map<string, HeightSeries>(nodes.map((n) => [n.id, { nodeId: n.id, name: n.name, points: [] }]));
    for (const b of before) series.get(b.node_id)?.points.push([since, b.height]);
    for (const r of rows) series.get(r.node_id)?.points.push([r.t.getTime(), r.height]);
    return [...series.values()].filter((s) => s.points.length > 0).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  }

  async health(nodeId: string, limit: number): Promise<HealthPoint[]> {
    const rows = await this.prisma.healthSample.findMany({ where: { nodeId }, orderBy: { at: 'desc' }, take: limit });
    return rows.reverse().map((r) => ({
      at: r.at.getTime(),
      height: r.height,
      peers: r.peers,
      status: r.status,
      reasons: Array.isArray(r.reasons) ? (r.reasons as string[]) : [],
      clockOffsetMs: r.clockOffsetMs,
      paused: r.paused,
    }));
  }

  async heads(nodeId: string, limit: number): Promise<HeadPoint[]> {
    const rows = await this.prisma.headEvent.findMany({ where: { nodeId }, orderBy: [{ at: 'desc' }, { seq: 'desc' }], take: limit });
    return rows.map((r) => ({
      at: r.at.getTime(),
      height: r.height,
      hash: r.hash,
      reorgDepth: r.reorgDepth,
      oldHead: r.oldHeadHash !== null && r.oldHeadHeight !== null ? { hash: r.oldHeadHash, height: r.oldHeadHeight } : null,
    }));
  }

  async alerts(opts: { activeOnly: boolean; nodeId?: string; limit: number }): Promise<AlertRecord[]> {
    const rows = await this.prisma.alert.findMany({
      where: { ...(opts.activeOnly ? { clearedAt: null } : {}), ...(opts.nodeId ? { nodeId: opts.nodeId } : {}) },
      orderBy: { raisedAt: 'desc' },
      take: opts.limit,
    });
    return rows.map(toRecord);
  }
}
