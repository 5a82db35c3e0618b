// Fork-aware reads: the block tree of a height range with every node's tip as of any moment
// (from the head history), where two nodes' chains split, and the reorgs on record.
import type { PrismaClient } from '../db/client.ts';
import type { ForkBlock, ForkOverviewResponse, ForkPointResponse, ForksResponse, NodeTip, ReorgRecord } from '../../wire/explorer-api.ts';

import { MAX_FORK_RANGE } from '../../wire/server-routes.ts';

/** Widest range one request may draw (declared with the route). */
export { MAX_FORK_RANGE };
const DEFAULT_FORK_RANGE = 60;
/** Most heights with competing blocks the overview lists (the newest); a testnet has far fewer. */
export const MAX_OVERVIEW_HEIGHTS = 20_000;

/** A block of the drawn range: [hash, parentHash, height, proposer, timestamp ms, txCount, firstSeenAt ms, commit seen by `at`]. */
type RangeTuple = [string, string, number, string, number, number, number, boolean];

/** A node's finalized tip as it last reported it (BFT); null on PoA or before its first. */
export interface NodeFinalityTip {
  nodeId: string;
  finalized: { height: number; hash: string } | null;
}

interface NodeTipRow {
  id: string;
  name: string;
  public_key: string;
  /** The node's head as of `at`; null when it had none yet. */
  hash: string | null;
  height: number | null;
  at: Date | null;
  /** The oldest head change on record (the same on every row). */
  history_start: Date | null;
}

export class ForkQueries {
  constructor(
    private readonly prisma: PrismaClient,
    /** Every node's finalized tip now (from its /health), for the finality markers of the live tree. */
    private readonly finality: () => NodeFinalityTip[] = () => [],
  ) {}

