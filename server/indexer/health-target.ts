// What an ATTACH entry means: a node we follow fully (our own daemon: /stream, /blocks, /peers)
// or, marked `health+`, a node we did not write that serves only a health JSON (a seed
// testnet's nodes). For those, the height and the head hash are read at JSON paths given in
// the URL's fragment (a fragment is never sent to the server, so it is the URL's own place for
// what only the client needs):
//
//   health+http://seed-1.example:8080                       GET /health, .blockchain.height, .blockchain.latest_block_hash
//   health+https://rpc.example/status#height=result.h&hash=result.hash&name=rpc-1
//
// Pure: parsing, the derived id, and reading a value at a path. No I/O.
import { createHash } from 'node:crypto';

export const HEALTH_ONLY_PREFIX = 'health+';
export const DEFAULT_HEIGHT_PATH = 'blockchain.height';
export const DEFAULT_HASH_PATH = 'blockchain.latest_block_hash';
/** Ids of health-only nodes start with this (ids of full nodes are 16 hex chars of their public key). */
export const HEALTH_ONLY_ID_PREFIX = 'health-';

/** A node followed only through its health JSON. */
export interface HealthOnlyTarget {
  /** The node's URL as shown and stored (no `health+`, no fragment). */
  url: string;
  /** Where the JSON is read: `<url>/health` when the URL has no path, else the URL itself. */
  healthUrl: string;
  /** Stable, derived from `url` (see healthOnlyId). */
  id: string;
  /** The `name=` of the fragment, else the URL's host:port. */
  name: string;
  /** Keys from the JSON root to the height (a number or a decimal string). */
  heightPath: string[];
  /** Keys from the JSON root to the head block's hash (a string). */
  hashPath: string[];
}

export type AttachEntry = { kind: 'full'; url: string } | { kind: 'health-only'; target: HealthOnlyTarget };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const SEGMENT = /^[A-Za-z0-9_$-]+$/;
const FRAGMENT_KEYS = new Set(['height', 'hash', 'name']);

/**
 * A health-only node has no public key to name it, so its id is derived from its URL:
 * `health-` + the first 12 hex chars of SHA-256 of the URL (as `new URL` normalises it,
 * without the fragment). The same URL keeps the same id, and so its history, across restarts;
 * changing only the JSON paths or the name keeps it too.
 */
export function healthOnlyId(url: string): string {
  return HEALTH_ONLY_ID_PREFIX + createHash('sha256').update(url).digest('hex').slice(0, 12);
}

/** `blockchain.height`, `.result.sync_info.latest_block_height`, `items.0.h` → keys; errors name the bad segment. */
export function parseJsonPath(text: string): Parsed<string[]> {
  const trimmed = text.trim().replace(/^\./, '');
  if (trimmed === '') return { ok: false, error: 'the JSON path is empty' };
  const keys = trimmed.split('.');
  const bad = keys.find((k) => !SEGMENT.test(k));
  if (bad !== undefined) return { ok: false, error: `JSON path "${text}" has an invalid segment "${bad}" (keys are letters, digits, _ $ -, joined by dots)` };
  return { ok: true, value: keys };
}

/** One ATTACH entry: a full node's URL, or `health+<url>[#height=…&hash=…&name=…]`. */
export function parseAttachEntry(entry: string): Parsed<AttachEntry> {
  const healthOnly = entry.startsWith(HEALTH_ONLY_PREFIX);
  const raw = healthOnly ? entry.slice(HEALTH_ONLY_PREFIX.length) : entry;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: `"${entry}" is not a URL (expected http://host:port, or health+http://host:port for a node that serves only its health)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, error: `"${entry}": the scheme must be http or https (got ${url.protocol.replace(':', '')})` };
  if (!healthOnly) {
    if (url.hash) return { ok: false, error: `"${entry}": a #fragment (JSON paths) only means something on a health+ URL` };
    return { ok: true, value: { kind: 'full', url: raw } };
  }
  const fragment = url.hash.replace(/^#/, '');
  url.hash = '';
  const base = url.href.replace(/\/$/, '');
  const params = new URLSearchParams(fragment);
  for (const key of params.keys()) {
    if (!FRAGMENT_KEYS.has(key)) return { ok: false, error: `"${entry}": unknown key "${key}" in the #fragment (allowed: height, hash, name)` };
  }
  const heightPath = parseJsonPath(params.get('height') ?? DEFAULT_HEIGHT_PATH);
  if (!heightPath.ok) return { ok: false, error: `"${entry}": height: ${heightPath.error}` };
  const hashPath = parseJsonPath(params.get('hash') ?? DEFAULT_HASH_PATH);
  if (!hashPath.ok) return { ok: false, error: `"${entry}": hash: ${hashPath.error}` };
  const name = (params.get('name') ?? url.host).trim();
  if (name === '' || name.length > 64) return { ok: false, error: `"${entry}": name must be 1 to 64 characters` };
  return {
    ok: true,
    value: {
      kind: 'health-only',
      target: {
        url: base,
        healthUrl: url.pathname === '/' ? `${base}/health` : base,
        id: healthOnlyId(base),
        name,
        heightPath: heightPath.value,
        hashPath: hashPath.value,
      },
    },
  };
}

/** Every ATTACH entry, or the first error naming the entry (1-based) and what is wrong with it. */
export function parseAttachList(list: string[]): Parsed<AttachEntry[]> {
  const out: AttachEntry[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of list.entries()) {
    const parsed = parseAttachEntry(entry);
    if (!parsed.ok) return { ok: false, error: `entry ${i + 1}: ${parsed.error}` };
    const url = parsed.value.kind === 'full' ? parsed.value.url.replace(/\/$/, '') : parsed.value.target.url;
    if (seen.has(url)) return { ok: false, error: `entry ${i + 1}: ${url} is listed twice` };
    seen.add(url);
    out.push(parsed.value);
  }
  return { ok: true, value: out };
}

/** The node's head as its health JSON states it; errors name the path and what was found there. */
export function readHealthHead(json: unknown, target: Pick<HealthOnlyTarget, 'heightPath' | 'hashPath'>): Parsed<{ height: number; hash: string }> {
  const height = valueAt(json, target.heightPath);
  const hash = valueAt(json, target.hashPath);
  const heightText = `.${target.heightPath.join('.')}`;
  const hashText = `.${target.hashPath.join('.')}`;
  const h = typeof height === 'string' && /^\d{1,15}$/.test(height) ? Number(height) : height;
  if (h === undefined) return { ok: false, error: `no value at ${heightText}` };
  if (typeof h !== 'number' || !Number.isSafeInteger(h) || h < 0) return { ok: false, error: `${heightText} is not a height (a whole number ≥ 0): ${preview(height)}` };
  if (hash === undefined) return { ok: false, error: `no value at ${hashText}` };
  if (typeof hash !== 'string' || hash.length === 0 || hash.length > 256)
    return { ok: false, error: `${hashText} is not a block hash (a string of 1 to 256 characters): ${preview(hash)}` };
  return { ok: true, value: { height: h, hash } };
}

function valueAt(json: unknown, keys: string[]): unknown {
  let at: unknown = json;
  for (const key of keys) {
    if (at === null || typeof at !== 'object') return undefined;
    // Own properties only: a path such as `constructor` must not reach the prototype.
    if (!Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function preview(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
