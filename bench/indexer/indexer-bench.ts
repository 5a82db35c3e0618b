// `npm run bench -- indexer`: how fast the real ingest path fills a fresh Postgres, compared
// with raw COPY of the same rows, whether its memory stays flat, and how fast the explorer
// API answers over the result.
//
//   1. Generate (or reuse from os.tmpdir()) a deterministic chain: --blocks blocks above
//      genesis, --txs signed transfers each, real Ed25519 signatures from the node's code.
//   2. Ingest A, end to end: the server's Indexer (NodeSubscriber → IndexWriter →
//      PrismaIndexStore) follows a stand-in node serving that chain over HTTP + WebSocket;
//      the subscriber backfills it exactly as it would a real node.       (the ratio uses A)
//   3. Ingest B, writer only: the same pages handed straight to the IndexWriter the way the
//      backfill does (addBlocks + addCanonical per page of 500, await capacity(), final flush).
//   4. Baseline C: the same rows with COPY … FROM STDIN.
//   5. A, B and C must hold the same rows (fingerprints compared).
//   6. API latencies (p50/p95) over database A.
// Every database is fresh and migrated, on one Postgres: an embedded one (the same
// startDatabase as `npm start`, same settings) in a temp dir, or the server named by
// DATABASE_URL. Between phases the loaded database is VACUUM ANALYZEd and CHECKPOINTed,
// untimed, so no phase pays for the previous one's background work.
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { createPrismaClient, type PrismaClient } from '../../server/db/client.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import { startTestServer, type TestServer } from '../../server/db/test-database.ts';
import { Indexer } from '../../server/indexer/indexer.ts';
import type { IndexWriter } from '../../server/indexer/index-writer.ts';
import { PrismaIndexStore } from '../../server/indexer/prisma-index-store.ts';
import type { NodeSubscriber } from '../../server/indexer/node-subscriber.ts';
import { openChain, type ChainFile } from './chain-file.ts';
import { copyLoad } from './copy-baseline.ts';
import { cpuMeter, postmasterPid, type CpuSpan } from './cpu.ts';
import { startFakeNode, type FakeNode } from './fake-node.ts';
import { measureApi, type LatencyResult } from './api-latency.ts';
import { goal, type BenchResult, type Figure } from '../core/result.ts';

export interface IndexerBenchOptions {
  blocks: number;
  txs: number;
  seed: string;
  requests: number;
  regenerate: boolean;
  writerOnly: boolean;
  copy: boolean;
}

interface MemSample {
  pct: number;
  rss: number;
  heapUsed: number;
  /** Rows (the writer's count) queued but not yet written when the sample was taken. */
  queued: number;
}

interface PhaseResult {
  ms: number;
  cpu: CpuSpan;
  mem: MemSample[];
  gcMs: number;
  /** Highest RSS of this process (indexer + stand-in node) seen during the phase, every 100 ms. */
  peakRss: number;
}

/** Samples this process's RSS every 100 ms until stopped; returns the highest seen. */
function peakRssSampler(): () => number {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss());
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MB`;
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : '−'}${mb(Math.abs(bytes))}`;
const secs = (ms: number) => `${fmt(ms / 1000, 2)} s`;
const say = (line = '') => process.stdout.write(`${line}\n`);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const gc = (globalThis as { gc?: () => void }).gc;

function heapNow(): string {
  gc?.();
  const m = process.memoryUsage();
  return `heap ${mb(m.heapUsed)}, rss ${mb(m.rss)}`;
}

/**
 * Progress every 10 % of blocks. With `writer`, memory is sampled at each step after a full
 * GC, on the next macrotask (once the flushed batch is released); the GC pauses stay inside
 * the timed ingest (they make it slower, not faster) and are reported.
 */
