// Propagation timing and the stale rate, read from `block_receipts` (when each node accepted
// each block, as its /stream said) and `canonical_blocks`: the block page's bar per node, the
// overview's histogram and per-node lateness, and the stale rate of /api/health.
import type { PrismaClient } from '../db/client.ts';
import type { BlockReceiptView, NodeLateness, PropagationBucket, PropagationResponse, StaleRate } from '../../wire/explorer-api.ts';

/**
 * Histogram bucket edges (ms), roughly ×2 / ×2.5 apart: loopback propagation takes single
 * milliseconds, a link with injected latency hundreds; one scale shows both. The last bucket
 * is open (5 s and above).
 */
export const PROPAGATION_BUCKET_EDGES_MS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000] as const;

/**
 * Nodes the propagation views list: every followed full node; not health-only ones (ids start
 * with HEALTH_ONLY_ID_PREFIX, server/indexer/health-target.ts: they send no blocks) nor retired
 * rows (a URL another node id took over). Queries add any node with a receipt in view.
 */
const LISTED_NODE = `n.id NOT LIKE 'health-%' AND n.url NOT LIKE '%#retired-%'`;

/**
 * The receipts of the last `$1` blocks that have any (highest heights first; fork blocks are
 * blocks too), each with its delay after the block's first receipt and its rank (1: first;
 * ties broken by node id). The DISTINCT walks the (height DESC, block_hash) index and stops
 * after $1 blocks.
 */
const RECENT_RECEIPTS = `
  recent AS (
    SELECT DISTINCT height, block_hash FROM block_receipts ORDER BY height DESC, block_hash LIMIT $1::int
  ),
  r AS MATERIALIZED (
    SELECT br.block_hash, br.node_id, br.height,
      br.accepted_at_ms - min(br.accepted_at_ms) OVER (PARTITION BY br.block_hash) AS delay,
      row_number() OVER (PARTITION BY br.block_hash ORDER BY br.accepted_at_ms, br.node_id) AS rank
    FROM block_receipts br JOIN recent ON recent.block_hash = br.block_hash
  )`;

interface LatenessRow {
  node_id: string;
  name: string;
  received: number;
  first: number;
  median: number | null;
  p95: number | null;
  max: number | null;
}

export class PropagationQueries {
  constructor(private readonly prisma: PrismaClient) {}

  /** Every listed node's receipt of one block (also nodes that hold it or have a receipt but are no longer listed), earliest first, those without one last. */
  async receiptsOf(hash: string): Promise<BlockReceiptView[]> {
    const rows = await this.prisma.$queryRawUnsafe<Array<{ node_id: string; name: string; accepted_at_ms: number | null; holds: boolean }>>(
      `SELECT n.id AS node_id, n.name, br.accepted_at_ms,
         EXISTS (SELECT 1 FROM canonical_blocks c WHERE c.node_id = n.id AND c.hash = $1) AS holds
       FROM nodes n
       LEFT JOIN block_receipts br ON br.node_id = n.id AND br.block_hash = $1
       WHERE (${LISTED_NODE}) OR br.node_id IS NOT NULL
         OR EXISTS (SELECT 1 FROM canonical_blocks c WHERE c.node_id = n.id AND c.hash = $1)`,
      hash,
    );
    return receiptViews(rows);
  }

