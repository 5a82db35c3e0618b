// Fills a freshly migrated database with the synthetic network (synthetic-network.ts) the
// way the indexer would have stored it, fast: Postgres generates the bulk rows itself
// (INSERT … SELECT over generate_series, hashes from sha256/sha512 of the height), the fork
// window's few thousand rows come from TypeScript, and the indexes are dropped for the load
// and rebuilt once at the end (index-rebuild.ts), then VACUUM ANALYZE as autovacuum would
// have done on a long-running server.
//
// Rows, for B blocks, N nodes, K full-chain nodes, H heights of head history:
//   blocks            B main blocks + ~60 fork blocks in the top 200 heights
//   transactions      0, 1, 0, 3, 1 per block by height (mean 1); fork blocks repeat main's
//                     transactions at their height (both proposers had them in the mempool)
//   canonical_blocks  K nodes × B heights (their full chains, as the indexer's backfill
//                     stores them) + (N − K) nodes × H heights
//   head_events       N nodes × H heights (one head change per block, reorgs in the window):
//                     the control plane watched that long live; backfill records no head history
import pg from 'pg';
import { readSchemaObjects, dropForLoad, restoreAfterLoad } from './index-rebuild.ts';
import {
  BENCH_ACCOUNTS,
  BLOCK_MS,
  CHAIN_ID,
  FORK_WINDOW,
  GENESIS_MS,
  MAIN_HASH_SQL,
  STREAM_EPOCH,
  TX_COUNT_SQL,
  benchNodes,
  seenDelayMs,
  topWindow,
  type BenchNode,
  type ForkWindowShape,
  type TopWindow,
} from './synthetic-network.ts';

export interface LoadOptions {
  blocks: number;
  nodes: number;
  /** Heights of head history per node (from the top down). */
  headHistory: number;
  /**
   * How many nodes hold their canonical chain from genesis, as the indexer's backfill stores
   * it; the others hold it over the head history's heights only (a smaller load).
   */
  fullChainNodes: number;
  /** The fork window's shape (synthetic-network.ts); default: forks in the top 200 heights. */
  forkWindow?: ForkWindowShape;
  say: (line: string) => void;
}

export interface LoadedIndex {
  head: number;
  nodes: BenchNode[];
  window: TopWindow;
  rows: Record<string, number>;
  /** Milliseconds per load step, in order. */
  steps: Array<{ step: string; ms: number }>;
  totalMs: number;
}

// block_commits and block_receipts stay empty (the synthetic chain is PoA, and no node streamed
// its receipts) but their foreign keys hold blocks' primary key.
const LOADED_TABLES = ['blocks', 'transactions', 'canonical_blocks', 'head_events', 'block_commits', 'block_receipts'];
/** Rebuild order: biggest first, so the two builders finish together. */
const REBUILD_ORDER = ['canonical_blocks', 'transactions', 'head_events', 'blocks'];
const ACCOUNTS = BENCH_ACCOUNTS;
/** 64 bytes of hex that look like a signature: the API never verifies them, and sha512 per row would double the load time. */
const FAKE_SIGNATURE_SQL = (hashExpr: string) => `(${hashExpr} || reverse(${hashExpr}))`;
const ms = (expr: string) => `(timestamptz 'epoch' + (${expr}) * interval '1 millisecond')`;