  async tree(opts: { from?: number; to?: number; at?: number }): Promise<ForksResponse> {
    const at = opts.at ?? Date.now();
    const atDate = new Date(at);
    // Every node with its last head at or before `at` (the head history makes time travel
    // possible): one descent of (node_id, at, seq) per node, where a DISTINCT ON over
    // head_events would sort every head change up to `at` (seconds once the history holds
    // millions of rows). Node names and the history's start come in the same round trip.
    const nodes = await this.prisma.$queryRaw<NodeTipRow[]>`
      SELECT n.id, n.name, n.public_key, t.hash, t.height, t.at, (SELECT min(at) FROM head_events) AS history_start
      FROM nodes n
      LEFT JOIN LATERAL (
        SELECT e.hash, e.height, e.at FROM head_events e
        WHERE e.node_id = n.id AND e.at <= ${atDate}
        ORDER BY e.at DESC, e.seq DESC LIMIT 1
      ) t ON true`;
    const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
    const proposerName = new Map(nodes.map((n) => [n.public_key, n.name]));
    const tips: NodeTip[] = nodes
      .filter((n) => n.hash !== null && n.height !== null && n.at !== null)
      .map((n) => ({ nodeId: n.id, name: n.name, hash: n.hash!, height: n.height!, since: n.at!.getTime() }))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    const historyStart = nodes[0]?.history_start?.getTime() ?? null;

    const topTip = tips.length ? Math.max(...tips.map((t) => t.height)) : null;
    const maxKnown = topTip ?? (await this.prisma.block.aggregate({ _max: { height: true }, where: { firstSeenAt: { lte: atDate } } }))._max.height ?? 0;
    const to = Math.max(0, opts.to ?? maxKnown);
    const from = Math.max(0, Math.min(to, opts.from ?? to - DEFAULT_FORK_RANGE + 1), to - MAX_FORK_RANGE + 1);

    // Blocks known by `at` from the range bottom up to the highest tip: the range to draw,
    // plus the links above it that tips lower in the range are reached through.
    const walkTop = Math.max(to, topTip ?? to);
    // The rows as one JSON array built by Postgres: mapping a few hundred rows (timestamps
    // above all) through the driver and Prisma cost three times the CPU of the query itself.
    // The reorg list does not depend on the blocks: both in one round trip's time.
    const [range, reorgs] = await Promise.all([
      this.prisma.$queryRaw<Array<{ rows: RangeTuple[] }>>`
        SELECT coalesce(json_agg(json_build_array(hash, parent_hash, height, proposer,
                 (extract(epoch FROM "timestamp") * 1000)::int8, tx_count, (extract(epoch FROM first_seen_at) * 1000)::int8,
                 EXISTS (SELECT 1 FROM block_commits c WHERE c.block_hash = blocks.hash AND c.committed_at <= ${atDate}))), '[]') AS rows
        FROM blocks
        WHERE height >= ${from} AND height <= ${walkTop} AND first_seen_at <= ${atDate}`,
      this.reorgs({ before: at, minHeight: from, limit: 50, nameOf }),
    ]);
    const rows = range[0].rows.map(([hash, parentHash, height, proposer, timestampMs, txCount, firstSeenMs, committed]) => ({
      hash,
      parentHash,
      height,
      proposer,
      timestampMs,
      txCount,
      firstSeenMs,
      committed,
    }));
    const byHash = new Map(rows.map((r) => [r.hash, r]));
    // Each node's finalized tip: the newest block with a commit (seen by `at`) on its chain,
    // or the tip its /health names, whichever is higher; /health only for the tree of now.
    const finality = finalityPoints(tips, byHash, opts.at === undefined ? this.finality() : []);
    const finalized = finalizedHashes(rows, byHash, finality);
    const holders = new Map<string, string[]>();
    for (const tip of tips) {
      let cursor = byHash.get(tip.hash);
      while (cursor) {
        if (cursor.height <= to) {
          const held = holders.get(cursor.hash);
          if (held) held.push(tip.nodeId);
          else holders.set(cursor.hash, [tip.nodeId]);
        }
        cursor = byHash.get(cursor.parentHash);
      }
    }
    const inRange = rows.filter((r) => r.height <= to);
    const heldHeights = new Set(inRange.filter((r) => holders.has(r.hash)).map((r) => r.height));
    const blocks: ForkBlock[] = inRange
      // Hashes are lowercase hex of one length: code-point order is localeCompare's order, at
      // a fraction of its cost.
      .sort((a, b) => a.height - b.height || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
      .map((r) => {
        const held = (holders.get(r.hash) ?? []).sort();
        return {
          hash: r.hash,
          parentHash: r.parentHash,
          height: r.height,
          proposerName: proposerName.get(r.proposer) ?? null,
          timestamp: r.timestampMs,
          txCount: r.txCount,
          firstSeenAt: r.firstSeenMs,
          nodes: held,
          orphaned: held.length === 0 && heldHeights.has(r.height),
          ...(finalized ? { finalized: finalized.has(r.hash) } : {}),
        };
      });
    const childCount = new Map<string, number>();
    for (const b of blocks) childCount.set(b.parentHash, (childCount.get(b.parentHash) ?? 0) + 1);
    const forkPoints = blocks.filter((b) => (childCount.get(b.hash) ?? 0) > 1).map((b) => b.hash);

    return {
      from,
      to,
      at,
      blocks,
      tips,
      forkPoints,
      reorgs,
      historyStart,
      ...(finalized ? { finality } : {}),
    };
  }

  /**
   * Where the forks are over every indexed height, for the overview strip: per height with more
   * than one block, how many compete and whether they share a parent (a fork point one below).
   * Only heights with competing blocks are returned, so 5,000 heights with a few hundred forks
   * is a few kilobytes. The groupings are over the height index: one pass over the heights, not
   * a tree walk.
   */
  async overview(): Promise<ForkOverviewResponse> {
    const [bounds, rows] = await Promise.all([
      this.prisma.$queryRaw<Array<{ min: number | null; max: number | null }>>`SELECT min(height) AS min, max(height) AS max FROM blocks`,
      this.prisma.$queryRaw<Array<{ height: number; blocks: number; parents: number }>>`
        WITH multi AS (
          SELECT height FROM blocks GROUP BY height HAVING count(*) > 1 ORDER BY height DESC LIMIT ${MAX_OVERVIEW_HEIGHTS + 1}
        )
        SELECT b.height, count(*)::int AS blocks, count(DISTINCT b.parent_hash)::int AS parents
        FROM blocks b JOIN multi m ON m.height = b.height
        GROUP BY b.height ORDER BY b.height`,
    ]);
    const truncated = rows.length > MAX_OVERVIEW_HEIGHTS;
    const kept = truncated ? rows.slice(rows.length - MAX_OVERVIEW_HEIGHTS) : rows;
    return {
      minHeight: bounds[0]?.min ?? null,
      maxHeight: bounds[0]?.max ?? null,
      sideBlocks: kept.map((r) => [r.height, r.blocks - 1] as [number, number]),
      // Fewer distinct parents than blocks: some parent has two children, one height below.
      forkHeights: kept.filter((r) => r.parents < r.blocks).map((r) => r.height - 1),
      truncated,
    };
  }

  async reorgs(opts: { before?: number; minHeight?: number; nodeId?: string; limit: number; nameOf?: Map<string, string> }): Promise<ReorgRecord[]> {
    const rows = await this.prisma.headEvent.findMany({
      where: {
        reorgDepth: { gt: 0 },
        ...(opts.before !== undefined ? { at: { lte: new Date(opts.before) } } : {}),
        ...(opts.minHeight !== undefined ? { height: { gte: opts.minHeight } } : {}),
        ...(opts.nodeId ? { nodeId: opts.nodeId } : {}),
      },
      orderBy: { at: 'desc' },
      take: opts.limit,
    });
    const nameOf = opts.nameOf ?? new Map((await this.prisma.node.findMany({ select: { id: true, name: true } })).map((n) => [n.id, n.name]));
    return rows.map((r) => ({
      nodeId: r.nodeId,
      name: nameOf.get(r.nodeId) ?? r.nodeId,
      at: r.at.getTime(),
      depth: r.reorgDepth,
      oldHead: r.oldHeadHash !== null && r.oldHeadHeight !== null ? { hash: r.oldHeadHash, height: r.oldHeadHeight } : null,
      newHead: { hash: r.hash, height: r.height },
      commonAncestor: r.commonAncestorHash !== null && r.commonAncestorHeight !== null ? { hash: r.commonAncestorHash, height: r.commonAncestorHeight } : null,
    }));
  }

  /** Highest block two nodes' current chains share. */
  async forkPoint(a: string, b: string): Promise<ForkPointResponse> {
    const [common, tips] = await Promise.all([
      this.prisma.$queryRaw<Array<{ height: number | null; hash: string | null }>>`
        SELECT x.height, x.hash FROM canonical_blocks x
        JOIN canonical_blocks y ON y.height = x.height AND y.hash = x.hash
        WHERE x.node_id = ${a} AND y.node_id = ${b}
        ORDER BY x.height DESC LIMIT 1`,
      this.prisma.canonicalBlock.groupBy({ by: ['nodeId'], where: { nodeId: { in: [a, b] } }, _max: { height: true } }),
    ]);
    const ancestor = common[0] && common[0].height !== null && common[0].hash !== null ? { height: common[0].height, hash: common[0].hash } : null;
    const lowerTip = tips.length === 2 ? Math.min(...tips.map((t) => t._max.height ?? -1)) : null;
    return { a, b, commonAncestor: ancestor, sameBranch: ancestor !== null && lowerTip !== null && ancestor.height === lowerTip };
  }
}

function finalityPoints(
  tips: NodeTip[],
  byHash: Map<string, { hash: string; parentHash: string; height: number; committed: boolean }>,
  reported: NodeFinalityTip[],
): NonNullable<ForksResponse['finality']> {
  const reportedBy = new Map(reported.map((r) => [r.nodeId, r.finalized]));
  return tips.flatMap((tip) => {
    let cursor = byHash.get(tip.hash);
    while (cursor && !cursor.committed) cursor = byHash.get(cursor.parentHash);
    const fromChain = cursor ? { height: cursor.height, hash: cursor.hash } : null;
    const fromHealth = reportedBy.get(tip.nodeId) ?? null;
    const best = fromChain && (!fromHealth || fromChain.height >= fromHealth.height) ? fromChain : fromHealth;
    return best ? [{ nodeId: tip.nodeId, name: tip.name, hash: best.hash, height: best.height }] : [];
  });
}

/**
 * The final blocks of the range: those whose commit was seen, those a node reports as its
 * finalized tip, and every ancestor of either (a block under a final block is final). Null
 * when nothing is final and no node reports finality: an engine without it (PoA).
 */
function finalizedHashes(
  rows: Array<{ hash: string; parentHash: string; committed: boolean }>,
  byHash: Map<string, { hash: string; parentHash: string }>,
  finality: Array<{ hash: string }>,
): Set<string> | null {
  const starts = [...rows.filter((r) => r.committed).map((r) => r.hash), ...finality.map((f) => f.hash)];
  if (starts.length === 0 && finality.length === 0) return null;
  const out = new Set<string>();
  for (const start of starts) {
    let cursor = byHash.get(start);
    while (cursor && !out.has(cursor.hash)) {
      out.add(cursor.hash);
      cursor = byHash.get(cursor.parentHash);
    }
  }
  return out;
}
