// Canonical, deterministic encoding of plain data: the only bytes that are ever hashed or
// signed. Keys are sorted, there is no whitespace, and only strings, safe integers, booleans,
// null, arrays and plain objects are allowed, so one value has exactly one encoding whatever
// key order it was built or parsed with (JSON.stringify of an object does not promise that).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ChainError } from './errors.ts';

const MAX_DEPTH = 32;
const utf8 = new TextEncoder();

export function canonicalString(value: unknown): string {
  const out: string[] = [];
  write(value, out, 0);
  return out.join('');
}

export function canonicalBytes(value: unknown): Uint8Array {
  return utf8.encode(canonicalString(value));
}

export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** SHA-256 (hex) of the canonical encoding of a value. */
export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalBytes(value));
}

function write(value: unknown, out: string[], depth: number): void {
  if (depth > MAX_DEPTH) throw new ChainError('ENCODING_INVALID', 'value nested too deeply');
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      // Floats have several textual forms across languages; integers have one.
      if (!Number.isSafeInteger(value)) throw new ChainError('ENCODING_INVALID', `not a safe integer: ${value}`);
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          write(value[i], out, depth + 1);
        }
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new ChainError('ENCODING_INVALID', 'only plain objects can be encoded');
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      out.push('{');
      let first = true;
      for (const key of keys) {
        const v = obj[key];
        if (v === undefined) throw new ChainError('ENCODING_INVALID', `undefined value at key ${key}`);
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(key), ':');
        write(v, out, depth + 1);
      }
      out.push('}');
      return;
    }
    default:
      throw new ChainError('ENCODING_INVALID', `cannot encode a ${typeof value}`);
  }
}
