// The benchmark chain as a node block log (the exact file a node replays on start), generated
// once per (seed, blocks, txs) into os.tmpdir() and reused by later runs, with a small meta
// file (head, genesis hash, counts). Written record by record, so generation never holds the
// chain in memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HeadRef } from '../../wire/node-api.ts';
import { BlockLog } from '../../node/chain/block-log.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import { nextBlock, syncNetwork, type SyncChainSpec, type SyncNetwork } from './sync-chain-spec.ts';

const FORMAT = 1;

export interface SyncChainMeta {
  format: number;
  spec: SyncChainSpec;
  genesisHash: string;
  head: HeadRef;
  blockCount: number;
  txCount: number;
  bytes: number;
  generationMs: number;
}

export interface SyncChain {
  meta: SyncChainMeta;
  net: SyncNetwork;
  /** The block log (heights 1…head, framed as the node writes them). */
  logFile: string;
  /** Whether this run generated it (false: reused from an earlier run). */
  generated: boolean;
}

function cacheBase(spec: SyncChainSpec): string {
  const dir = path.join(os.tmpdir(), 'testnet-explorer-bench');
  fs.mkdirSync(dir, { recursive: true });
  const engine = spec.consensus && spec.consensus !== 'poa' ? `-${spec.consensus}` : '';
  return path.join(dir, `sync-f${FORMAT}-${spec.seed.replace(/[^a-z0-9_-]/gi, '_')}-${spec.blocks}x${spec.txsPerBlock}${engine}`);
}

export function openSyncChain(spec: SyncChainSpec, opts: { regenerate: boolean; log: (line: string) => void }): SyncChain {
  const base = cacheBase(spec);
  const logFile = `${base}.blocks.log`;
  const metaFile = `${base}.meta.json`;
  const net = syncNetwork(spec.seed, spec.consensus);
  if (!opts.regenerate && fs.existsSync(metaFile) && fs.existsSync(logFile)) {
    try {
      const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as SyncChainMeta;
      // A run killed mid-write leaves no meta (it is written last), but check the size anyway.
      if (meta.format === FORMAT && meta.genesisHash === genesisBlock(net.genesis).hash && fs.statSync(logFile).size === meta.bytes) {
        return { meta, net, logFile, generated: false };
      }
    } catch {
      /* unreadable meta: generate again */
    }
  }
  const meta = generate(spec, net, logFile, metaFile, opts.log);
  return { meta, net, logFile, generated: true };
}

function generate(spec: SyncChainSpec, net: SyncNetwork, logFile: string, metaFile: string, log: (line: string) => void): SyncChainMeta {
  const started = performance.now();
  const certificates = net.genesis.consensus.engine === 'bft' ? `, each with a commit certificate of ${net.validators.length} precommits` : '';
  log(`generating ${spec.blocks.toLocaleString('en-US')} blocks × ${spec.txsPerBlock} signed transfers${certificates} (seed "${spec.seed}") into ${logFile}`);
  const tmp = `${logFile}.${process.pid}.tmp`;
  // An empty log is just the magic header: let BlockLog write it, then append frames.
  BlockLog.writeAll(tmp, []);
  const fd = fs.openSync(tmp, 'a');
  let parent = genesisBlock(net.genesis);
  let txCount = 0;
  try {
    const chunk: Buffer[] = [];
    for (let h = 1; h <= spec.blocks; h++) {
      parent = nextBlock(net, spec, parent);
      txCount += parent.txs.length;
      chunk.push(BlockLog.frame(parent));
      if (chunk.length === 1000 || h === spec.blocks) {
        fs.writeSync(fd, Buffer.concat(chunk));
        chunk.length = 0;
      }
      if (h % 5000 === 0) log(`  generated ${h} blocks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, logFile);
  const meta: SyncChainMeta = {
    format: FORMAT,
    spec,
    genesisHash: genesisBlock(net.genesis).hash,
    head: { height: parent.header.height, hash: parent.hash },
    blockCount: spec.blocks,
    txCount,
    bytes: fs.statSync(logFile).size,
    generationMs: Math.round(performance.now() - started),
  };
  fs.writeFileSync(metaFile, JSON.stringify(meta));
  log(`  generated in ${(meta.generationMs / 1000).toFixed(1)} s (${(meta.bytes / 2 ** 20).toFixed(1)} MB)`);
  return meta;
}
