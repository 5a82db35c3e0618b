import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BLOCK_LOG_HEADER_BYTES, BlockLog } from '../../node/chain/block-log.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import { testChain } from '../../node/testkit/chain-builder.ts';
import { damageBlockLog, flipLogBits, planBitFlips, StorageFaultError, truncateLog, withStorageSeed, type StorageFaultAction } from './storage-faults.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-faults-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const t = testChain();
const blocks = t.extend(genesisBlock(t.genesis), 12);
let n = 0;
function logFile(): string {
  const file = path.join(tmp, `blocks-${n++}.log`);
  BlockLog.writeAll(file, blocks);
  return file;
}

/** Every bit that differs between two equal-length buffers, as byte.bit. */
function diffBits(a: Buffer, b: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) for (let bit = 0; bit < 8; bit++) if (((a[i] ^ b[i]) >> bit) & 1) out.push(`${i}.${bit}`);
  return out;
}

describe('storage faults', () => {
  it('plans the same distinct bits for the same seed, inside the region, ordered', () => {
    const a = planBitFlips({ from: 10, to: 500 }, 20, 7);
    assert.deepEqual(planBitFlips({ from: 10, to: 500 }, 20, 7), a);
    assert.notDeepEqual(planBitFlips({ from: 10, to: 500 }, 20, 8), a);
    assert.equal(new Set(a.map((f) => `${f.offset}.${f.bit}`)).size, 20);
    assert.ok(a.every((f) => f.offset >= 10 && f.offset < 500 && f.bit >= 0 && f.bit < 8));
    assert.deepEqual(
      a.map((f) => f.offset * 8 + f.bit),
      a.map((f) => f.offset * 8 + f.bit).sort((x, y) => x - y),
    );
    assert.equal(planBitFlips({ from: 0, to: 2 }, 64, 1).length, 16, 'no more bits than the region has');
  });

  it('flips exactly the planned bits among the records, and the log then stops before the first one', () => {
    const file = logFile();
    const before = fs.readFileSync(file);
    const { size, flipped } = flipLogBits(file, { flips: 5, where: 'records', seed: 42 });
    const after = fs.readFileSync(file);
    assert.equal(size, before.length);
    assert.deepEqual(
      diffBits(before, after),
      flipped.map((f) => `${f.offset}.${f.bit}`),
    );
    assert.ok(flipped.every((f) => f.offset >= BLOCK_LOG_HEADER_BYTES));
    const offsets = BlockLog.parse(before).offsets;
    const firstHit = offsets.filter((o) => o <= flipped[0].offset).length - 1; // the record holding the first flip
    const r = BlockLog.parse(after);
    assert.deepEqual(r.blocks, blocks.slice(0, firstHit), 'every record before the first flip is kept, none after');
    assert.ok(r.truncateReason);
  });

  it('header flips stay in the header, and the log then is no block log', () => {
    const file = logFile();
    const { flipped } = flipLogBits(file, { flips: 3, where: 'header', seed: 1 });
    assert.equal(flipped.length, 3);
    assert.ok(flipped.every((f) => f.offset < BLOCK_LOG_HEADER_BYTES));
    const r = new BlockLog(file).open();
    assert.ok(r.movedAside, 'the node moves such a file aside');
  });

  it('truncate cuts the given bytes off the end, or the whole file when it is shorter', () => {
    const file = logFile();
    const size = fs.statSync(file).size;
    assert.deepEqual(truncateLog(file, 100), { sizeBefore: size, cutBytes: 100 });
    assert.equal(fs.statSync(file).size, size - 100);
    assert.equal(BlockLog.parse(fs.readFileSync(file)).truncateReason, 'torn record body');
    assert.deepEqual(truncateLog(file, 1_000_000), { sizeBefore: size - 100, cutBytes: size - 100 });
    assert.equal(fs.statSync(file).size, 0);
  });

  it('says what it did, as a success with its detail', () => {
    const file = logFile();
    const size = fs.statSync(file).size;
    assert.equal(damageBlockLog(file, { kind: 'storage-truncate', node: 'n', bytes: 7 }), `ok: cut 7 of ${size} bytes`);
    const seedless: StorageFaultAction = { kind: 'storage-bitflip', node: 'n', flips: 2, where: 'records' };
    const flip = withStorageSeed(seedless, () => 99);
    assert.ok(flip.kind === 'storage-bitflip');
    assert.equal(flip.seed, 99);
    assert.match(damageBlockLog(file, flip), /^ok: flipped 2 bit\(s\) in the records of a \d+-byte log \(seed 99\) at byte\.bit \d+\.\d, \d+\.\d$/);
    assert.equal(withStorageSeed({ ...flip, seed: 5 }, () => 99).seed, 5, 'a given seed is kept');
  });

  it('refuses a missing log, and a log with no records to flip', () => {
    assert.throws(
      () => truncateLog(path.join(tmp, 'none.log'), 1),
      (e: unknown) => e instanceof StorageFaultError && e.code === 'STORAGE_NO_LOG',
    );
    const empty = path.join(tmp, 'empty.log');
    BlockLog.writeAll(empty, []);
    assert.throws(
      () => flipLogBits(empty, { flips: 1, where: 'records', seed: 1 }),
      (e: unknown) => e instanceof StorageFaultError && e.code === 'STORAGE_NOTHING_TO_FLIP',
    );
  });
});
