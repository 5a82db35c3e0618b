// Structure-aware input generators for the fuzz tests (fast-check arbitraries): the weird
// values a decoder must survive (unicode, NUL, lone surrogates, %-encodings, very long strings,
// huge numbers and number tokens JSON.stringify cannot write, deep nesting, duplicate and
// prototype keys), mutations of a valid message (one field broken, wrong type, removed, a key
// added), and a JSON writer that can put those tokens and duplicate keys on the wire.
// No domain knowledge: each fuzz test brings its own valid seeds.
import fc from 'fast-check';

/** A token written into JSON text as is (`1e400`, `NaN`, `[[[[…`): JSON.stringify cannot make these. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** An object written with its entries as given, so one key may appear twice. */
export class DuplicateKeys {
  constructor(readonly entries: ReadonlyArray<readonly [string, unknown]>) {}
}

/** JSON text of a value that may hold RawJson and DuplicateKeys; own `__proto__` keys are written like any key. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof DuplicateKeys) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map((v) => jsonText(v)).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${jsonText((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Keys that reach prototype machinery when a decoder copies objects carelessly. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'] as const;

const TRICKY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202E',
  '𝔘𝔫𝔦',
  '\r\n',
  '%',
  '%E0',
  '%E0%A4%A',
  '%00',
  '%zz',
  '%%',
  '%25',
  '%C0%AF',
  '%FF%FE',
  '%2F..%2F',
  '../..',
  '//',
  'null',
  'undefined',
  'true',
  '-0',
  '0x10',
  '1e309',
  'NaN',
  'Infinity',
  '-Infinity',
  ' 1 ',
  '1.5',
  '-1',
  '00012',
  '2147483647',
  '2147483648',
  '4294967296',
  '9007199254740993',
  '99999999999999999999999',
  '1970-01-01T00:00:00Z',
  '275760-09-13T00:00:00.001Z',
  '+275761-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999999999Z',
  "'; DROP TABLE blocks;--",
  '%_\\',
  '_%',
  '*',
  '[object Object]',
  ...PROTOTYPE_KEYS,
];

/** Strings a decoder must survive: short oddities, any unicode, %-sequences, and very long ones. */
export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 12 }).map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('')),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '0', 'ab', '\u0000', 'é', '%'), fc.integer({ min: 256, max: 70_000 })).map(([s, n]) => s.repeat(n)) },
);

/** Numbers at and beyond the edges: int4, 2^53, ±0, fractions, NaN and ±Infinity (written as null by JSON). */
export const weirdNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    0.5,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    1e21,
    8.64e15 + 1,
    1e308,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    NaN,
    Infinity,
    -Infinity,
  ),
  fc.integer(),
  fc.double(),
);

/** Number tokens of JSON text that no JS number writes back: overflow, underflow, long digits, invalid forms. */
export const numberToken: fc.Arbitrary<RawJson> = fc
  .constantFrom(
    '1e400',
    '-1e400',
    '1e-400',
    '-0',
    '0.0',
    '1E2',
    '123456789012345678901234567890',
    '9007199254740993',
    '1.0000000000000000000001',
    'NaN',
    'Infinity',
    '0x1F',
    '01',
    '+1',
    '.5',
  )
  .map((t) => new RawJson(t));

/** Arrays or objects nested far beyond any schema (JSON.parse and recursive walkers must cope). */
export const deepNesting: fc.Arbitrary<RawJson> = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => new RawJson(arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));

const weirdKey: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 12 }), weirdString);

/** An object with the given own keys, `__proto__` included as a plain own key (as JSON.parse makes it). */
export function objectOf(entries: ReadonlyArray<readonly [string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** Any value, weird at every leaf and in its keys. */
export const weirdValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    weirdString,
    weirdNumber,
    fc.boolean(),
    fc.constant(null),
    numberToken,
    deepNesting,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(weirdKey, tie('value')), { maxLength: 4 }).map((entries) => objectOf(entries)),
    fc.array(fc.tuple(fc.constantFrom('a', 'type', 'v', '__proto__'), tie('value')), { minLength: 2, maxLength: 3 }).map((entries) => new DuplicateKeys(entries)),
  ),
})).value;

type Path = ReadonlyArray<string | number>;

/** Every path into a plain JSON value (the root is the empty path). */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const k of Object.keys(value)) out.push(...pathsOf((value as Record<string, unknown>)[k], [...prefix, k]));
  return out;
}

function getAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** A copy of `value` with `fn` applied at `path` (fn returning `undefined` removes the key or element). */
function updateAt(value: unknown, path: Path, fn: (old: unknown) => unknown): unknown {
  if (path.length === 0) return fn(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const next = updateAt(copy[head as number], rest, fn);
    if (next === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = next;
    return copy;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof RawJson) && !(value instanceof DuplicateKeys)) {
    const entries: Array<[string, unknown]> = [];
    for (const k of Object.keys(value)) {
      const old = (value as Record<string, unknown>)[k];
      if (k !== head) entries.push([k, old]);
      else {
        const next = updateAt(old, rest, fn);
        if (!(next === undefined && rest.length === 0)) entries.push([k, next]);
      }
    }
    return objectOf(entries);
  }
  return value;
}

/** A value of the same kind that is still wrong: a leaf nudged off its domain. */
function sameKindNudge(old: unknown): fc.Arbitrary<unknown> {
  if (typeof old === 'number') return fc.oneof(weirdNumber, numberToken, fc.constant(old + 1), fc.constant(-old - 1), fc.constant(old * 2 ** 31));
  if (typeof old === 'string') {
    return fc.oneof(
      weirdString,
      fc.constant(old.toUpperCase()),
      fc.constant(old.slice(1)),
      fc.constant(`${old}0`),
      fc.constant(`${old}\u0000`),
      fc.integer({ min: 0, max: Math.max(0, old.length - 1) }).map((i) => old.slice(0, i) + (old[i] === '0' ? '1' : '0') + old.slice(i + 1)),
    );
  }
  if (typeof old === 'boolean') return fc.constantFrom(!old, 0, 1, 'true', null);
  // Long arrays of small elements: copies of a big element would make inputs of hundreds of MB.
  if (Array.isArray(old))
    return fc.oneof(
      fc.constant([]),
      fc.constant([...old, ...old]),
      fc.tuple(fc.integer({ min: 1000, max: 5000 }), fc.constantFrom(0, null, '', 'ab'.repeat(32))).map(([n, v]) => Array.from({ length: n }, () => v)),
    );
  return weirdValue;
}

/** One way to break a valid value at one place. */
export function mutationOf(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  return fc.constantFrom(...paths).chain((path) => {
    const old = getAt(valid, path);
    const edits: Array<fc.Arbitrary<unknown>> = [
      weirdValue.map((w) => updateAt(valid, path, () => w)),
      sameKindNudge(old).map((w) => updateAt(valid, path, () => w)),
      fc.constant(updateAt(valid, path, () => undefined)),
      fc.integer({ min: 2, max: 200 }).map((d) => updateAt(valid, path, (o) => Array.from({ length: d }).reduce<unknown>((acc) => [acc], o))),
    ];
    if (old !== null && typeof old === 'object' && !Array.isArray(old)) {
      const entries = Object.entries(old);
      edits.push(fc.tuple(weirdKey, weirdValue).map(([k, v]) => updateAt(valid, path, () => objectOf([...entries, [k, v]]))));
      if (entries.length > 0) {
        edits.push(
          fc.tuple(fc.constantFrom(...entries.map(([k]) => k)), weirdValue).map(([k, v]) => updateAt(valid, path, () => new DuplicateKeys([...entries, [k, v]]))),
          fc.tuple(fc.constantFrom(...entries.map(([k]) => k)), weirdValue).map(([k, v]) => updateAt(valid, path, () => new DuplicateKeys([[k, v], ...entries]))),
        );
      }
    }
    return fc.oneof(...edits);
  });
}

/** A valid value broken in one or two places, or (rarely) left valid: decoders must take both. */
export function mutated(valid: unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(valid) },
    { weight: 6, arbitrary: mutationOf(valid) },
    { weight: 2, arbitrary: mutationOf(valid).chain((once) => (once instanceof RawJson || once instanceof DuplicateKeys ? fc.constant(once) : mutationOf(once))) },
  );
}

/** Text that may or may not be JSON: random unicode, bytes read as UTF-8, broken JSON, deep nesting. */
export const weirdText: fc.Arbitrary<string> = fc.oneof(
  weirdString,
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('utf8')),
  deepNesting.map((r) => r.text),
  weirdValue.map((v) => jsonText(v)),
  weirdValue.map((v) => jsonText(v).slice(0, -1)),
  fc.constantFrom('{', '[', '"', '{"a":1}{"a":1}', '{"a":1,}', "{'a':1}", '\u0000{}', '{}\u0000', 'true false', '{"__proto__":{"polluted":1}}'),
);
