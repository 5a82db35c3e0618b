// What a node keeps in its data dir besides its key: the genesis it was started with (created
// for a single validator when missing), a marker of which chain the dir holds, and the block
// log replayed into the chain on start (and repaired when it is damaged).
import fs from 'node:fs';
import path from 'node:path';
import type { Block, StorageRepair } from '../wire/node-api.ts';
import { preverifySignatures } from './chain/block.ts';
import { BlockLog } from './chain/block-log.ts';
import type { Chain } from './chain/chain.ts';
import type { Clock } from './chain/clock.ts';
import { ChainError } from './chain/errors.ts';
import { loadGenesisFile, parseGenesis, type Genesis } from './chain/genesis.ts';
import type { KeyPair } from './chain/keys.ts';
import type { NodeConfig } from './config.ts';
import { errFields, type Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export function loadOrCreateGenesis(cfg: NodeConfig, key: KeyPair, log: Logger): Genesis {
  const file = cfg.genesisFile;
  if (fs.existsSync(file)) {
    const g = loadGenesisFile(file);
    if (cfg.blockTimeMs !== null && cfg.blockTimeMs !== g.blockTimeMs) {
      throw new ChainError('GENESIS_MISMATCH', `--block-time ${cfg.blockTimeMs} differs from ${g.blockTimeMs} in ${file}; block time is fixed by genesis`);
    }
    return g;
  }
  const blockTimeMs = cfg.blockTimeMs ?? 1000;
  const g = parseGenesis({
    chainId: `dev-${key.publicKey.slice(0, 8)}`,
    genesisTime: Math.floor(Date.now() / blockTimeMs) * blockTimeMs,
    blockTimeMs,
    validators: [key.publicKey],
    allocations: [{ address: key.publicKey, balance: 1_000_000_000_000 }],
  });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(g, null, 2) + '\n');
  log.info({ file, chainId: g.chainId }, 'no genesis file: created a single-validator genesis for this node');
  return g;
}

/** Refuses a data dir that holds another chain's blocks, instead of mixing them. */
export function checkDataDirChain(dataDir: string, chain: Chain): void {
  const file = path.join(dataDir, 'chain.json');
  if (fs.existsSync(file)) {
    const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as { genesisHash?: string };
    if (meta.genesisHash !== chain.genesisHash) {
      throw new ChainError('GENESIS_MISMATCH', `data dir ${dataDir} holds chain with genesis ${meta.genesisHash}, not ${chain.genesisHash}; use another --data-dir`);
    }
    return;
  }
  fs.writeFileSync(file, JSON.stringify({ chainId: chain.chainId, genesisHash: chain.genesisHash }, null, 2) + '\n');
}

/** The block log's file in a node's data dir (the control plane's storage faults damage it). */
export function blockLogPath(dataDir: string): string {
  return path.join(dataDir, 'blocks.log');
}

/** Blocks replayed per signature batch: the batch's signatures are checked on every core at once. */
const REPLAY_BATCH = 1000;

export interface RestoredChain {
  blockLog: BlockLog;
  /** What was wrong with the log and what was cut; null when it was intact. */
  repair: StorageRepair | null;
}

/**
 * Replays the block log into the chain and makes the log the chain's sink for new blocks.
 * The checksums vouch for the bytes, but a record is replayed through every check of the block
 * itself (hash, tx root, signatures, checked in batches on worker threads) and of its place in
 * the chain: the first record that fails is cut from the log with all after it, so a damaged
 * block is never served; peers give the missing blocks back. The caller closes the log on stop.
 */
export async function restoreChain(dataDir: string, chain: Chain, clock: Clock, metrics: Metrics, log: Logger): Promise<RestoredChain> {
  const blockLog = new BlockLog(blockLogPath(dataDir));
  const t0 = Date.now();
  const read = blockLog.open();
  const damage = { file: blockLog.file, cutBytes: read.truncatedBytes, reason: read.truncateReason, intactBlocks: read.blocks.length };
  if (read.movedAside) {
    metrics.errors.inc({ kind: 'STORE_MOVED_ASIDE' });
    log.warn({ ...damage, movedAside: read.movedAside }, 'block log header is damaged: moved the file aside, starting from genesis to sync from peers');
  } else if (read.truncatedBytes > 0) {
    metrics.errors.inc({ kind: 'STORE_TRUNCATED' });
    log.warn(damage, 'block log had a torn or corrupt tail; cut it off');
  }
  let reason = read.truncateReason;
  let cutBytes = read.truncatedBytes;
  const failed = await replay(read.blocks, chain, clock);
  if (failed) {
    const bad = read.blocks[failed.index];
    const cut = blockLog.cutAt(read.offsets[failed.index]);
    const dropped = read.blocks.length - failed.index;
    metrics.errors.inc({ kind: 'STORE_BLOCK_INVALID' });
    log.warn(
      { ...errFields(failed.err), file: blockLog.file, height: bad.header.height, hash: bad.hash, cutBytes: cut, droppedBlocks: dropped },
      'stored block fails its checks on replay; cut the log there (peers give the rest back)',
    );
    // The bad record lies before any damaged tail: it is the first damage in the file.
    reason = `stored block at height ${bad.header.height} fails its checks (${failed.err instanceof ChainError ? failed.err.code : String(failed.err)})`;
    cutBytes += cut;
  }
  const keptBlocks = failed ? failed.index : read.blocks.length;
  chain.setSink(blockLog);
  log.info({ blocks: keptBlocks, head: chain.headRef(), ms: Date.now() - t0 }, 'chain restored from disk');
  const repair = reason === null ? null : { at: Date.now(), reason, cutBytes, keptBlocks, movedAside: read.movedAside && path.basename(read.movedAside) };
  return { blockLog, repair };
}

/** Imports the log's blocks in order; answers the first one that fails, or null. */
async function replay(blocks: Block[], chain: Chain, clock: Clock): Promise<{ index: number; err: unknown } | null> {
  for (let from = 0; from < blocks.length; from += REPLAY_BATCH) {
    const batch = blocks.slice(from, from + REPLAY_BATCH);
    await preverifySignatures(batch);
    for (let i = 0; i < batch.length; i++) {
      try {
        chain.importBlock(batch[i], { trusted: true, verifySignatures: true, nowMs: clock.now() });
      } catch (err) {
        return { index: from + i, err };
      }
    }
  }
  return null;
}
