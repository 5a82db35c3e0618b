// The baseline beside the P2P figure: the same blocks imported by the node's own Chain in
// this process, with every check a syncing node makes (hashes, tx root, every signature,
// proposer and slot, balances and nonces; a BFT chain's commit certificates) and appended to a block log, but no network, no
// envelopes and no process start. P2P sync time over this time is what the network path costs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Block } from '../../wire/node-api.ts';
import { BlockLog } from '../../node/chain/block-log.ts';
import { Chain, type Checkpoint } from '../../node/chain/chain.ts';
import { createEngine } from '../../node/consensus/engine-factory.ts';
import type { SyncChain } from './sync-chain.ts';

export interface InProcessImport {
  blocks: number;
  importMs: number;
  /** CPU of this process over the import (one thread: the import is synchronous). */
  cpuMs: number;
  blocksPerSec: number;
  headHash: string;
}

export function readChainBlocks(chain: SyncChain): Block[] {
  const read = BlockLog.parse(fs.readFileSync(chain.logFile));
  if (read.truncatedBytes > 0) throw new Error(`cached chain ${chain.logFile} is damaged (${read.truncateReason}); run with --sync-regenerate`);
  return read.blocks;
}

/** Imports `blocks` (heights 1, 2, … of `chain`) into a fresh Chain writing a fresh block log. */
export function importInProcess(chain: SyncChain, blocks: Block[], opts: { checkpoint?: Checkpoint | null } = {}): InProcessImport {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sync-import-'));
  const log = new BlockLog(path.join(dir, 'blocks.log'));
  try {
    log.open();
    const target = new Chain(chain.net.genesis, createEngine(chain.net.genesis), opts.checkpoint ?? null);
    target.setSink(log);
    const nowMs = Date.now();
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    for (const b of blocks) {
      const r = target.importBlock(b, { nowMs });
      if (r.status !== 'accepted') throw new Error(`in-process import: block ${b.header.height} was ${r.status}, not accepted`);
    }
    const importMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    return { blocks: blocks.length, importMs, cpuMs: (cpu.user + cpu.system) / 1000, blocksPerSec: blocks.length / (importMs / 1000), headHash: target.headRef().hash };
  } finally {
    log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
