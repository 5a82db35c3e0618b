// Fork-aware reads: the block tree of a height range with every node's tip as of any moment
// (from the head history), where two nodes' chains split, and the reorgs on record.
import type { PrismaClient } from '../db/client.ts';
import type { ForkBlock, ForkPointResponse, ForksResponse, NodeTip, ReorgRecord } from '../../wire/explorer-api.ts';

/** Widest range one request may draw. */
export const MAX_FORK_RANGE = 500;
const DEFAULT_FORK_RANGE = 60;

interface TipRow {
  node_id: string;
  hash: string;
  height: number;
  at: Date;
}

export class ForkQueries {
  constructor(private readonly prisma: PrismaClient) {}

  async tree(opts: { from?: number; to?: number; at?: number }): Promise<ForksResponse> {
    const at = opts.at ?? Date.now();
    const atDate = new Date(at);
    const [tipRows, nodes, first] = await Promise.all([
      // Each node's last head at or before `at`: the head history makes time travel possible.
      this.prisma.$queryRaw<TipRow[]>`
        SELECT DISTINCT ON (node_id) node_id, hash, height, at
        FROM head_events WHERE at <= ${atDate}
        ORDER BY node_id, at DESC, seq DESC`,
      this.prisma.node.findMany({ select: { id: true, name: true, publicKey: true } }),
      this.prisma.headEvent.findFirst({ orderBy: { at: 'asc' }, select: { at: true } }),
    ]);
    const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
    const proposerName = new Map(nodes.map((n) => [n.publicKey, n.name]));
    const tips: NodeTip[] = tipRows
      .map((t) => ({ nodeId: t.node_id, name: nameOf.get(t.node_id) ?? t.node_id, hash: t.hash, height: t.height, since: t.at.getTime() }))
      .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));

    const topTip = tips.length ? Math.max(...tips.map((t) => t.height)) : null;
    const maxKnown = topTip ?? (await this.prisma.block.aggregate({ _max: { height: true }, where: { firstSeenAt: { lte: atDate } } }))._max.height ?? 0;
    const to = Math.max(0, opts.to ?? maxKnown);
    const from = Math.max(0, Math.min(to, opts.from ?? to - DEFAULT_FORK_RANGE + 1), to - MAX_FORK_RANGE + 1);

    // Blocks known by `at` from the range bottom up to the highest tip: the range to draw,
    // plus the links above it that tips lower in the range are reached through.
    const walkTop = Math.max(to, topTip ?? to);
    const rows = await this.prisma.block.findMany({
      where: { height: { gte: from, lte: walkTop }, firstSeenAt: { lte: atDate } },
      select: { hash: true, parentHash: true, height: true, proposer: true, timestamp: true, txCount: true, firstSeenAt: true },
    });
    const byHash = new Map(rows.map((r) => [r.hash, r]));
    const holders = new Map<string, string[]>();
    for (const tip of tips) {
      let cursor = byHash.get(tip.hash);
      while (cursor) {
        if (cursor.height <= to) holders.set(cursor.hash, [...(holders.get(cursor.hash) ?? []), tip.nodeId]);
        cursor = byHash.get(cursor.parentHash);
      }
    }
    const inRange = rows.filter((r) => r.height <= to);
    const heldHeights = new Set(inRange.filter((r) => holders.has(r.hash)).map((r) => r.height));
    const blocks: ForkBlock[] = inRange
      .sort((a, b) => a.height - b.height || a.hash.localeCompare(b.hash))
      .map((r) => {
        const held = (holders.get(r.hash) ?? []).sort();
        return {
          hash: r.hash,
          parentHash: r.parentHash,
          height: r.height,
          proposerName: proposerName.get(r.proposer) ?? null,
          timestamp: r.timestamp.getTime(),
          txCount: r.txCount,
          firstSeenAt: r.firstSeenAt.getTime(),
          nodes: held,
          orphaned: held.length === 0 && heldHeights.has(r.height),
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
      reorgs: await this.reorgs({ before: at, minHeight: from, limit: 50, nameOf }),
      historyStart: first?.at.getTime() ?? null,
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
