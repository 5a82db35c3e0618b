// What a node keeps in its data dir besides its key: the genesis it was started with (created
// for a single validator when missing), a marker of which chain the dir holds, and the block
// log replayed into the chain on start.
import fs from 'node:fs';
import path from 'node:path';
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

/**
 * Replays the block log into the chain (signatures were checked when the blocks first came
 * in; the log's checksums vouch for the bytes), cuts a torn tail, and makes the log the
 * chain's sink for new blocks. The caller closes the returned log on stop.
 */
export function restoreChain(dataDir: string, chain: Chain, clock: Clock, metrics: Metrics, log: Logger): BlockLog {
  const blockLog = new BlockLog(path.join(dataDir, 'blocks.log'));
  const t0 = Date.now();
  const read = blockLog.open();
  if (read.truncatedBytes > 0) {
    metrics.errors.inc({ kind: 'STORE_TRUNCATED' });
    log.warn(
      { file: blockLog.file, truncatedBytes: read.truncatedBytes, reason: read.truncateReason, intactBlocks: read.blocks.length },
      'block log had a torn or corrupt tail; cut it off',
    );
  }
  let skipped = 0;
  for (const b of read.blocks) {
    try {
      chain.importBlock(b, { trusted: true, nowMs: clock.now() });
    } catch (err) {
      skipped++;
      if (skipped <= 5) log.warn({ ...errFields(err), height: b.header.height, hash: b.hash }, 'stored block skipped on replay');
    }
  }
  if (skipped > 0) metrics.errors.inc({ kind: 'STORE_BLOCK_SKIPPED' }, skipped);
  chain.setSink(blockLog);
  log.info({ blocks: read.blocks.length, skipped, head: chain.headRef(), ms: Date.now() - t0 }, 'chain restored from disk');
  return blockLog;
}
