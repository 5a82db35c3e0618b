import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { testChain } from '../testkit/chain-builder.ts';
import { BlockLog } from './block-log.ts';
import { genesisBlock } from './genesis.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'blocklog-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('block log', () => {
  const t = testChain();
  const blocks = t.extend(genesisBlock(t.genesis), 10);

  it('reads back what was appended, across reopen', () => {
    const file = path.join(tmp, 'a.log');
    const log = new BlockLog(file);
    assert.deepEqual(log.open().blocks, []);
    for (const b of blocks.slice(0, 6)) log.append(b);
    log.close();
    const again = new BlockLog(file);
    const r = again.open();
    assert.equal(r.truncatedBytes, 0);
    assert.deepEqual(r.blocks, blocks.slice(0, 6));
    for (const b of blocks.slice(6)) again.append(b);
    again.close();
    assert.deepEqual(new BlockLog(file).open().blocks, blocks);
  });

  it('cuts a torn final record and keeps appending after it', () => {
    const file = path.join(tmp, 'torn.log');
    BlockLog.writeAll(file, blocks.slice(0, 5));
    const intact = fs.statSync(file).size;
    const frame = BlockLog.frame(blocks[5]);
    fs.appendFileSync(file, frame.subarray(0, frame.length - 7)); // kill -9 mid-write
    const log = new BlockLog(file);
    const r = log.open();
    assert.equal(r.blocks.length, 5);
    assert.equal(r.truncatedBytes, frame.length - 7);
    assert.equal(r.truncateReason, 'torn record body');
    assert.equal(fs.statSync(file).size, intact);
    log.append(blocks[5]);
    log.close();
    assert.deepEqual(new BlockLog(file).open().blocks, blocks.slice(0, 6));
  });

  it('cuts a final record whose checksum does not match, and a torn frame header', () => {
    const file = path.join(tmp, 'crc.log');
    BlockLog.writeAll(file, blocks.slice(0, 3));
    const frame = BlockLog.frame(blocks[3]);
    frame[frame.length - 2] ^= 0xff; // flipped bits in the last record
    fs.appendFileSync(file, frame);
    const r = new BlockLog(file).open();
    assert.equal(r.blocks.length, 3);
    assert.equal(r.truncateReason, 'record checksum mismatch');

    fs.appendFileSync(file, Buffer.from([0, 0, 1]));
    const r2 = new BlockLog(file).open();
    assert.equal(r2.blocks.length, 3);
    assert.equal(r2.truncateReason, 'torn record frame');
  });

  it('refuses a file that is not a block log instead of overwriting it', () => {
    const file = path.join(tmp, 'other.log');
    fs.writeFileSync(file, 'hello world, not a block log');
    assert.throws(() => new BlockLog(file).open(), /bad magic/);
  });
});
