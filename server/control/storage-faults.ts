// Storage faults: damage to the block log of a stopped local node, as a torn write or a bad
// disk would leave it: cut bytes off the end, or flip bits at seeded random offsets (among the
// records, or in the file header). Pure over a file path and a seed (the same file and seed
// give the same damage, so a run can be replayed from its record); the node, on its next
// start, must find the damage, cut there and sync the rest from its peers.
import fs from 'node:fs';
import { CodedError } from '../../lib/coded-error.ts';
import { seededRandom } from '../../lib/seeded-random.ts';
import { BLOCK_LOG_HEADER_BYTES } from '../../node/chain/block-log.ts';
import type { ChaosAction } from '../../wire/chaos-api.ts';

export type StorageFaultAction = Extract<ChaosAction, { kind: 'storage-truncate' | 'storage-bitflip' }>;
type BitflipAction = Extract<ChaosAction, { kind: 'storage-bitflip' }>;

/** The log cannot take this fault (no file, nothing in the region to flip). */
export class StorageFaultError extends CodedError<'STORAGE_NO_LOG' | 'STORAGE_NOTHING_TO_FLIP'> {}

export function isStorageFault(action: ChaosAction): action is StorageFaultAction {
  return action.kind === 'storage-truncate' || action.kind === 'storage-bitflip';
}

/** A bitflip without a seed gets one drawn now, recorded with the action so it can be replayed. */
export function withStorageSeed<A extends ChaosAction>(action: A, drawn: () => number): A {
  if (action.kind !== 'storage-bitflip') return action;
  const flip = action as BitflipAction;
  return { ...flip, seed: flip.seed ?? drawn() } as A;
}

export interface BitFlip {
  /** Byte offset in the file. */
  offset: number;
  /** Bit within the byte, 0 = least significant. */
  bit: number;
}

/**
 * Which bits to flip: `count` distinct bits of the bytes [from, to), drawn from `seed`,
 * ordered by position (fewer when the region has fewer bits). Two flips of one bit would
 * cancel out, hence distinct.
 */
export function planBitFlips(region: { from: number; to: number }, count: number, seed: number): BitFlip[] {
  const bits = Math.max(0, region.to - region.from) * 8;
  const want = Math.min(count, bits);
  const random = seededRandom(seed);
  const chosen = new Set<number>();
  while (chosen.size < want) chosen.add(Math.floor(random() * bits));
  return [...chosen].sort((a, b) => a - b).map((b) => ({ offset: region.from + Math.floor(b / 8), bit: b % 8 }));
}

/** Cuts `bytes` off the end of the file (all of it when it is shorter); answers what was done, in words. */
export function truncateLog(file: string, bytes: number): { sizeBefore: number; cutBytes: number } {
  const sizeBefore = sizeOf(file);
  const cutBytes = Math.min(bytes, sizeBefore);
  fs.truncateSync(file, sizeBefore - cutBytes);
  return { sizeBefore, cutBytes };
}

/** Flips the bits the action's seed picks in the region it names; answers the bits flipped. */
export function flipLogBits(file: string, action: Pick<BitflipAction, 'flips' | 'where'> & { seed: number }): { size: number; flipped: BitFlip[] } {
  const size = sizeOf(file);
  const region = action.where === 'header' ? { from: 0, to: Math.min(BLOCK_LOG_HEADER_BYTES, size) } : { from: BLOCK_LOG_HEADER_BYTES, to: size };
  if (region.to <= region.from) {
    throw new StorageFaultError('STORAGE_NOTHING_TO_FLIP', `${file} has no ${action.where === 'header' ? 'header' : 'records'} to flip bits in (${size} bytes)`);
  }
  const flipped = planBitFlips(region, action.flips, action.seed);
  const fd = fs.openSync(file, 'r+');
  try {
    const byte = Buffer.alloc(1);
    for (const f of flipped) {
      fs.readSync(fd, byte, 0, 1, f.offset);
      byte[0] ^= 1 << f.bit;
      fs.writeSync(fd, byte, 0, 1, f.offset);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { size, flipped };
}

/**
 * Applies a storage fault to the log file and says what was done, as the chaos record's
 * result: 'ok: …' (a success that carries its detail, see wire/chaos-api.ts isOkResult).
 * A seedless bitflip must have been given its seed (withStorageSeed) first.
 */
export function damageBlockLog(file: string, action: StorageFaultAction): string {
  if (action.kind === 'storage-truncate') {
    const { sizeBefore, cutBytes } = truncateLog(file, action.bytes);
    return `ok: cut ${cutBytes} of ${sizeBefore} bytes${cutBytes === sizeBefore ? ' (the whole file)' : ''}`;
  }
  if (action.seed === undefined) throw new Error('storage-bitflip without a seed: call withStorageSeed first');
  const { size, flipped } = flipLogBits(file, { flips: action.flips, where: action.where, seed: action.seed });
  const at = flipped.map((f) => `${f.offset}.${f.bit}`).join(', ');
  return `ok: flipped ${flipped.length} bit(s) in the ${action.where} of a ${size}-byte log (seed ${action.seed}) at byte.bit ${at}`;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new StorageFaultError('STORAGE_NO_LOG', `no block log at ${file} (the node has not stored a block yet)`);
    throw err;
  }
}
