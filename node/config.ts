// The node's validated configuration: parsed once at the edge (CLI), passed as a typed object.
import { z } from 'zod';
import { Hash } from '../wire/node-api.ts';
import { DEFAULT_HTTP_TIMEOUTS } from '../lib/http/server-limits.ts';
import { STREAM_DEFAULTS } from './api/stream-hub.ts';
import { INBOUND_DEFAULTS } from './p2p/inbound-admission.ts';

/**
 * Connections one address may hold on a node's port. On a local testnet every peer, the
 * control plane and the benchmarks are 127.0.0.1, so this covers them all: up to 32 inbound
 * peer links + 20 handshaking + 64 /stream clients + a few keep-alive API pollers.
 */
export const NODE_MAX_CONNECTIONS_PER_ADDRESS = 128;

/**
 * The schema of a node's configuration, built when asked for: a node parses its configuration
 * once at start, so the schema (~200 zod objects) need not live as long as the process.
 */
export const nodeConfigSchema = () =>
  z.object({
    dataDir: z.string().min(1),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535),
    /** A separate port for /p2p; null = P2P shares the HTTP port. */
    p2pPort: z.number().int().min(0).max(65535).nullable().default(null),
    name: z.string().min(1).max(64),
    /** Created (single validator: this node) when the file does not exist. */
    genesisFile: z.string().min(1),
    keyFile: z.string().min(1),
    peers: z.array(z.string().min(1)).default([]),
    /** null: read or create <dataDir>/admin-token. */
    adminToken: z.string().min(8).nullable().default(null),
    txRate: z.number().min(0).max(10_000).default(1),
    /** Funded accounts the load generator may sign with. */
    accountsFile: z.string().nullable().default(null),
    pingIntervalMs: z.number().int().min(50).max(600_000).default(5000),
    handshakeTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
    checkpoint: z.object({ height: z.number().int().positive(), hash: Hash }).nullable().default(null),
    logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** Used only when a new genesis is created. */
    blockTimeMs: z.number().int().min(50).max(3_600_000).nullable().default(null),
    maxFutureMs: z.number().int().min(0).nullable().default(null),
    maxInbound: z.number().int().min(0).default(32),
    maxOutbound: z.number().int().min(0).default(32),
    maxPayloadBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .default(4 * 1024 * 1024),
    banMs: z.number().int().min(1000).default(60_000),
    // Admission of inbound /p2p links, checked at the HTTP upgrade before a WebSocket exists
    // (values and why: node/p2p/inbound-admission.ts).
    addressBanMs: z.number().int().min(1000).default(INBOUND_DEFAULTS.addressBanMs),
    maxPendingHandshakes: z.number().int().min(1).default(INBOUND_DEFAULTS.maxPendingHandshakes),
    maxPendingPerAddress: z.number().int().min(1).default(INBOUND_DEFAULTS.maxPendingPerAddress),
    maxInboundAttemptsPerMinute: z.number().int().min(1).default(INBOUND_DEFAULTS.maxAttemptsPerMinute),
    // The HTTP port (and a separate P2P port): lib/http/server-limits.ts.
    headersTimeoutMs: z.number().int().min(50).default(DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs),
    requestTimeoutMs: z.number().int().min(50).default(DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs),
    keepAliveTimeoutMs: z.number().int().min(100).default(DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs),
    maxConnectionsPerAddress: z.number().int().min(1).default(NODE_MAX_CONNECTIONS_PER_ADDRESS),
    rateLimitPerSec: z.number().int().min(1).default(1000),
    rateLimitBurst: z.number().int().min(1).default(2000),
    syncBatchSize: z.number().int().min(1).max(500).default(200),
    streamBuffer: z.number().int().min(100).default(10_000),
    // /stream subscribers (node/api/stream-hub.ts).
    streamMaxClients: z.number().int().min(1).default(STREAM_DEFAULTS.maxClients),
    streamClientBufferBytes: z.number().int().min(1024).default(STREAM_DEFAULTS.clientBufferBytes),
    streamSlowClientGraceMs: z.number().int().min(50).default(STREAM_DEFAULTS.slowClientGraceMs),
  });
export type NodeConfig = z.infer<ReturnType<typeof nodeConfigSchema>>;
export type NodeConfigInput = z.input<ReturnType<typeof nodeConfigSchema>>;

/** Accepts ws(s)://host:port[/p2p] and http(s)://host:port; returns the P2P WebSocket URL. */
export function normalizePeerUrl(raw: string): string {
  let s = raw.trim();
  if (!/^[a-z]+:\/\//i.test(s)) s = `ws://${s}`;
  const u = new URL(s);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error(`peer URL ${raw}: unsupported scheme ${u.protocol}`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/p2p';
  return u.toString();
}

export function parseCheckpoint(raw: string): { height: number; hash: string } {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(raw.trim().toLowerCase());
  if (!m) throw new Error(`checkpoint must be HEIGHT:HASH (64 hex), got ${raw}`);
  return { height: Number(m[1]), hash: m[2] };
}
