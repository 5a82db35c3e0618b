// Record framing of the signing log: [u32 len][u32 ~len][u32 crc32(payload)][payload], big
// endian, after a file magic. The doubled length lets a damaged length be told from a torn
// one; the CRC covers the payload. A bad frame is a torn tail (a write cut by a crash or power
// loss, whose signature never left the node: cut it) only when no intact frame follows it;
// damage followed by an intact record means bytes that were once durable changed, and that is
// WAL_CORRUPT: the node must not guess what it signed.
import zlib from 'node:zlib';
import { WalError } from './wal-error.ts';

export const WAL_MAGIC = Buffer.from('TNSIGNWAL1\n');
const HEADER = 12;
/** Records are a few hundred bytes; a larger length is damage, never a record of ours. */
export const MAX_RECORD = 64 * 1024;

export function encodeFrame(payload: Buffer): Buffer {
  if (payload.length === 0 || payload.length > MAX_RECORD) throw new RangeError(`record of ${payload.length} bytes`);
  const frame = Buffer.allocUnsafe(HEADER + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(~payload.length >>> 0, 4);
  frame.writeUInt32BE(zlib.crc32(payload), 8);
  payload.copy(frame, HEADER);
  return frame;
}

export interface ParsedFrames {
  payloads: Buffer[];
  /** Offset just past the last intact frame: the file is cut here when the tail is torn. */
  end: number;
  /** Why bytes after `end` were dropped, or null if the file ends on an intact frame. */
  tornReason: string | null;
}

/** The payload of an intact frame at `off`, or a reason it is not one. */
function frameAt(buf: Buffer, off: number): { payload: Buffer } | { bad: string } {
  if (buf.length - off < HEADER) return { bad: `partial frame header (${buf.length - off} bytes)` };
  const len = buf.readUInt32BE(off);
  if (buf.readUInt32BE(off + 4) !== ~len >>> 0 || len === 0 || len > MAX_RECORD) return { bad: 'bad frame length' };
  if (off + HEADER + len > buf.length) return { bad: `record runs past the end (${len} bytes)` };
  const payload = buf.subarray(off + HEADER, off + HEADER + len);
  if (zlib.crc32(payload) !== buf.readUInt32BE(off + 8)) return { bad: 'record checksum mismatch' };
  return { payload };
}

/** Reads every frame from `start`; cuts a torn tail, throws WAL_CORRUPT on damage before it. */
export function parseFrames(buf: Buffer, start: number, file: string): ParsedFrames {
  const payloads: Buffer[] = [];
  let off = start;
  while (off < buf.length) {
    const frame = frameAt(buf, off);
    if ('bad' in frame) {
      for (let later = off + 1; later + HEADER < buf.length; later++) {
        if ('payload' in frameAt(buf, later)) {
          throw new WalError('WAL_CORRUPT', `${file}: ${frame.bad} at byte ${off}, with an intact record after it at byte ${later}`, {
            file,
            offset: off,
          });
        }
      }
      return { payloads, end: off, tornReason: frame.bad };
    }
    payloads.push(frame.payload);
    off += HEADER + frame.payload.length;
  }
  return { payloads, end: off, tornReason: null };
}
