// The generated benchmark chain on disk: one JSON array of up to PAGE blocks per page
// (page p holds heights p*PAGE …), appended to one file, with a small meta file of page
// offsets. Generated once per (seed, blocks, txs) into os.tmpdir() and reused by later runs;
// read back one page at a time, so neither generation nor reading holds the chain in memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Block, HeadRef } from '../../wire/node-api.ts';
import { signBlock } from '../../node/chain/block.ts';
import { Chain } from '../../node/chain/chain.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import { RoundRobinPoa } from '../../node/consensus/poa/round-robin-poa.ts';
import { BLOCK_TIME_MS, benchNetwork, slotOf, type BenchNetwork, type ChainSpec } from './chain-spec.ts';
import type { GenRequest, GenResponse } from './gen-worker.ts';

/** Blocks per page: the indexer's backfill page and the node's /blocks limit. */
export const PAGE = 500;
const FORMAT = 1;
/** Blocks checked through the node's own Chain (signatures, PoA rules, balances and nonces). */
const VERIFY_PREFIX = 1_000;

export interface ChainMeta {
  format: number;
  spec: ChainSpec;
  pageSize: number;
  /** [byte offset, byte length] of each page in the data file. */
  pages: Array<[number, number]>;
  genesisHash: string;
  head: HeadRef;
  headTimestamp: number;
  blockCount: number;
  txCount: number;
  generationMs: number;
  verifiedPrefix: number;
}

export interface ChainFile {
  meta: ChainMeta;
  dataPath: string;
  net: BenchNetwork;
  /** Whether this run generated the file (false: reused from an earlier run). */
  generated: boolean;
  /** Raw JSON text of page `p` (a JSON array of blocks). */
  pageText(p: number): Promise<Buffer>;
  page(p: number): Promise<Block[]>;
  /** Blocks from..from+limit-1 of the chain (clamped to the head). */
  range(from: number, limit: number): Promise<Block[]>;
  close(): Promise<void>;
}

export function cacheDir(): string {
  return path.join(os.tmpdir(), 'testnet-explorer-bench');
}

function baseName(spec: ChainSpec): string {
  return `chain-f${FORMAT}-${spec.seed.replace(/[^a-z0-9_-]/gi, '_')}-${spec.blocks}x${spec.txsPerBlock}`;
}

export async function openChain(spec: ChainSpec, opts: { regenerate: boolean; log: (line: string) => void }): Promise<ChainFile> {
  const dir = cacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, baseName(spec));
  const metaPath = `${base}.meta.json`;
  const dataPath = `${base}.pages`;
  let meta: ChainMeta | null = null;
  if (!opts.regenerate && fs.existsSync(metaPath) && fs.existsSync(dataPath)) {
    try {
      const m = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as ChainMeta;
      const last = m.pages[m.pages.length - 1];
      if (m.format === FORMAT && last && fs.statSync(dataPath).size === last[0] + last[1]) meta = m;
    } catch {
      meta = null;
    }
  }
  const generated = meta === null;
  if (!meta) meta = await generate(spec, dataPath, metaPath, opts.log);
  const net = benchNetwork(spec.seed);
  const fh = await fs.promises.open(dataPath, 'r');
  const m = meta;
  const pageText = async (p: number): Promise<Buffer> => {
    const [offset, length] = m.pages[p];
    const buf = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const r = await fh.read(buf, read, length - read, offset + read);
      if (r.bytesRead === 0) throw new Error(`chain file ${dataPath} is truncated`);
      read += r.bytesRead;
    }
    return buf;
  };
  const page = async (p: number): Promise<Block[]> => JSON.parse((await pageText(p)).toString('utf8')) as Block[];
  return {
    meta: m,
    dataPath,
    net,
    generated,
    pageText,
    page,
    async range(from, limit) {
      const to = Math.min(m.head.height, from + limit - 1);
      const out: Block[] = [];
      for (let p = Math.floor(from / m.pageSize); p * m.pageSize <= to; p++) {
        for (const b of await page(p)) if (b.header.height >= from && b.header.height <= to) out.push(b);
      }
      return out;
    },
    close: () => fh.close(),
  };
}