function tracker(label: string, total: number, started: number, writer: IndexWriter | null, onStep?: (pct: number, done: number) => void) {
  let step = 1;
  let gcMs = 0;
  let pending = Promise.resolve();
  const mem: MemSample[] = [];
  return {
    mem,
    get gcMs() {
      return gcMs;
    },
    /** Resolves once every scheduled memory sample is taken. */
    settled: () => pending,
    update(done: number) {
      while (step <= 10 && done >= (total * step) / 10) {
        const pct = step * 10;
        const elapsed = performance.now() - started;
        const line = `  ${label} ${String(pct).padStart(3)}%  ${fmt(done).padStart(9)} blocks  ${secs(elapsed).padStart(8)}  ${fmt(done / (elapsed / 1000)).padStart(7)} blocks/s`;
        onStep?.(pct, done);
        if (writer) {
          pending = pending.then(
            () =>
              new Promise<void>((resolve) =>
                setImmediate(() => {
                  const t0 = performance.now();
                  gc?.();
                  gcMs += performance.now() - t0;
                  const m = process.memoryUsage();
                  const s = { pct, rss: m.rss, heapUsed: m.heapUsed, queued: writer.pendingRows };
                  mem.push(s);
                  say(`${line}  heap ${mb(s.heapUsed)}  rss ${mb(s.rss)}  queued ${fmt(s.queued)}`);
                  resolve();
                }),
              ),
          );
        } else say(line);
        step++;
      }
    },
  };
}

async function freshDatabase(server: TestServer, logger: pino.Logger): Promise<string> {
  const url = await server.createDatabase();
  await applyMigrations(url, { logger });
  return url;
}

async function sql(url: string, statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of statements) {
      // CHECKPOINT needs superuser or pg_checkpoint on an external server: skip it there.
      await c.query(s).catch((err: Error) => {
        if (s !== 'CHECKPOINT') throw err;
      });
    }
  } finally {
    await c.end();
  }
}

/** Drops a database the benchmark no longer needs (frees disk and cache for the next phase). */
async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  try {
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
  } catch {
    /* not allowed on this server: the test server drops it when it stops */
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** VACUUM ANALYZE a loaded database (untimed) and CHECKPOINT, so no phase pays for the one before. */
const settle = (url: string) => sql(url, ['VACUUM (ANALYZE) blocks, transactions, canonical_blocks', 'CHECKPOINT']);

/** Row counts and an order-independent hash of every column the indexer derives from the chain. */
async function fingerprint(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, string> = {};
    for (const [table, cols] of [
      ['blocks', `hash, chain_id, parent_hash, height, slot, proposer, timestamp, tx_root, signature, tx_count, size_bytes, first_seen_by`],
      ['transactions', `block_hash, hash, index, "from", "to", amount, nonce, timestamp, signature`],
      ['canonical_blocks', `node_id, height, hash`],
    ] as const) {
      const r = (await c.query<{ n: string; h: string }>(`SELECT count(*)::text AS n, coalesce(sum(hashtextextended(concat_ws('|', ${cols}), 0)), 0)::text AS h FROM ${table}`))
        .rows[0];
      out[table] = `${r.n} rows, hash ${r.h}`;
    }
    return out;
  } finally {
    await c.end();
  }
}

async function ingestEndToEnd(
  url: string,
  node: FakeNode,
  totalBlocks: number,
  postmaster: number | null,
  logger: pino.Logger,
): Promise<PhaseResult & { midAt: number; midHeight: number }> {
  const prisma = createPrismaClient(url); // as server/main.ts: default pool
  const indexer = new Indexer({ store: traced(makeStore(prisma)), logger });
  let midAt = 0;
  let midHeight = 0;
  try {
    const sub: NodeSubscriber = indexer.follow(node.url, 'local');
    if (process.env.BENCH_TRACE) {
      const blocks = sub.client.blocks.bind(sub.client);
      sub.client.blocks = async (from, limit) => {
        const t0 = performance.now();
        const page = await blocks(from, limit);
        process.stderr.write(`  [trace] ${(t0 / 1000).toFixed(2)} s GET /blocks?from=${from}: ${(performance.now() - t0).toFixed(0)} ms\n`);
        return page;
      };
    }
    const live = new Promise<void>((resolve) => sub.on('state', (s) => s === 'live' && resolve()));
    const cpu = await cpuMeter(postmaster);
    const rss = peakRssSampler();
    const started = performance.now();
    const progress = tracker('ingest', totalBlocks, started, indexer.writer, (pct, done) => {
      if (pct === 50) [midAt, midHeight] = [Date.now(), done - 1]; // blocks 0..done-1 are written
    });
    let flushed = 0;
    indexer.on('flushed', (batch) => progress.update((flushed += batch.blocks.length)));
    indexer.start();
    await live;
    await indexer.writer.flush();
    const ms = performance.now() - started;
    const used = await cpu();
    await progress.settled();
    const peakRss = rss();
    if (flushed !== totalBlocks) throw new Error(`ingest wrote ${flushed} blocks, expected ${totalBlocks}`);
    return { ms, cpu: used, mem: progress.mem, gcMs: progress.gcMs, peakRss, midAt, midHeight };
  } finally {
    await indexer.stop();
    await prisma.$disconnect();
  }
}

