// Read queries behind the explorer's JSON API, each shaped for one page panel. Results use
// the wire types in wire/explorer-api.ts; nothing here writes.
import type { PrismaClient } from '../db/generated/client.ts';
import type { BlockDetail, BlockSummary, BlocksResponse, SearchResponse, TxDetail, TxSummary } from '../../wire/explorer-api.ts';

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

  /** A transaction by hash, with every block (across forks) that includes it. */
  async tx(hash: string): Promise<TxDetail | null> {
    const rows = await this.prisma.transaction.findMany({ where: { hash: hash.toLowerCase() }, include: { block: { select: blockSelect } } });
    if (rows.length === 0) return null;
    const inBlocks = await this.summarise(rows.map((r) => r.block));
    // Prefer the inclusion on a chain some node holds.
    const best = inBlocks.find((b) => b.nodes.length > 0) ?? inBlocks[0];
    const row = rows.find((r) => r.blockHash === best.hash)!;
    return {
      hash: row.hash,
      blockHash: row.blockHash,
      blockHeight: best.height,
      index: row.index,
      from: row.from,
      to: row.to,
      amount: row.amount.toString(),
      nonce: row.nonce,
      timestamp: row.timestamp.getTime(),
      signature: row.signature,
      inBlocks,
      canonical: inBlocks.some((b) => b.nodes.length > 0),
    };
  }

  /** A height, a block or tx hash (or a prefix of one), or a node name or id. */
  async search(query: string): Promise<SearchResponse> {
    const q = query.trim();
    const none: SearchResponse = { query: q, result: null };
    if (!q) return none;
    if (/^\d{1,10}$/.test(q)) {
      const exists = await this.prisma.block.findFirst({ where: { height: Number(q) }, select: { hash: true } });
      return exists ? { query: q, result: { kind: 'block', id: q, path: `/blocks/${q}`, label: `Block #${q}` } } : none;
    }
    if (/^(0x)?[0-9a-fA-F]{6,64}$/.test(q)) {
      const hex = q.replace(/^0x/, '').toLowerCase();
      const block = await this.prisma.block.findFirst({ where: { hash: { startsWith: hex } }, select: { hash: true, height: true }, orderBy: { height: 'desc' } });
      if (block) return { query: q, result: { kind: 'block', id: block.hash, path: `/blocks/${block.hash}`, label: `Block #${block.height}` } };
      const tx = await this.prisma.transaction.findFirst({ where: { hash: { startsWith: hex } }, select: { hash: true } });
      if (tx) return { query: q, result: { kind: 'tx', id: tx.hash, path: `/txs/${tx.hash}`, label: `Transaction ${tx.hash.slice(0, 10)}…` } };
    }
    const node = await this.prisma.node.findFirst({
      where: { OR: [{ name: { equals: q, mode: 'insensitive' } }, { id: q.toLowerCase() }] },
      select: { id: true, name: true },
    });
    if (node) return { query: q, result: { kind: 'node', id: node.id, path: `/nodes/${node.id}`, label: node.name } };
    return none;
  }
}