async function generate(spec: ChainSpec, dataPath: string, metaPath: string, log: (line: string) => void): Promise<ChainMeta> {
  const started = performance.now();
  const net = benchNetwork(spec.seed);
  const tmpData = `${dataPath}.${process.pid}.tmp`;
  const out = fs.createWriteStream(tmpData);
  const threads = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  log(`generating ${spec.blocks.toLocaleString('en-US')} blocks × ${spec.txsPerBlock} txs (seed "${spec.seed}", ${threads} signing workers) into ${dataPath}`);

  // Workers sign the transactions of whole pages; this thread links, signs and writes blocks
  // in order. At most `window` pages are in flight, so memory stays flat.
  const workers = Array.from({ length: threads }, () => startTsWorker(new URL('./gen-worker.ts', import.meta.url)));
  const waiting = new Map<number, (r: GenResponse) => void>();
  for (const w of workers) w.on('message', (r: GenResponse) => waiting.get(r.id)?.(r));
  const errors = workers.map((w) => new Promise<never>((_, reject) => w.on('error', reject)));
  const pageCount = Math.ceil((spec.blocks + 1) / PAGE);
  const request = (p: number): Promise<GenResponse> => {
    const fromHeight = Math.max(1, p * PAGE);
    const toHeight = Math.min(spec.blocks, p * PAGE + PAGE - 1);
    const req: GenRequest = { id: p, spec, fromHeight, count: Math.max(0, toHeight - fromHeight + 1) };
    const promise = new Promise<GenResponse>((resolve) => waiting.set(p, resolve));
    workers[p % workers.length].postMessage(req);
    return Promise.race([promise, ...errors]);
  };

  const verifier = new Chain(net.genesis, new RoundRobinPoa(net.genesis));
  const window = threads * 3;
  const inFlight = new Map<number, Promise<GenResponse>>();
  const pages: Array<[number, number]> = [];
  let offset = 0;
  let parent = genesisBlock(net.genesis);
  let txCount = 0;
  let nextReport = 0.1;
  try {
    for (let p = 0; p < Math.min(window, pageCount); p++) inFlight.set(p, request(p));
    for (let p = 0; p < pageCount; p++) {
      const res = await inFlight.get(p)!;
      inFlight.delete(p);
      waiting.delete(p);
      if (p + window < pageCount) inFlight.set(p + window, request(p + window));
      const blocks: Block[] = p === 0 ? [parent] : [];
      for (const txs of res.txs) {
        const height = parent.header.height + 1;
        const slot = slotOf(net, height);
        const block = signBlock(
          { chainId: net.genesis.chainId, height, parentHash: parent.hash, timestamp: slot * BLOCK_TIME_MS, slot, proposer: '' },
          txs,
          net.validators.find((v) => v.publicKey === net.genesis.validators[slot % net.genesis.validators.length])!,
        );
        if (height <= VERIFY_PREFIX) {
          // Throws a ChainError if the node would refuse the block.
          const r = verifier.importBlock(block, { nowMs: Number.MAX_SAFE_INTEGER });
          if (r.status !== 'accepted' || verifier.headRef().hash !== block.hash) throw new Error(`the node's chain did not take block ${height} as its head`);
        }
        blocks.push(block);
        txCount += txs.length;
        parent = block;
      }
      const text = Buffer.from(JSON.stringify(blocks));
      if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
      pages.push([offset, text.length]);
      offset += text.length;
      if ((p + 1) / pageCount >= nextReport) {
        log(`  generated ${Math.round(((p + 1) / pageCount) * 100)}% (height ${parent.header.height}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        while ((p + 1) / pageCount >= nextReport) nextReport += 0.1;
      }
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  } catch (err) {
    out.destroy();
    fs.rmSync(tmpData, { force: true });
    throw err;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const meta: ChainMeta = {
    format: FORMAT,
    spec,
    pageSize: PAGE,
    pages,
    genesisHash: genesisBlock(net.genesis).hash,
    head: { height: parent.header.height, hash: parent.hash },
    headTimestamp: parent.header.timestamp,
    blockCount: spec.blocks + 1,
    txCount,
    generationMs: Math.round(performance.now() - started),
    verifiedPrefix: Math.min(VERIFY_PREFIX, spec.blocks),
  };
  fs.renameSync(tmpData, dataPath);
  fs.writeFileSync(metaPath, JSON.stringify(meta));
  return meta;
}

/** A worker running a .ts module: Node 20 does not apply tsx's loader to a worker's entry file. */
function startTsWorker(entry: URL): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true });
}
