// Read queries behind the explorer's JSON API, each shaped for one page panel. Results use
// the wire types in wire/explorer-api.ts; nothing here writes.
import { Prisma, type PrismaClient } from '../db/client.ts';
import { bftQuorum } from '../monitor/consensus.ts';
import type { BlockCommit, BlockDetail, BlockSummary, BlocksResponse, SearchResponse, TxDetail, TxSummary } from '../../wire/explorer-api.ts';
import { isHeight } from '../../wire/bounded-input.ts';
import { PropagationQueries } from './propagation-queries.ts';

/**
 * A block summary in one row: the block's columns, the proposer's name, which nodes' canonical
 * chains hold it, and whether any chain covers its height (the orphaned mark). Computed in
 * Postgres next to the rows, so a page of blocks is one round trip instead of four.
 */
const SUMMARY_COLUMNS = Prisma.sql`
  b.hash, b.parent_hash, b.height, b.proposer, b."timestamp", b.tx_count, b.size_bytes, b.first_seen_at, b.first_seen_by,
  (SELECT n.name FROM nodes n WHERE n.public_key = b.proposer LIMIT 1) AS proposer_name,
  ARRAY(SELECT c.node_id FROM canonical_blocks c WHERE c.hash = b.hash) AS holders,
  EXISTS (SELECT 1 FROM canonical_blocks c WHERE c.height = b.height) AS covered`;

interface SummaryRow {
  hash: string;
  parent_hash: string;
  height: number;
  proposer: string;
  timestamp: Date;
  tx_count: number;
  size_bytes: number;
  first_seen_at: Date;
  first_seen_by: string;
  proposer_name: string | null;
  holders: string[];
  covered: boolean;
}

function toSummary(r: SummaryRow): BlockSummary {
  const holding = [...r.holders].sort();
  return {
    hash: r.hash,
    height: r.height,
    parentHash: r.parent_hash,
    proposer: r.proposer,
    proposerName: r.proposer_name,
    timestamp: r.timestamp.getTime(),
    txCount: r.tx_count,
    sizeBytes: r.size_bytes,
    firstSeenAt: r.first_seen_at.getTime(),
    firstSeenBy: r.first_seen_by,
    nodes: holding,
    orphaned: holding.length === 0 && r.covered,
  };
}

/** The block page's own columns, beside the summary: header details and the BFT commit (all null without one). */
interface DetailColumns {
  tx_root: string;
  signature: string;
  slot: bigint;
  commit_round: number | null;
  commit_signers: string[] | null;
  commit_signatures: number | null;
  commit_at: Date | null;
  commit_signer_names: Array<string | null> | null;
  validator_count: number | null;
}

function toCommit(r: SummaryRow & DetailColumns): BlockCommit | null {
  if (r.commit_round === null || r.commit_signers === null || r.commit_signatures === null || r.commit_at === null) return null;
  const names = r.commit_signer_names ?? [];
  const commit: BlockCommit = {
    round: r.commit_round,
    signers: r.commit_signers.map((publicKey, i) => ({ publicKey, name: names[i] ?? null })),
    signatures: r.commit_signatures,
    finalizedAfterMs: Math.max(0, r.commit_at.getTime() - r.timestamp.getTime()),
  };
  // The control plane may not know every validator (attached networks): no "of n" then.
  const n = r.validator_count ?? 0;
  if (n >= r.commit_signatures && n > 0) Object.assign(commit, { validators: n, quorum: bftQuorum(n) });
  return commit;
}

/** Above every int4 height: "no cursor" as a bound. */
const NO_CURSOR = 2_147_483_647;

export class ExplorerQueries {
  /** Receipt timing and the stale rate (the block page's bars come from here too). */
  readonly propagation: PropagationQueries;

  constructor(private readonly prisma: PrismaClient) {
    this.propagation = new PropagationQueries(prisma);
  }

