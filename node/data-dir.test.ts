// restoreChain on damaged block logs: every record goes through the block's own checks on
// replay, so a record whose checksum holds but whose block does not (a wrong hash, a forged
// signature) is cut with everything after it, and never reaches the chain.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import type { Block } from '../wire/node-api.ts';
import { BlockLog } from './chain/block-log.ts';
import { Chain } from './chain/chain.ts';
import { Clock } from './chain/clock.ts';
import { genesisBlock } from './chain/genesis.ts';
import { RoundRobinPoa } from './consensus/poa/round-robin-poa.ts';
import { blockLogPath, restoreChain } from './data-dir.ts';
import { createMetrics } from './metrics.ts';
import { testChain } from './testkit/chain-builder.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'restore-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('restoreChain repairs a damaged block log', () => {
  const t = testChain();
  const blocks = t.extend(genesisBlock(t.genesis), 8);
  const logger = pino({ level: 'silent' });

  /** A data dir whose log holds `stored`, restored into a fresh chain. */
  async function restore(stored: Block[], damage?: (file: string) => void) {
    const dir = fs.mkdtempSync(path.join(tmp, 'node-'));
    BlockLog.writeAll(blockLogPath(dir), stored);
    damage?.(blockLogPath(dir));
    const chain = new Chain(t.genesis, new RoundRobinPoa(t.genesis));
    const metrics = createMetrics();
    const restored = await restoreChain(dir, chain, new Clock(), metrics, logger);
    restored.blockLog.close();
    return { dir, chain, metrics, ...restored, reread: BlockLog.parse(fs.readFileSync(blockLogPath(dir))) };
  }

  it('an intact log is replayed whole and reports no repair', async () => {
    const r = await restore(blocks);
    assert.equal(r.chain.headRef().hash, blocks[7].hash);
    assert.equal(r.repair, null);
  });

  it('a block whose hash does not match its header is cut, with every record after it', async () => {
    const forged = structuredClone(blocks);
    forged[3].header.timestamp += 1; // a valid record (the checksum is of these bytes) of a bad block
    const r = await restore(forged);
    assert.equal(r.chain.headRef().hash, blocks[2].hash, 'the chain stops before the bad block');
    assert.equal(r.chain.has(forged[3].hash), false);
    assert.deepEqual(r.reread.blocks, blocks.slice(0, 3), 'the log holds only the good prefix');
    assert.equal(r.repair?.keptBlocks, 3);
    assert.match(r.repair!.reason, /height 4 fails its checks \(BLOCK_HASH_MISMATCH\)/);
    assert.equal(
      r.repair!.cutBytes,
      forged.slice(3).reduce((n, b) => n + BlockLog.frame(b).length, 0),
    );
  });

  it('a block with a forged proposer signature is cut, though the log trusts its own records', async () => {
    const forged = structuredClone(blocks);
    forged[5].signature = forged[4].signature; // well-formed, but not this block's
    const r = await restore(forged);
    assert.equal(r.chain.headRef().hash, blocks[4].hash);
    assert.deepEqual(r.reread.blocks, blocks.slice(0, 5));
    assert.match(r.repair!.reason, /BLOCK_SIGNATURE_INVALID/);
  });

  it('a torn tail is reported with its reason and the bytes cut', async () => {
    const r = await restore(blocks, (file) => fs.truncateSync(file, fs.statSync(file).size - 5));
    assert.equal(r.chain.headRef().hash, blocks[6].hash);
    assert.deepEqual(r.repair && { reason: r.repair.reason, keptBlocks: r.repair.keptBlocks, movedAside: r.repair.movedAside }, {
      reason: 'torn record body',
      keptBlocks: 7,
      movedAside: null,
    });
    assert.equal(r.repair!.cutBytes, BlockLog.frame(blocks[7]).length - 5);
  });

  it('a damaged header: the file is moved aside, the chain starts at genesis and the repair names the kept file', async () => {
    const r = await restore(blocks, (file) => {
      const buf = fs.readFileSync(file);
      buf[3] ^= 0x40;
      fs.writeFileSync(file, buf);
    });
    assert.equal(r.chain.headRef().height, 0);
    assert.match(r.repair!.movedAside!, /^blocks\.log\.corrupt-\d+$/);
    assert.ok(fs.existsSync(path.join(r.dir, r.repair!.movedAside!)));
    assert.deepEqual(r.reread.blocks, []);
  });
});
