// Canonical, deterministic encoding of plain data: the only bytes that are ever hashed or
// signed. Keys are sorted, there is no whitespace, and only strings, safe integers, booleans,
// null, arrays and plain objects are allowed, so one value has exactly one encoding whatever
// key order it was built or parsed with (JSON.stringify of an object does not promise that).
// Hashing runs through node:crypto (OpenSSL): the same SHA-256 as @noble/hashes, several
// times faster on the hot path where every block, tx and P2P envelope is hashed.
import crypto from 'node:crypto';
import { ChainError } from './errors.ts';

const MAX_DEPTH = 32;
const utf8 = new TextEncoder();

export function canonicalString(value: unknown): string {
  return encode(value, 0);
}

export function canonicalBytes(value: unknown): Uint8Array {
  return utf8.encode(canonicalString(value));
}

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 (bytes) of the canonical encoding of a value: what P2P envelopes sign. */
export function sha256Canonical(value: unknown): Uint8Array {
  return crypto.createHash('sha256').update(canonicalString(value), 'utf8').digest();
}

/** SHA-256 (hex) of the canonical encoding of a value (its UTF-8 bytes, hashed without a copy). */
export function hashCanonical(value: unknown): string {
  return crypto.createHash('sha256').update(canonicalString(value), 'utf8').digest('hex');
}

/**
 * Strings JSON.stringify writes back unchanged between quotes: printable ASCII without `"` or
 * `\`. Hashes, keys and most text are such strings and skip JSON.stringify (the hot path:
 * every block, tx and P2P envelope is encoded); anything else goes through it.
 */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const quote = (s: string): string => (PLAIN_STRING.test(s) ? `"${s}"` : JSON.stringify(s));

// Builds the string by concatenation (V8 ropes), which measured ~1.5-2x faster than pushing
// parts into an array and joining them.
function encode(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new ChainError('ENCODING_INVALID', 'value nested too deeply');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Floats have several textual forms across languages; integers have one.
      if (!Number.isSafeInteger(value)) throw new ChainError('ENCODING_INVALID', `not a safe integer: ${value}`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          out += encode(value[i], depth + 1);
        }
        return out + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new ChainError('ENCODING_INVALID', 'only plain objects can be encoded');
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const v = obj[key];
        if (v === undefined) throw new ChainError('ENCODING_INVALID', `undefined value at key ${key}`);
        if (i > 0) out += ',';
        out += quote(key) + ':' + encode(v, depth + 1);
      }
      return out + '}';
    }
    default:
      throw new ChainError('ENCODING_INVALID', `cannot encode a ${typeof value}`);
  }
}