  /** Newest first, across forks; `before` is an exclusive height cursor. */
  async latestBlocks(limit: number, before: number | undefined): Promise<BlocksResponse> {
    // The first `limit` blocks below the cursor, completed with the rest of the lowest height
    // so that fork siblings never straddle two pages: every block from the height of the
    // limit-th one up (all of them when there are fewer).
    const rows = await this.prisma.$queryRaw<SummaryRow[]>`
      SELECT ${SUMMARY_COLUMNS}
      FROM blocks b
      WHERE b.height < ${before ?? NO_CURSOR}
        AND b.height >= coalesce((
          SELECT height FROM blocks WHERE height < ${before ?? NO_CURSOR}
          ORDER BY height DESC, hash ASC OFFSET ${limit - 1} LIMIT 1), -1)
      ORDER BY b.height DESC, b.hash ASC`;
    if (rows.length === 0) return { blocks: [], nextBefore: null };
    const lowest = rows[rows.length - 1].height;
    return { blocks: rows.map(toSummary), nextBefore: lowest > 0 ? lowest : null };
  }

  async block(hashOrHeight: string): Promise<BlockDetail | null> {
    const hash = /^\d+$/.test(hashOrHeight) ? await this.hashAtHeight(Number(hashOrHeight)) : hashOrHeight.toLowerCase();
    if (!hash) return null;
    const [around, txs, receipts] = await Promise.all([
      // The block, its children and its siblings (other blocks at its height), summarised;
      // the detail columns ride along (read for the block itself only).
      // The block's BFT commit rides along too: one primary-key lookup, and the signers' names
      // and the validator count for the block itself only.
      this.prisma.$queryRaw<Array<SummaryRow & DetailColumns & { role: 'self' | 'child' | 'sibling' }>>`
        WITH target AS (SELECT hash, height FROM blocks WHERE hash = ${hash})
        SELECT around.role, b.tx_root, b.signature, b.slot, ${SUMMARY_COLUMNS},
          cm.round AS commit_round, cm.signers AS commit_signers, cm.signature_count AS commit_signatures, cm.committed_at AS commit_at,
          CASE WHEN around.role = 'self' AND cm.block_hash IS NOT NULL THEN ARRAY(
            SELECT (SELECT n.name FROM nodes n WHERE n.public_key = u.key ORDER BY n.last_seen_at DESC LIMIT 1)
            FROM unnest(cm.signers) WITH ORDINALITY AS u(key, i) ORDER BY u.i) END AS commit_signer_names,
          CASE WHEN around.role = 'self' AND cm.block_hash IS NOT NULL THEN (
            SELECT count(DISTINCT n.public_key)::int4 FROM nodes n WHERE n.is_validator AND n.url NOT LIKE '%#retired-%') END AS validator_count
        FROM (
          SELECT 'self' AS role, t.hash FROM target t
          UNION ALL SELECT 'child', k.hash FROM blocks k WHERE k.parent_hash = ${hash}
          UNION ALL SELECT 'sibling', s.hash FROM blocks s JOIN target t ON s.height = t.height AND s.hash <> t.hash
        ) around
        JOIN blocks b ON b.hash = around.hash
        LEFT JOIN block_commits cm ON cm.block_hash = b.hash AND around.role = 'self'
        ORDER BY b.hash ASC`,
      this.prisma.transaction.findMany({ where: { blockHash: hash }, orderBy: { index: 'asc' } }),
      this.propagation.receiptsOf(hash),
    ]);
    const self = around.find((r) => r.role === 'self');
    if (!self) return null;
    const summary = toSummary(self);
    return {
      ...summary,
      txRoot: self.tx_root,
      signature: self.signature,
      slot: Number(self.slot),
      txs: txs.map((t): TxSummary => ({
        hash: t.hash,
        blockHash: t.blockHash,
        blockHeight: summary.height,
        index: t.index,
        from: t.from,
        to: t.to,
        amount: t.amount.toString(),
        nonce: t.nonce,
        timestamp: t.timestamp.getTime(),
      })),
      children: around.filter((r) => r.role === 'child').map(toSummary),
      siblings: around.filter((r) => r.role === 'sibling').map(toSummary),
      commit: toCommit(self),
      receipts,
    };
  }