export async function loadSyntheticIndex(url: string, opts: LoadOptions): Promise<LoadedIndex> {
  const head = opts.blocks - 1;
  const nodes = benchNodes(opts.nodes);
  const liveStart = Math.max(0, head - opts.headHistory + 1);
  const steps: LoadedIndex['steps'] = [];
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    // One big load: no per-commit flush, room to sort each index in memory.
    await c.query(`SET synchronous_commit = off; SET maintenance_work_mem = '512MB'; SET work_mem = '256MB'`);
    return c;
  };
  const main = await connect();
  const started = performance.now();
  const step = async (name: string, run: () => Promise<unknown>) => {
    const t0 = performance.now();
    await run().catch((err: Error) => {
      throw new Error(`bulk load, ${name}: ${err.message}`);
    });
    const took = performance.now() - t0;
    steps.push({ step: name, ms: took });
    opts.say(`  ${name.padEnd(52)} ${(took / 1000).toFixed(1).padStart(6)} s`);
  };
  try {
    // The window's seq numbers continue the bulk head history's: seq = height − liveStart.
    const shape = opts.forkWindow ?? { heights: FORK_WINDOW };
    const window = topWindow(head, nodes, Math.max(0, head - (shape.heights - 1) - liveStart), shape);
    const schema = await readSchemaObjects(main, LOADED_TABLES);
    await step('drop indexes and constraints for the load', () => dropForLoad(main, schema));
    await step('nodes', async () => {
      for (const n of nodes) {
        await main.query(
          `INSERT INTO nodes (id, name, url, source, public_key, is_validator, first_seen_at, last_seen_at) VALUES ($1, $2, $3, 'local', $4, true, ${ms('$5::int8')}, now())`,
          [n.id, n.name, n.url, n.publicKey, GENESIS_MS],
        );
      }
      await main.query(
        `CREATE TEMP TABLE bench_accounts AS SELECT a AS account, encode(sha256(('account:' || a)::bytea), 'hex') AS key FROM generate_series(0, ${ACCOUNTS - 1}) a`,
      );
      await main.query(`ANALYZE bench_accounts`);
    });
    await step(`blocks: ${opts.blocks.toLocaleString('en-US')} main chain`, () =>
      main.query(
        `INSERT INTO blocks (hash, chain_id, parent_hash, height, slot, proposer, "timestamp", tx_root, signature, tx_count, size_bytes, first_seen_at, first_seen_by)
         SELECT m.hash, $1, CASE WHEN h = 0 THEN repeat('0', 64) ELSE ${MAIN_HASH_SQL('h - 1')} END,
                h, $2::int8 + h, ($6::text[])[p], ${ms('$3::int8 + h * $4::int8')},
                encode(sha256(('txroot:' || h)::bytea), 'hex'), ${FAKE_SIGNATURE_SQL('m.hash')},
                m.txs, 420 + 262 * m.txs, ${ms('$3::int8 + h * $4::int8 + ($7::int[])[p]')}, ($8::text[])[p]
         FROM generate_series(0, $5::int) h
         CROSS JOIN LATERAL (SELECT ${MAIN_HASH_SQL('h')} AS hash, ${TX_COUNT_SQL('h')} AS txs, 1 + h % ${nodes.length} AS p OFFSET 0) m`,
        // The proposer is validators[slot mod n]; arrays indexed in place keep the rows in
        // height order (no join, no sort of a million wide rows).
        [CHAIN_ID, GENESIS_MS / BLOCK_MS, GENESIS_MS, BLOCK_MS, head, nodes.map((n) => n.publicKey), nodes.map((n) => seenDelayMs(n.ordinal)), nodes.map((n) => n.id)],
      ),
    );
    await step(`blocks: ${window.forkBlocks.length} fork blocks in the top ${shape.heights} heights`, () => {
      const f = window.forkBlocks;
      return main.query(
        `INSERT INTO blocks (hash, chain_id, parent_hash, height, slot, proposer, "timestamp", tx_root, signature, tx_count, size_bytes, first_seen_at, first_seen_by)
         SELECT hash, $1, parent_hash, height, ($2::int8 + height), proposer, ${ms('ts')}, tx_root, signature, tx_count, size_bytes, ${ms('seen')}, seen_by
         FROM unnest($3::text[], $4::text[], $5::int[], $6::text[], $7::int8[], $8::text[], $9::text[], $10::int[], $11::int[], $12::int8[], $13::text[])
           AS r(hash, parent_hash, height, proposer, ts, tx_root, signature, tx_count, size_bytes, seen, seen_by)`,
        [
          CHAIN_ID,
          GENESIS_MS / BLOCK_MS,
          f.map((b) => b.hash),
          f.map((b) => b.parentHash),
          f.map((b) => b.height),
          f.map((b) => b.proposer),
          f.map((b) => b.timestampMs),
          f.map((b) => b.txRoot),
          f.map((b) => b.signature),
          f.map((b) => b.txCount),
          f.map((b) => b.sizeBytes),
          f.map((b) => b.firstSeenMs),
          f.map((b) => b.firstSeenBy),
        ],
      );
    });
    // Fork blocks carry the same transactions as main at their height (both proposers had
    // them in their mempool): the tx formulas depend on height and index only.
    await step('transactions: tx_count per block', () =>
      main.query(
        `INSERT INTO transactions (block_hash, block_height, hash, index, "from", "to", amount, nonce, "timestamp", signature)
         SELECT b.hash, b.height, tx.hash, i, fa.key, ta.key,
                1 + (b.height::int8 * 7919 + i * 104729) % 1000000, b.height, b."timestamp" - interval '300 milliseconds',
                ${FAKE_SIGNATURE_SQL('tx.hash')}
         FROM blocks b
         CROSS JOIN LATERAL generate_series(0, b.tx_count - 1) i
         CROSS JOIN LATERAL (SELECT encode(sha256(('tx:' || b.height || ':' || i)::bytea), 'hex') AS hash OFFSET 0) tx
         JOIN bench_accounts fa ON fa.account = (b.height * 13 + i) % ${ACCOUNTS}
         JOIN bench_accounts ta ON ta.account = (b.height * 29 + i * 7 + 1) % ${ACCOUNTS}`,
      ),
    );
    // Height-major, as the indexer writes them (every node reports each block within ms).
    // Nodes past the first fullChainNodes hold their chain from the head history's start only.
    const partialFrom = opts.fullChainNodes >= nodes.length ? 0 : liveStart;
    await step(`canonical_blocks: ${nodes.length} nodes × heights below the window`, () =>
      main.query(
        `INSERT INTO canonical_blocks (node_id, height, hash, updated_at)
         SELECT unnest(CASE WHEN h >= $3::int THEN $1::text[] ELSE $2::text[] END), h, hash, now()
         FROM (SELECT h, ${MAIN_HASH_SQL('h')} AS hash FROM generate_series(0, $4::int - 1) h OFFSET 0) main`,
        [nodes.map((n) => n.id), nodes.slice(0, opts.fullChainNodes).map((n) => n.id), partialFrom, window.start],
      ),
    );
    await step('canonical_blocks: the window (forks and tips)', () =>
      main.query(
        `INSERT INTO canonical_blocks (node_id, height, hash, updated_at) SELECT node_id, height, hash, now() FROM unnest($1::text[], $2::int[], $3::text[]) AS r(node_id, height, hash)`,
        [window.canonical.map((c) => c.nodeId), window.canonical.map((c) => c.height), window.canonical.map((c) => c.hash)],
      ),
    );
    const bulkHeadTop = window.start - 1;
    await step(`head_events: ${nodes.length} nodes × ${Math.max(0, bulkHeadTop - liveStart + 1).toLocaleString('en-US')} heights below the window`, () =>
      main.query(
        // The first event of the history is the one recorded after backfill: no old head.
        `INSERT INTO head_events (node_id, stream_epoch, seq, hash, height, at, reorg_depth, old_head_hash, old_head_height)
         SELECT unnest($1::text[]), $2, h - $3::int, hash, h, ${ms('$4::int8 + h * $5::int8 + unnest($6::int[])')}, 0,
                CASE WHEN h = $3::int THEN NULL ELSE parent_hash END, CASE WHEN h = $3::int THEN NULL ELSE h - 1 END
         FROM (SELECT h, ${MAIN_HASH_SQL('h')} AS hash, ${MAIN_HASH_SQL('h - 1')} AS parent_hash FROM generate_series($3::int, $7::int) h OFFSET 0) main`,
        [nodes.map((n) => n.id), STREAM_EPOCH, liveStart, GENESIS_MS, BLOCK_MS, nodes.map((n) => seenDelayMs(n.ordinal)), bulkHeadTop],
      ),
    );
    await step('head_events: the window (forks, reorgs)', () => {
      const h = window.heads;
      return main.query(
        `INSERT INTO head_events (node_id, stream_epoch, seq, hash, height, at, reorg_depth, old_head_hash, old_head_height, common_ancestor_hash, common_ancestor_height)
         SELECT node_id, $1, seq, hash, height, ${ms('at_ms')}, depth, old_hash, old_height, anc_hash, anc_height
         FROM unnest($2::text[], $3::int[], $4::text[], $5::int[], $6::int8[], $7::int[], $8::text[], $9::int[], $10::text[], $11::int[])
           AS r(node_id, seq, hash, height, at_ms, depth, old_hash, old_height, anc_hash, anc_height)`,
        [
          STREAM_EPOCH,
          h.map((e) => e.nodeId),
          h.map((e) => e.seq),
          h.map((e) => e.hash),
          h.map((e) => e.height),
          h.map((e) => e.atMs),
          h.map((e) => e.reorgDepth),
          h.map((e) => e.oldHead?.hash ?? null),
          h.map((e) => e.oldHead?.height ?? null),
          h.map((e) => e.commonAncestor?.hash ?? null),
          h.map((e) => e.commonAncestor?.height ?? null),
        ],
      );
    });
    await step('nodes: stream cursors', () =>
      main.query(`UPDATE nodes n SET stream_epoch = $1, last_seq = s.seq FROM (SELECT node_id, max(seq) AS seq FROM head_events GROUP BY node_id) s WHERE s.node_id = n.id`, [
        STREAM_EPOCH,
      ]),
    );
    const second = await connect();
    try {
      await step('rebuild indexes and constraints (2 connections)', () =>
        restoreAfterLoad([main, second], schema, LOADED_TABLES, REBUILD_ORDER, (name, took) => opts.say(`    ${name.padEnd(48)} ${(took / 1000).toFixed(1).padStart(6)} s`)),
      );
    } finally {
      await second.end().catch(() => undefined);
    }
    await step('VACUUM ANALYZE (as autovacuum would have)', () => main.query(`VACUUM (ANALYZE) nodes, ${LOADED_TABLES.join(', ')}`));
    const rows: Record<string, number> = {};
    for (const t of LOADED_TABLES) rows[t] = Number((await main.query<{ n: string }>(`SELECT reltuples::int8 AS n FROM pg_class WHERE relname = $1`, [t])).rows[0].n);
    return { head, nodes, window, rows, steps, totalMs: performance.now() - started };
  } finally {
    await main.end().catch(() => undefined);
  }
}
