// Append-only block log in the node's data dir. Each record is framed as
// [u32 length][u32 crc32][JSON bytes], so a write torn by kill -9 or a power cut is found on
// the next start and cut off (the blocks it held are fetched again from peers), instead of
// crashing the node on every start. A file whose header is not ours (a flipped bit in the
// magic, another file in its place) is moved aside, kept for inspection, and replaced by an
// empty log: the node then syncs its chain from peers instead of crash-looping.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { BlockSchema, type Block } from '../../wire/node-api.ts';

const MAGIC = Buffer.from('TNBLOCKS1\n');
/** Bytes of the file header before the first record (a damaged header loses the whole file). */
export const BLOCK_LOG_HEADER_BYTES = MAGIC.length;
const FRAME = 8;
const MAX_RECORD = 64 * 1024 * 1024;

export interface LogReadResult {
  blocks: Block[];
  /** Where each block's record starts in the file, so a record that fails replay can be cut. */
  offsets: number[];
  /** Bytes cut off the end because the last record(s) were torn or corrupt. */
  truncatedBytes: number;
  truncateReason: string | null;
  /** The damaged file's new name when its header was bad and it was moved aside; else null. */
  movedAside: string | null;
}

export class BlockLog {
  private fd: number | null = null;

  constructor(readonly file: string) {}

  /** Reads every intact record, cuts a torn or corrupt tail, and opens the file for appending. */
  open(): LogReadResult {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    if (!fs.existsSync(this.file)) fs.writeFileSync(this.file, MAGIC);
    const buf = fs.readFileSync(this.file);
    let result: LogReadResult;
    if (buf.length < MAGIC.length && MAGIC.subarray(0, buf.length).equals(buf)) {
      // Torn while writing the magic itself: start over.
      fs.writeFileSync(this.file, MAGIC);
      result = { blocks: [], offsets: [], truncatedBytes: buf.length, truncateReason: 'torn file header', movedAside: null };
    } else if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) {
      // Nothing in the file can be trusted to be ours: keep it under another name, start empty.
      const movedAside = `${this.file}.corrupt-${Date.now()}`;
      fs.renameSync(this.file, movedAside);
      fs.writeFileSync(this.file, MAGIC);
      result = { blocks: [], offsets: [], truncatedBytes: buf.length, truncateReason: 'bad file header (not a block log)', movedAside };
    } else {
      result = BlockLog.parse(buf);
      if (result.truncatedBytes > 0) fs.truncateSync(this.file, buf.length - result.truncatedBytes);
    }
    this.fd = fs.openSync(this.file, 'a');
    return result;
  }

  static parse(buf: Buffer): LogReadResult {
    const blocks: Block[] = [];
    const offsets: number[] = [];
    let off = MAGIC.length;
    let reason: string | null = null;
    while (off < buf.length) {
      if (buf.length - off < FRAME) {
        reason = 'torn record frame';
        break;
      }
      const len = buf.readUInt32BE(off);
      const crc = buf.readUInt32BE(off + 4);
      if (len === 0 || len > MAX_RECORD) {
        reason = `bad record length ${len}`;
        break;
      }
      if (buf.length - off - FRAME < len) {
        reason = 'torn record body';
        break;
      }
      const body = buf.subarray(off + FRAME, off + FRAME + len);
      if (zlib.crc32(body) !== crc) {
        reason = 'record checksum mismatch';
        break;
      }
      let parsed;
      try {
        parsed = BlockSchema.safeParse(JSON.parse(body.toString('utf8')));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        reason = 'record is not a block';
        break;
      }
      blocks.push(parsed.data);
      offsets.push(off);
      off += FRAME + len;
    }
    return { blocks, offsets, truncatedBytes: buf.length - off, truncateReason: reason, movedAside: null };
  }

  static frame(block: Block): Buffer {
    const body = Buffer.from(JSON.stringify(block), 'utf8');
    const head = Buffer.alloc(FRAME);
    head.writeUInt32BE(body.length, 0);
    head.writeUInt32BE(zlib.crc32(body), 4);
    return Buffer.concat([head, body]);
  }

  /** Synchronous on purpose: the record is in the OS page cache before the block is used. */
  append(block: Block): void {
    if (this.fd === null) throw new Error('block log is not open');
    fs.writeSync(this.fd, BlockLog.frame(block));
  }

  /**
   * Cuts the log at `offset` (the start of a record that failed replay): that record and every
   * one after it go, and later appends follow the cut. Returns the bytes cut.
   */
  cutAt(offset: number): number {
    if (offset < MAGIC.length) throw new RangeError(`cannot cut ${this.file} inside its header (offset ${offset})`);
    const size = fs.statSync(this.file).size;
    if (offset >= size) return 0;
    fs.truncateSync(this.file, offset);
    return size - offset;
  }

  close(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  /** Writes a fresh log holding these blocks (tests and tools that build chains offline). */
  static writeAll(file: string, blocks: Block[]): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.concat([MAGIC, ...blocks.map((b) => BlockLog.frame(b))]));
  }
}