  /**
   * At a height with forks, the block held by the most nodes' canonical chains (ties: first
   * by hash); at a height no node's chain covers, the first block by hash.
   */
  private async hashAtHeight(height: number): Promise<string | undefined> {
    const [row] = await this.prisma.$queryRaw<Array<{ hash: string | null }>>`
      SELECT coalesce(
        (SELECT hash FROM canonical_blocks WHERE height = ${height} GROUP BY hash ORDER BY count(*) DESC, hash ASC LIMIT 1),
        (SELECT hash FROM blocks WHERE height = ${height} ORDER BY hash ASC LIMIT 1)) AS hash`;
    return row?.hash ?? undefined;
  }

  /** Attach which nodes hold each block, proposer names and the orphaned mark, keeping the order of `rows`. */
  private async summarise(rows: Array<{ hash: string }>): Promise<BlockSummary[]> {
    if (rows.length === 0) return [];
    const byHash = new Map((await this.summaryRows([...new Set(rows.map((r) => r.hash))])).map((r) => [r.hash, r]));
    return rows.map((r) => toSummary(byHash.get(r.hash)!));
  }

  private summaryRows(hashes: string[]): Promise<SummaryRow[]> {
    return this.prisma.$queryRaw<SummaryRow[]>`
      SELECT ${SUMMARY_COLUMNS} FROM blocks b WHERE b.hash = ANY(${hashes}::text[])
      ORDER BY b.height DESC, b.hash ASC`;
  }

  /** Summaries for blocks just written, for live pushes. */
  async summariesFor(hashes: string[]): Promise<BlockSummary[]> {
    if (hashes.length === 0) return [];
    return (await this.summaryRows(hashes)).map(toSummary);
  }

  /** A transaction by hash, with every block (across forks) that includes it. */
  async tx(hash: string): Promise<TxDetail | null> {
    const rows = await this.prisma.transaction.findMany({ where: { hash: hash.toLowerCase() } });
    if (rows.length === 0) return null;
    const inBlocks = await this.summarise(rows.map((r) => ({ hash: r.blockHash })));
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
    // Digits beyond the int4 range are no height (and may still be a hash prefix below).
    if (isHeight(q)) {
      const exists = await this.prisma.block.findFirst({ where: { height: Number(q) }, select: { hash: true } });
      return exists ? { query: q, result: { kind: 'block', id: q, path: `/blocks/${q}`, label: `Block #${q}` } } : none;
    }
    if (/^(0x)?[0-9a-fA-F]{6,64}$/.test(q)) {
      const hex = q.replace(/^0x/, '').toLowerCase();
      // A prefix as a range (hex sorts the same in every collation): an index range scan, where
      // a LIKE with a bound pattern read every block and transaction (~40 ms per 100k rows).
      const hi = `${hex}g`;
      const [block] = await this.prisma.$queryRaw<Array<{ hash: string; height: number }>>`
        SELECT hash, height FROM blocks WHERE hash >= ${hex} AND hash < ${hi} ORDER BY height DESC LIMIT 1`;
      if (block) return { query: q, result: { kind: 'block', id: block.hash, path: `/blocks/${block.hash}`, label: `Block #${block.height}` } };
      const [tx] = await this.prisma.$queryRaw<Array<{ hash: string }>>`SELECT hash FROM transactions WHERE hash >= ${hex} AND hash < ${hi} LIMIT 1`;
      if (tx) return { query: q, result: { kind: 'tx', id: tx.hash, path: `/txs/${tx.hash}`, label: `Transaction ${tx.hash.slice(0, 10)}…` } };
    }
    // An exact, case-insensitive match: Prisma's `mode: 'insensitive'` is an ILIKE that would
    // take % and _ in the query as wildcards, and search input is literal text.
    const [node] = await this.prisma.$queryRaw<Array<{ id: string; name: string }>>`
      SELECT id, name FROM nodes WHERE lower(name) = lower(${q}) OR id = ${q.toLowerCase()} ORDER BY name LIMIT 1`;
    if (node) return { query: q, result: { kind: 'node', id: node.id, path: `/nodes/${node.id}`, label: node.name } };
    return none;
  }
}
