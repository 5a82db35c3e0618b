// The hex primitives every wire contract shares (hashes, public keys, signatures). A module
// of their own so that wire/bft.ts and wire/node-api.ts can both use them without importing
// each other in a cycle (node-api's BlockSchema carries bft's CommitSchema).
import { z } from 'zod';

export const hex = (bytes?: number) =>
  bytes === undefined ? z.string().regex(/^[0-9a-f]+$/, 'lowercase hex') : z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `${bytes}-byte lowercase hex`);

export const Hash = hex(32);
export const PublicKey = hex(32);
export const Signature = hex(64);

// Whole numbers, the commonest field types: heights, counts, nonces, Unix ms. One shared,
// immutable instance each instead of a new chain of zod objects per field (a node builds its
// schemas at every start; each is a few kB it keeps).
/** 0, 1, 2, … */
export const UInt = z.number().int().nonnegative();
/** 1, 2, 3, … */
export const PositiveInt = z.number().int().positive();
/** Any whole number (offsets, signed times). */
export const Int = z.number().int();
