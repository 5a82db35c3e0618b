// Read queries behind the explorer's JSON API, each shaped for one page panel. Results use
// the wire types in wire/explorer-api.ts; nothing here writes.
import type { PrismaClient } from '../db/generated/client.ts';
import type { BlockDetail, BlockSummary, BlocksResponse, TxSummary } from '../../wire/explorer-api.ts';

interface BlockRow {
  hash: string;
  parentHash: string;
  height: number;
  proposer: string;
  timestamp: Date;
  txCount: number;
  sizeBytes: number;
  firstSeenAt: Date;
  firstSeenBy: string;
}

const blockSelect = {
  hash: true,
  parentHash: true,
  height: true,
  proposer: true,
  timestamp: true,
  txCount: true,
  sizeBytes: true,
  firstSeenAt: true,
  firstSeenBy: true,
} as const;

export class ExplorerQueries {
  constructor(private readonly prisma: PrismaClient) {}

  /** Newest first, across forks; `before` is an exclusive height cursor. */
  async latestBlocks(limit: number, before: number | undefined): Promise<BlocksResponse> {
    const rows = await this.prisma.block.findMany({
      where: before !== undefined ? { height: { lt: before } } : {},
      orderBy: [{ height: 'desc' }, { hash: 'asc' }],
      take: limit,
      select: blockSelect,
    });
    if (rows.length === 0) return { blocks: [], nextBefore: null };
    // Complete the lowest height so that fork siblings never straddle two pages.
    const lowest = rows[rows.length - 1].height;
    const rest = await this.prisma.block.findMany({
      where: { height: lowest, hash: { notIn: rows.filter((r) => r.height === lowest).map((r) => r.hash) } },
      select: blockSelect,
    });
    const all = [...rows, ...rest];
    return { blocks: await this.summarise(all), nextBefore: lowest > 0 ? lowest : null };
  }

  async block(hashOrHeight: string): Promise<BlockDetail | null> {
    const hash = /^\d+$/.test(hashOrHeight) ? (await this.blockAtHeight(Number(hashOrHeight)))?.hash : hashOrHeight.toLowerCase();
    if (!hash) return null;
    const full = await this.prisma.block.findUnique({ where: { hash }, select: { ...blockSelect, txRoot: true, signature: true, slot: true } });
    if (!full) return null;
    const [txs, children, siblings] = await Promise.all([
      this.prisma.transaction.findMany({ where: { blockHash: full.hash }, orderBy: { index: 'asc' } }),
      this.prisma.block.findMany({ where: { parentHash: full.hash }, select: blockSelect, orderBy: { hash: 'asc' } }),
      this.prisma.block.findMany({ where: { height: full.height, hash: { not: full.hash } }, select: blockSelect, orderBy: { hash: 'asc' } }),
    ]);
    const summaries = await this.summarise([full, ...children, ...siblings]);
    const byHash = new Map(summaries.map((s) => [s.hash, s]));
    return {
      ...byHash.get(full.hash)!,
      txRoot: full.txRoot,
      signature: full.signature,
      slot: Number(full.slot),
      txs: txs.map(
        (t): TxSummary => ({
          hash: t.hash,
          blockHash: t.blockHash,
          blockHeight: full.height,
          index: t.index,
          from: t.from,
          to: t.to,
          amount: t.amount.toString(),
          nonce: t.nonce,
          timestamp: t.timestamp.getTime(),
        }),
      ),
      children: children.map((c) => byHash.get(c.hash)!),
      siblings: siblings.map((s) => byHash.get(s.hash)!),
    };
  }

  /** At a height with forks, the block held by the most nodes' canonical chains. */
  private async blockAtHeight(height: number): Promise<BlockRow | null> {
    const held = await this.prisma.canonicalBlock.groupBy({ by: ['hash'], where: { height }, _count: { hash: true }, orderBy: [{ _count: { hash: 'desc' } }, { hash: 'asc' }], take: 1 });
    if (held.length > 0) return this.prisma.block.findUnique({ where: { hash: held[0].hash }, select: blockSelect });
    return this.prisma.block.findFirst({ where: { height }, orderBy: { hash: 'asc' }, select: blockSelect });
  }

  /** Attach which nodes hold each block, proposer names and the orphaned mark. */
  private async summarise(rows: BlockRow[]): Promise<BlockSummary[]> {
    if (rows.length === 0) return [];
    const hashes = [...new Set(rows.map((r) => r.hash))];
    const heights = [...new Set(rows.map((r) => r.height))];
    const [holders, coveredHeights, nodes] = await Promise.all([
      this.prisma.canonicalBlock.findMany({ where: { hash: { in: hashes } }, select: { hash: true, nodeId: true } }),
      this.prisma.canonicalBlock.findMany({ where: { height: { in: heights } }, distinct: ['height'], select: { height: true } }),
      this.prisma.node.findMany({ select: { id: true, name: true, publicKey: true } }),
    ]);
    const holdersByHash = new Map<string, string[]>();
    for (const h of holders) holdersByHash.set(h.hash, [...(holdersByHash.get(h.hash) ?? []), h.nodeId]);
    const covered = new Set(coveredHeights.map((c) => c.height));
    const nameByKey = new Map(nodes.map((n) => [n.publicKey, n.name]));
    return rows.map((r) => {
      const holding = (holdersByHash.get(r.hash) ?? []).sort();
      return {
        hash: r.hash,
        height: r.height,
        parentHash: r.parentHash,
        proposer: r.proposer,
        proposerName: nameByKey.get(r.proposer) ?? null,
        timestamp: r.timestamp.getTime(),
        txCount: r.txCount,
        sizeBytes: r.sizeBytes,
        firstSeenAt: r.firstSeenAt.getTime(),
        firstSeenBy: r.firstSeenBy,
        nodes: holding,
        orphaned: holding.length === 0 && covered.has(r.height),
      };
    });
  }

  /** Summaries for blocks just written, for live pushes. */
  summariesFor(hashes: string[]): Promise<BlockSummary[]> {
    return this.prisma.block
      .findMany({ where: { hash: { in: hashes } }, select: blockSelect, orderBy: [{ height: 'desc' }, { hash: 'asc' }] })
      .then((rows) => this.summarise(rows));
  }
}
