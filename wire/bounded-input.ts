// The bounds of every number, time and text a client may put in a path or query string. A
// value the database cannot hold (a height above its int4 columns, a time beyond what a Date
// can carry, a NUL byte in text) is a 400 here, at the schema, rather than a database error
// deep in a read model. Node and control plane share them (a chain height ends up in the
// indexer's int4 columns either way).
import { z } from 'zod';

/** Largest value of a Postgres int4 column (heights, ids): 2^31 - 1. */
export const MAX_DB_INT = 2_147_483_647;
/** Latest instant a JS Date holds (ms since 1970; Postgres timestamptz reaches further). */
export const MAX_TIME_MS = 8_640_000_000_000_000;

/** An integer within [min, max] from a path or query string (or a number in process). */
export const boundedInt = (min: number, max: number = MAX_DB_INT) => z.coerce.number().int().min(min).max(max);

/** A block height as a client gives one. */
export const HeightInput = boundedInt(0);

/** A moment: Unix ms or an ISO time, within what a Date holds. */
export const InstantInput = z.union([boundedInt(1, MAX_TIME_MS), z.iso.datetime().transform((t) => Date.parse(t))]);

/** Free text from a client: at most `max` characters, no NUL byte (Postgres text cannot hold one). */
export const TextInput = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\0'), 'must not contain a NUL byte');

/** A block by height (within the int4 range) or by 64-hex hash. */
export const BlockIdInput = z
  .string()
  .regex(/^(\d{1,10}|[0-9a-fA-F]{64})$/, 'expected a block height or a 64-hex-digit hash')
  .refine((id) => id.length === 64 || Number(id) <= MAX_DB_INT, `a height is at most ${MAX_DB_INT}`);

/** Whether a string of digits names a height a block can have (for inputs that may also be something else, e.g. a search). */
export const isHeight = (digits: string): boolean => /^\d{1,10}$/.test(digits) && Number(digits) <= MAX_DB_INT;
