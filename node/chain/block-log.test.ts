import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { testChain } from '../testkit/chain-builder.ts';
import { BLOCK_LOG_HEADER_BYTES, BlockLog } from './block-log.ts';
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

  it('moves a file with a bad header aside, keeps it, and starts an empty log', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'magic-'));
    const file = path.join(dir, 'blocks.log');
    BlockLog.writeAll(file, blocks.slice(0, 4));
    const damaged = fs.readFileSync(file);
    damaged[0] ^= 0x01; // one flipped bit in the magic
    fs.writeFileSync(file, damaged);
    const log = new BlockLog(file);
    const r = log.open();
    assert.deepEqual(r.blocks, []);
    assert.equal(r.truncateReason, 'bad file header (not a block log)');
    assert.equal(r.truncatedBytes, damaged.length);
    assert.ok(r.movedAside?.startsWith(`${file}.corrupt-`), `moved aside as ${r.movedAside}`);
    assert.deepEqual(fs.readFileSync(r.movedAside!), damaged, 'the damaged file is kept as it was');
    assert.equal(fs.statSync(file).size, BLOCK_LOG_HEADER_BYTES);
    log.append(blocks[0]);
    log.close();
    assert.deepEqual(new BlockLog(file).open().blocks, [blocks[0]]);
  });

  it('a file that is no block log at all is kept under another name, not overwritten', () => {
    const file = path.join(tmp, 'other.log');
    fs.writeFileSync(file, 'hello world, not a block log');
    const r = new BlockLog(file).open();
    assert.deepEqual(r.blocks, []);
    assert.equal(fs.readFileSync(r.movedAside!, 'utf8'), 'hello world, not a block log');
  });

  it('stops at a flipped bit in a middle record and cuts it with everything after it', () => {
    const file = path.join(tmp, 'middle.log');
    BlockLog.writeAll(file, blocks);
    const intact = BlockLog.parse(fs.readFileSync(file));
    const buf = fs.readFileSync(file);
    buf[intact.offsets[4] + 8 + 20] ^= 0x10; // inside the 5th record's JSON
    fs.writeFileSync(file, buf);
    const r = new BlockLog(file).open();
    assert.deepEqual(r.blocks, blocks.slice(0, 4));
    assert.equal(r.truncateReason, 'record checksum mismatch');
    assert.equal(r.truncatedBytes, buf.length - intact.offsets[4]);
    assert.equal(fs.statSync(file).size, intact.offsets[4]);
  });

  it('a flipped bit in a length field is caught as a bad length or a checksum mismatch', () => {
    const file = path.join(tmp, 'len.log');
    BlockLog.writeAll(file, blocks.slice(0, 3));
    const offsets = BlockLog.parse(fs.readFileSync(file)).offsets;
    for (const [bit, reason] of [
      [0x80, 'bad record length '], // the top bit: far beyond the largest record
      [0x01, 'record checksum mismatch'], // the lowest bit: one byte more or less, wrong checksum
    ] as const) {
      const buf = fs.readFileSync(file);
      buf[offsets[1] + (bit === 0x80 ? 0 : 3)] ^= bit;
      const r = BlockLog.parse(buf);
      assert.equal(r.blocks.length, 1, `bit ${bit}`);
      assert.ok(r.truncateReason?.startsWith(reason), `bit ${bit}: ${r.truncateReason}`);
      assert.equal(r.truncatedBytes, buf.length - offsets[1]);
    }
  });

  it('cutAt drops a record and all after it; appends follow the cut', () => {
    const file = path.join(tmp, 'cut.log');
    BlockLog.writeAll(file, blocks.slice(0, 6));
    const log = new BlockLog(file);
    const r = log.open();
    const size = fs.statSync(file).size;
    assert.equal(log.cutAt(r.offsets[3]), size - r.offsets[3]);
    assert.equal(log.cutAt(size + 10), 0, 'cutting past the end cuts nothing');
    assert.throws(() => log.cutAt(2), RangeError, 'never inside the header');
    log.append(blocks[3]);
    log.close();
    assert.deepEqual(new BlockLog(file).open().blocks, blocks.slice(0, 4));
  });
});
