// Time-series reads: heights over time for the overview chart, and a node's health and head
// history and alerts for its page.
import type { PrismaClient } from '../db/client.ts';
import type { AlertRecord, HeadPoint, HealthPoint, HeightSeries, HeightsResponse } from '../../wire/explorer-api.ts';
import { toRecord } from '../monitor/alert-manager.ts';

/**
 * Appends a bucket's point. The first bucket may start before `since` (buckets are aligned to
 * whole seconds, the window is not): it is drawn from the window's edge, where it replaces the
 * line's starting point, since a step line holds one height per moment.
 */
function pushBucket(points: Array<[number, number]>, since: number, bucketStart: number, height: number): void {
  const t = Math.max(since, bucketStart);
  const last = points[points.length - 1];
  if (last && last[0] === t) last[1] = height;
  // A bucket at the height it was already at adds nothing to a step line (a sampled flat stretch).
  else if (!last || last[1] !== height) points.push([t, height]);
}

export class HistoryQueries {
  constructor(private readonly prisma: PrismaClient) {}

  /** When the first head was indexed (where the 'all' window starts); null before any. */
  async firstHeadAt(): Promise<number | null> {
    const first = await this.prisma.headEvent.findFirst({ select: { at: true }, orderBy: { at: 'asc' } });
    return first ? first.at.getTime() : null;
  }

  /**
   * Each node's height since `since`, folded into time buckets of `bucketMs`, each point placed
   * at its bucket's start: a step line needs no more than one point per pixel column, and a long
   * run would otherwise send every head. One-second buckets (short windows) keep each bucket's
   * highest head, read in one pass over the window's heads. Wider buckets ('all' over hours)
   * read each node's head as of each bucket's end instead, one index descent per node and
   * bucket, so the cost follows the points asked for, not the length of the run (16 nodes,
   * 12 h of a head a second: about 4 times faster than the pass over all 690,000 heads).
   */
  async heights(since: number, bucketMs = 1_000, until = Date.now()): Promise<HeightSeries[]> {
    const sinceDate = new Date(since);
    const [rows, before, nodes] = await Promise.all([
      bucketMs <= 1_000 ? this.highestPerBucket(sinceDate, bucketMs) : this.headAtBucketEnds(since, until, bucketMs),
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
    for (const r of rows) {
      const s = series.get(r.node_id);
      if (s) pushBucket(s.points, since, r.t, r.height);
    }
    return [...series.values()].filter((s) => s.points.length > 0).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  }

  private highestPerBucket(sinceDate: Date, bucketMs: number) {
    return this.prisma.$queryRaw<Array<{ node_id: string; t: number; height: number }>>`
      SELECT node_id, (floor(extract(epoch FROM at) * 1000 / ${bucketMs}) * ${bucketMs})::float8 AS t, max(height)::int AS height
      FROM head_events WHERE at >= ${sinceDate}
      GROUP BY node_id, t ORDER BY t`;
  }

  /** Each node's last head in or before each bucket (within the window), down the (node_id, at, seq) index. */
  private headAtBucketEnds(since: number, until: number, bucketMs: number) {
    const first = Math.floor(since / bucketMs) * bucketMs;
    return this.prisma.$queryRaw<Array<{ node_id: string; t: number; height: number }>>`
      SELECT n.id AS node_id, g.t::float8 AS t, h.height
      FROM nodes n
      CROSS JOIN generate_series(${first}::bigint, ${until}::bigint, ${bucketMs}::bigint) g(t)
      CROSS JOIN LATERAL (
        SELECT e.height FROM head_events e
        WHERE e.node_id = n.id AND e.at >= ${new Date(since)} AND e.at < to_timestamp((g.t + ${bucketMs}) / 1000.0)
        ORDER BY e.at DESC, e.seq DESC LIMIT 1
      ) h
      ORDER BY g.t`;
  }

  /**
   * The highest finalized height per time bucket since `since`: a height counts from the moment
   * the indexer first saw its commit. Undefined when no block has a commit (PoA). Blocks are
   * found through the timestamp index (a commit follows its block's timestamp within a
   * minute even on a struggling network), then their commits by primary key.
   */
  async finalizedHeights(since: number, bucketMs = 1_000): Promise<HeightsResponse['finalized']> {
    // PoA has no commits: asked first, so the walk down the height index below never runs there.
    if ((await this.prisma.blockCommit.findFirst({ select: { blockHash: true } })) === null) return undefined;
    const sinceDate = new Date(since);
    const scanFrom = new Date(since - 60_000);
    const [rows, before] = await Promise.all([
      this.prisma.$queryRaw<Array<{ t: number; height: number }>>`
        SELECT (floor(extract(epoch FROM c.committed_at) * 1000 / ${bucketMs}) * ${bucketMs})::float8 AS t, max(b.height)::int AS height
        FROM blocks b JOIN block_commits c ON c.block_hash = b.hash
        WHERE b.timestamp >= ${scanFrom} AND c.committed_at >= ${sinceDate}
        GROUP BY t ORDER BY t`,
      // Where the line starts: the highest block committed before the window (down the height index).
      this.prisma.$queryRaw<Array<{ height: number }>>`
        SELECT b.height FROM blocks b JOIN block_commits c ON c.block_hash = b.hash
        WHERE c.committed_at < ${sinceDate}
        ORDER BY b.height DESC LIMIT 1`,
    ]);
    if (rows.length === 0 && before.length === 0) return undefined;
    const points: Array<[number, number]> = before.length ? [[since, before[0].height]] : [];
    for (const r of rows) {
      // Monotone: a commit indexed late for a lower height does not pull the line down.
      const top = points.length ? points[points.length - 1][1] : -1;
      pushBucket(points, since, r.t, Math.max(top, r.height));
    }
    return points;
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