async function ingestWriterOnly(url: string, chain: ChainFile, node: FakeNode, postmaster: number | null, logger: pino.Logger): Promise<PhaseResult> {
  const prisma = createPrismaClient(url);
  const store = traced(makeStore(prisma));
  // An Indexer that follows no node: its writer has exactly the server's batching options.
  const indexer = new Indexer({ store, logger });
  const writer = indexer.writer;
  try {
    await store.upsertNode({ id: node.nodeId, name: 'bench-node', url: node.url, source: 'local', publicKey: node.publicKey, validator: true });
    const cpu = await cpuMeter(postmaster);
    const rss = peakRssSampler();
    const started = performance.now();
    const progress = tracker('writer', chain.meta.blockCount, started, writer);
    let flushed = 0;
    writer.on('flushed', (batch) => progress.update((flushed += batch.blocks.length)));
    indexer.start();
    for (let p = 0; p < chain.meta.pages.length; p++) {
      const blocks = await chain.page(p);
      const seenAt = Date.now();
      writer.addBlocks(blocks.map((block) => ({ block, seenBy: node.nodeId, seenAt })));
      writer.addCanonical({ nodeId: node.nodeId, fromHeight: p * chain.meta.pageSize, hashes: blocks.map((b) => b.hash) });
      await writer.capacity();
    }
    writer.addHead({ nodeId: node.nodeId, epoch: 'bench', seq: 0, at: Date.now(), height: chain.meta.head.height, hash: chain.meta.head.hash, reorg: null });
    writer.setCursor(node.nodeId, 'bench', 0);
    await writer.flush();
    const ms = performance.now() - started;
    const used = await cpu();
    await progress.settled();
    return { ms, cpu: used, mem: progress.mem, gcMs: progress.gcMs, peakRss: rss() };
  } finally {
    await indexer.stop();
    await prisma.$disconnect();
  }
}

/** With BENCH_TRACE=1: each writeBatch's size and span, and the writer's busy/idle totals, on stderr. */
function traced(store: PrismaIndexStore): PrismaIndexStore {
  if (!process.env.BENCH_TRACE) return store;
  const write = store.writeBatch.bind(store);
  let lastEnd = performance.now();
  let busy = 0;
  let idle = 0;
  store.writeBatch = async (batch) => {
    const t0 = performance.now();
    idle += t0 - lastEnd;
    try {
      await write(batch);
    } finally {
      lastEnd = performance.now();
      busy += lastEnd - t0;
      const txs = batch.blocks.reduce((n, s) => n + s.block.txs.length, 0);
      process.stderr.write(
        `  [trace] ${(t0 / 1000).toFixed(2)}–${(lastEnd / 1000).toFixed(2)} s writeBatch ${batch.blocks.length} blocks, ${txs} txs in ${(lastEnd - t0).toFixed(0)} ms; writer busy ${(busy / 1000).toFixed(1)} s, idle ${(idle / 1000).toFixed(1)} s\n`,
      );
    }
  };
  return store;
}

/**
 * The store under test: server/indexer/prisma-index-store.ts, or (for before/after comparisons)
 * another module exporting a compatible PrismaIndexStore, named by BENCH_STORE_MODULE.
 */
