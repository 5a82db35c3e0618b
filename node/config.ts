// The node's validated configuration: parsed once at the edge (CLI), passed as a typed object.
import { z } from 'zod';
import { Hash } from '../wire/node-api.ts';

export const NodeConfigSchema = z.object({
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
  rateLimitPerSec: z.number().int().min(1).default(1000),
  rateLimitBurst: z.number().int().min(1).default(2000),
  syncBatchSize: z.number().int().min(1).max(500).default(200),
  streamBuffer: z.number().int().min(100).default(10_000),
});
export type NodeConfig = z.infer<typeof NodeConfigSchema>;
export type NodeConfigInput = z.input<typeof NodeConfigSchema>;

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