  /**
   * The last `blocks` blocks with receipts: delays after each first receipt, per node and as a
   * histogram, and the stale rate over as many heights. One statement: the receipts are read
   * and ranked once (a materialized CTE) for the window, the histogram and the per-node figures.
   */
  async propagation(blocks: number): Promise<PropagationResponse> {
    const [[row], stale] = await Promise.all([
      this.prisma.$queryRawUnsafe<
        Array<{ blocks: number; from_height: number | null; to_height: number | null; histogram: Array<{ bucket: number; count: number }> | null; nodes: LatenessRow[] | null }>
      >(
        `WITH ${RECENT_RECEIPTS},
         per_node AS (
           SELECT node_id, count(*)::int AS received, (count(*) FILTER (WHERE rank = 1))::int AS first,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY delay) AS median,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY delay) AS p95,
             max(delay) AS max
           FROM r GROUP BY node_id
         ),
         hist AS (SELECT width_bucket(delay, $2::float8[]) AS bucket, count(*)::int AS count FROM r WHERE rank > 1 GROUP BY 1)
         SELECT
           (SELECT count(*)::int FROM recent) AS blocks,
           (SELECT min(height) FROM recent) AS from_height,
           (SELECT max(height) FROM recent) AS to_height,
           (SELECT json_agg(hist) FROM hist) AS histogram,
           (SELECT json_agg(json_build_object('node_id', n.id, 'name', n.name, 'received', coalesce(p.received, 0), 'first', coalesce(p.first, 0),
                     'median', p.median, 'p95', p.p95, 'max', p.max))
            FROM nodes n LEFT JOIN per_node p ON p.node_id = n.id
            WHERE (${LISTED_NODE}) OR p.node_id IS NOT NULL) AS nodes`,
        blocks,
        `{${PROPAGATION_BUCKET_EDGES_MS.join(',')}}`,
      ),
      this.staleRate(blocks),
    ]);
    return {
      window: blocks,
      blocks: row?.blocks ?? 0,
      fromHeight: row?.from_height ?? null,
      toHeight: row?.to_height ?? null,
      histogram: histogramBuckets(row?.histogram ?? []),
      nodes: (row?.nodes ?? []).map(toLateness).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })),
      stale,
    };
  }

  /**
   * Of the blocks at the last `heights` heights (up to the highest indexed block), those on
   * no node's current chain. Heights no node's chain covers yet (a block just indexed, its
   * head event still on the way) count neither way: not stale, not in the total.
   */
  async staleRate(heights: number): Promise<StaleRate> {
    const [row] = await this.prisma.$queryRawUnsafe<Array<{ blocks: number; stale: number; top: number | null }>>(
      `WITH top AS (SELECT max(height) AS h FROM blocks),
       win AS (
         SELECT b.hash, NOT EXISTS (SELECT 1 FROM canonical_blocks c WHERE c.hash = b.hash) AS stale
         FROM blocks b, top
         WHERE b.height > top.h - $1::int AND b.height <= top.h
           AND EXISTS (SELECT 1 FROM canonical_blocks c WHERE c.height = b.height)
       )
       SELECT count(*)::int AS blocks, (count(*) FILTER (WHERE stale))::int AS stale, (SELECT h FROM top) AS top FROM win`,
      heights,
    );
    return staleRateOf(heights, row?.top ?? null, row?.blocks ?? 0, row?.stale ?? 0);
  }
}

/** The window's bounds and the rate; the window is empty below genesis. */
export function staleRateOf(heights: number, top: number | null, blocks: number, stale: number): StaleRate {
  return {
    heights,
    fromHeight: top === null ? null : Math.max(0, top - heights + 1),
    toHeight: top,
    blocks,
    stale,
    rate: blocks > 0 ? stale / blocks : null,
  };
}

/** Every bucket of PROPAGATION_BUCKET_EDGES_MS, empty ones too (width_bucket numbers them from 1). */
export function histogramBuckets(rows: ReadonlyArray<{ bucket: number; count: number }>): PropagationBucket[] {
  const counts = new Map(rows.map((r) => [Number(r.bucket), Number(r.count)]));
  return PROPAGATION_BUCKET_EDGES_MS.map((fromMs, i) => ({
    fromMs,
    toMs: PROPAGATION_BUCKET_EDGES_MS[i + 1] ?? null,
    count: counts.get(i + 1) ?? 0,
  }));
}

function toLateness(r: LatenessRow): NodeLateness {
  return {
    nodeId: r.node_id,
    name: r.name,
    received: Number(r.received),
    first: Number(r.first),
    medianMs: r.median === null ? null : Number(r.median),
    p95Ms: r.p95 === null ? null : Number(r.p95),
    maxMs: r.max === null ? null : Number(r.max),
  };
}

/** Receipts relative to the earliest one, earliest first; nodes without one last, by name. */
export function receiptViews(rows: ReadonlyArray<{ node_id: string; name: string; accepted_at_ms: number | null; holds: boolean }>): BlockReceiptView[] {
  const times = rows.flatMap((r) => (r.accepted_at_ms === null ? [] : [Number(r.accepted_at_ms)]));
  const first = times.length ? Math.min(...times) : 0;
  return rows
    .map((r) => {
      const at = r.accepted_at_ms === null ? null : Number(r.accepted_at_ms);
      return { nodeId: r.node_id, name: r.name, acceptedAt: at, afterFirstMs: at === null ? null : at - first, holds: r.holds };
    })
    .sort((a, b) => {
      if (a.acceptedAt !== null && b.acceptedAt !== null && a.acceptedAt !== b.acceptedAt) return a.acceptedAt - b.acceptedAt;
      if ((a.acceptedAt === null) !== (b.acceptedAt === null)) return a.acceptedAt === null ? 1 : -1;
      return a.name.localeCompare(b.name, undefined, { numeric: true });
    });
}