let makeStore = (prisma: PrismaClient): PrismaIndexStore => new PrismaIndexStore(prisma);

const cpuText = (c: CpuSpan) => `CPU: node ${fmt(c.node, 1)} s, postgres ${c.postgres === null ? 'unknown' : `${fmt(c.postgres, 1)} s`}`;

export async function runIndexerBench(opts: IndexerBenchOptions): Promise<Omit<BenchResult, 'name' | 'durationMs'>> {
  const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  say(`indexer benchmark: ${fmt(opts.blocks)} blocks × ${opts.txs} txs (seed "${opts.seed}")${gc ? '' : '  [run with --expose-gc for meaningful memory samples]'}`);
  say(
    `node ${process.version}, ${os.availableParallelism?.() ?? os.cpus().length} cores, load average ${load()}; ${process.env.DATABASE_URL ? 'Postgres from DATABASE_URL' : 'embedded Postgres (server/db/postgres.ts, as npm start)'}`,
  );
  if (process.env.BENCH_STORE_MODULE) {
    const file = path.resolve(process.env.BENCH_STORE_MODULE);
    const mod = (await import(pathToFileURL(file).href)) as { PrismaIndexStore: typeof PrismaIndexStore };
    makeStore = (prisma) => new mod.PrismaIndexStore(prisma);
    say(`store under test: ${file} (BENCH_STORE_MODULE)`);
  }
  say();

  // ---- 1. the chain ----
  const genStarted = performance.now();
  const chain = await openChain({ blocks: opts.blocks, txsPerBlock: opts.txs, seed: opts.seed }, { regenerate: opts.regenerate, log: say });
  const genMs = performance.now() - genStarted;
  const m = chain.meta;
  const rows = { blocks: m.blockCount, txs: m.txCount, canonical: m.blockCount };
  const totalRows = rows.blocks + rows.txs + rows.canonical;
  say(chain.generated ? `chain generated in ${secs(genMs)}` : `chain reused from ${chain.dataPath} (generated earlier in ${secs(m.generationMs)}; --regenerate to redo)`);
  say(`  head ${m.head.height} ${m.head.hash}; first ${m.verifiedPrefix} blocks checked by the node's Chain (signatures, PoA, nonces, balances)`);
  say(`  rows: ${fmt(rows.blocks)} blocks + ${fmt(rows.txs)} transactions + ${fmt(rows.canonical)} canonical_blocks = ${fmt(totalRows)}`);
  say();

  const server = await startTestServer({ logger });
  const node = await startFakeNode(chain);
  const latencies: LatencyResult[] = [];
  let a: (PhaseResult & { midAt: number; midHeight: number }) | null = null;
  let b: PhaseResult | null = null;
  const copies: Array<{ ms: number; cpu: CpuSpan }> = [];
  const prints: Record<string, Record<string, string>> = {};
  let apiPrisma: PrismaClient | null = null;
  let postmaster: number | null = null;
  const nodeRow = { id: node.nodeId, name: 'bench-node', url: node.url, publicKey: node.publicKey };

  // COPY runs before ingest A and again after ingest B: on a shared machine the baseline is
  // then measured on both sides of the ingest, not only at one moment.
  const copyPhase = async (label: string) => {
    const url = await freshDatabase(server, logger);
    postmaster ??= process.env.DATABASE_URL ? null : await postmasterPid(url);
    await sql(url, ['CHECKPOINT']);
    say(`baseline ${label}: COPY … FROM STDIN of the same rows (one transaction, 5,000-block COPY statements)  [load ${load()}; ${heapNow()}]`);
    const cpu = await cpuMeter(postmaster);
    const started = performance.now();
    const progress = tracker('copy  ', m.blockCount, started, null);
    const res = await copyLoad(url, chain, nodeRow, (done) => progress.update(done));
    const phase = { ms: res.ms, cpu: await cpu() };
    copies.push(phase);
    say(`  done in ${secs(phase.ms)}; ${cpuText(phase.cpu)}`);
    await settle(url);
    prints[label] = await fingerprint(url);
    await dropDatabase(url);
    say();
  };

  try {
    // ---- 2. COPY, first run ----
    if (opts.copy) await copyPhase('C1');

    // ---- 3. end-to-end ingest ----
    const urlA = await freshDatabase(server, logger);
    postmaster ??= process.env.DATABASE_URL ? null : await postmasterPid(urlA);
    await sql(urlA, ['CHECKPOINT']);
    say(`ingest A: NodeSubscriber → IndexWriter → PrismaIndexStore, from a stand-in node over HTTP + WebSocket  [load ${load()}; ${heapNow()}]`);
    a = await ingestEndToEnd(urlA, node, m.blockCount, postmaster, logger);
    say(`  done in ${secs(a.ms)} (incl. ${fmt(a.gcMs)} ms of forced GC for the memory samples); ${mb(node.bytesServed())} of /blocks JSON served; ${cpuText(a.cpu)}`);
    await settle(urlA);
    prints.A = await fingerprint(urlA);
    say();

    // ---- 4. writer only ----
    if (opts.writerOnly) {
      const urlB = await freshDatabase(server, logger);
      await sql(urlB, ['CHECKPOINT']);
      say(`ingest B: the same pages handed straight to IndexWriter → PrismaIndexStore (no HTTP, no zod)  [load ${load()}; ${heapNow()}]`);
      b = await ingestWriterOnly(urlB, chain, node, postmaster, logger);
      say(`  done in ${secs(b.ms)} (incl. ${fmt(b.gcMs)} ms of forced GC); ${cpuText(b.cpu)}`);
      await settle(urlB);
      prints.B = await fingerprint(urlB);
      await dropDatabase(urlB);
      say();
    }

    // ---- 5. COPY, second run ----
    if (opts.copy) await copyPhase('C2');

    // ---- 6. same rows everywhere ----
    const names = Object.keys(prints);
    let same = true;
    for (const table of ['blocks', 'transactions', 'canonical_blocks']) {
      const values = names.map((n) => prints[n][table]);
      if (new Set(values).size !== 1) same = false;
      say(`rows ${table.padEnd(17)} ${names.map((n) => `${n}: ${prints[n][table]}`).join('  ')}`);
    }
    if (!same) throw new Error('the databases do not hold the same rows');
    const expected = [rows.blocks, rows.txs, rows.canonical];
    ['blocks', 'transactions', 'canonical_blocks'].forEach((t, i) => {
      if (!prints.A[t].startsWith(`${expected[i]} rows`)) throw new Error(`${t}: expected ${expected[i]} rows, found ${prints.A[t]}`);
    });
    say(`  ${names.join(', ')} hold the same rows (first_seen_at / updated_at aside)`);
    say();

    // ---- 7. API latencies over A ----
    say(`API latencies over A (${opts.requests} sequential requests each after 10 warm-up; real router on loopback HTTP; load ${load()})`);
    apiPrisma = createPrismaClient(urlA);
    const head = m.head.height;
    const spread = (i: number, lo: number, hi: number) => lo + ((i * 7_919) % Math.max(1, hi - lo + 1));
    const count = (x: unknown, key: string) => ((x as Record<string, unknown[]>)[key] ?? []).length;
    latencies.push(
      ...(await measureApi(
        apiPrisma,
        [
          { name: 'GET /api/blocks (first page)', path: () => '/api/blocks?limit=25', check: (x) => `${count(x, 'blocks')} blocks` },
          { name: 'GET /api/blocks (deep page)', path: (i) => `/api/blocks?limit=25&before=${spread(i + 1, 26, head - 1)}`, check: (x) => `${count(x, 'blocks')} blocks` },
          { name: 'GET /api/blocks/:height', path: (i) => `/api/blocks/${spread(i + 1, 1, head)}`, check: (x) => `${count((x as { block: unknown }).block, 'txs')} txs` },
          { name: 'GET /api/forks (default)', path: () => '/api/forks', check: (x) => `${count(x, 'blocks')} blocks, ${count(x, 'tips')} tip` },
          { name: 'GET /api/forks?at= (mid-ingest)', path: () => `/api/forks?at=${a!.midAt}`, check: (x) => `${count(x, 'blocks')} blocks, ${count(x, 'tips')} tip` },
          {
            name: 'GET /api/forks?at=&from=&to= (mid)',
            path: () => `/api/forks?at=${a!.midAt}&from=${Math.max(0, a!.midHeight - 59)}&to=${a!.midHeight}`,
            check: (x) => `${count(x, 'blocks')} blocks, ${count(x, 'tips')} tip`,
          },
        ],
        { requests: opts.requests, warmup: 10 },
      )),
    );
    for (const l of latencies)
      say(`  ${l.name.padEnd(34)} p50 ${fmt(l.p50, 2).padStart(7)} ms  p95 ${fmt(l.p95, 2).padStart(7)} ms  max ${fmt(l.max, 2).padStart(7)} ms  (${l.note}; e.g. ${l.example})`);
    say();
  } finally {
    await apiPrisma?.$disconnect();
    await node.stop();
    await chain.close();
    await server.stop();
  }

  // ---- summary ----
  if (!a) throw new Error('ingest did not run');
  // rows/s of ingest ÷ rows/s of COPY for the same rows = COPY time ÷ ingest time.
  const copyMean = copies.length ? copies.reduce((n, c) => n + c.ms, 0) / copies.length : null;
  const copyBest = copies.length ? Math.min(...copies.map((c) => c.ms)) : null;
  const ratio = copyMean !== null ? copyMean / a.ms : null;
  const ratioStrict = copyBest !== null ? copyBest / a.ms : null;
  const ratioB = copyMean !== null && b ? copyMean / b.ms : null;
  const at = (pct: number) => a!.mem.find((s) => s.pct === pct)!;
  const [s10, s50, s100] = [at(10), at(50), at(100)];
  // Flat: the second half of the chain needs no more memory than the first. Each sample is
  // the heap after a full GC: what the indexer retains (its bounded caches, BlockGraph 50,000
  // links and CanonicalChain 5,000 heights, fill during the first half; Prisma's 100-entry
  // debug history) plus whatever the writer had queued at that instant (up to its high-water
  // mark). The floor (lowest sample of a half) is the retained part, so a leak raises it;
  // the peaks are shown too.
  const half = (from: number, to: number) => a!.mem.filter((s) => s.pct >= from && s.pct <= to).map((s) => s.heapUsed);
  const [first, second] = [half(10, 50), half(60, 100)];
  const floorGrowth = Math.min(...second) - Math.min(...first);
  const peakGrowth = Math.max(...second) - Math.max(...first);
  const tolerance = Math.max(16 * 2 ** 20, 0.1 * Math.min(...first));
  const flat = gc !== undefined && floorGrowth <= tolerance;
  const ratioOk = ratio !== null && ratio >= 0.5;

  say('==================== indexer benchmark summary ====================');
  say(
    `chain         ${fmt(opts.blocks)} blocks × ${opts.txs} txs + genesis = ${fmt(totalRows)} rows (${fmt(rows.blocks)} blocks, ${fmt(rows.txs)} txs, ${fmt(rows.canonical)} canonical)`,
  );
  say(`generation    ${chain.generated ? secs(genMs) : `reused (${secs(m.generationMs)} when generated)`}; not in any timing below`);
  const line = (label: string, p: { ms: number; cpu: CpuSpan }) =>
    say(
      `${label.padEnd(30)} ${secs(p.ms).padStart(9)}  ${fmt(rows.blocks / (p.ms / 1000)).padStart(7)} blocks/s  ${fmt(totalRows / (p.ms / 1000)).padStart(8)} rows/s   ${cpuText(p.cpu)}`,
    );
  line('ingest A (end to end)', a);
  if (b) line('ingest B (writer only)', b);
  copies.forEach((c, i) => line(`COPY baseline C${i + 1}`, c));
  if (ratio !== null && ratioStrict !== null) {
    say(`ratio ingest ÷ COPY, rows/s: A ÷ mean(C) = ${fmt(ratio, 2)}   goal ≥ 0.5: ${ratioOk ? 'MET' : 'NOT MET'}   (A ÷ faster C = ${fmt(ratioStrict, 2)})`);
  }
  if (ratioB !== null) say(`ratio writer only ÷ COPY:   B ÷ mean(C) = ${fmt(ratioB, 2)}`);
  if (a.cpu.postgres !== null && copies.length && copies.every((c) => c.cpu.postgres !== null)) {
    const copyPg = copies.reduce((n, c) => n + c.cpu.postgres!, 0) / copies.length;
    say(`Postgres CPU per row, COPY ÷ ingest A = ${fmt(copyPg / a.cpu.postgres, 2)}  (CPU seconds do not depend on the machine's other load)`);
  }
  say(`memory A, heap after full GC (rss):  10% ${mb(s10.heapUsed)} (${mb(s10.rss)})  50% ${mb(s50.heapUsed)} (${mb(s50.rss)})  100% ${mb(s100.heapUsed)} (${mb(s100.rss)})`);
  say(
    `memory flat: ${gc ? (flat ? 'MET' : 'NOT MET') : 'UNKNOWN (run with --expose-gc)'}  (heap floor 60–100% vs 10–50%: ${signedMb(floorGrowth)}, allowed +${mb(tolerance)}; peak ${signedMb(peakGrowth)})`,
  );
  for (const l of latencies) say(`${l.name.padEnd(34)} p50 ${fmt(l.p50, 1).padStart(6)} ms   p95 ${fmt(l.p95, 1).padStart(6)} ms`);
  say('====================================================================');
  const MB = 2 ** 20;
  const figures: Figure[] = [
    {
      name: 'ingest end to end (A)',
      value: rows.blocks / (a.ms / 1000),
      unit: 'blocks/s',
      note: `${fmt(totalRows / (a.ms / 1000))} rows/s over ${fmt(totalRows)} rows in ${secs(a.ms)}`,
    },
    ...(b ? [{ name: 'ingest writer only (B)', value: rows.blocks / (b.ms / 1000), unit: 'blocks/s', note: `${fmt(totalRows / (b.ms / 1000))} rows/s` }] : []),
    ...(copyMean !== null
      ? [
          {
            name: 'raw COPY baseline (mean of C1, C2)',
            value: rows.blocks / (copyMean / 1000),
            unit: 'blocks/s',
            note: `${fmt(totalRows / (copyMean / 1000))} rows/s; runs ${copies.map((c) => secs(c.ms)).join(', ')}`,
          },
        ]
      : []),
    { name: 'ratio ingest ÷ COPY (rows/s)', value: ratio, unit: 'ratio', note: ratioStrict !== null ? `÷ faster COPY run: ${fmt(ratioStrict, 2)}` : 'COPY skipped (--no-copy)' },
    { name: 'peak RSS during ingest A', value: a.peakRss / MB, unit: 'MB', note: 'bench process: indexer + in-process stand-in node' },
    { name: 'heap after GC at 10% / 100% of ingest', value: s100.heapUsed / MB, unit: 'MB', note: `10%: ${mb(s10.heapUsed)}; floor growth 2nd half ${signedMb(floorGrowth)}` },
    ...latencies.map((l) => ({ name: `${l.name} p95`, value: l.p95, unit: 'ms', note: `p50 ${fmt(l.p50, 1)} ms over ${fmt(opts.blocks)} blocks` })),
  ];
  return {
    params: { blocks: opts.blocks, txsPerBlock: opts.txs, seed: opts.seed, requests: opts.requests, database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded' },
    figures,
    goals: [
      goal('ingest ÷ raw COPY (rows/s)', '≥ 0.5', ratio, 'ratio', ratioOk, ratio === null ? 'COPY baseline skipped' : undefined),
      goal('ingest memory flat (heap floor, 2nd half vs 1st)', `≤ +${mb(tolerance)}`, floorGrowth / MB, 'MB', flat, gc ? 'heap floor grew' : 'run with --expose-gc'),
    ],
  };
}
