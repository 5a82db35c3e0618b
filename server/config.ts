// The control plane's configuration: read from the environment once, validated, then passed
// down as a typed object. No other server module reads process.env.
import path from 'node:path';
import { z } from 'zod';
import { TESTNET_CONSENSUS } from '../node/testnet/testnet-genesis.ts';
import { MAX_LOCAL_NODES } from '../node/testnet/local-testnet.ts';
import { DEFAULT_HTTP_TIMEOUTS } from '../lib/http/server-limits.ts';
import { parseAttachList } from './indexer/health-target.ts';

/**
 * Open connections one address may hold on the control plane's port. Browsers hold one
 * Socket.IO connection per tab plus a few for pages; everything local is 127.0.0.1, so this
 * is sized for a room of tabs and the live benchmark's 100 clients (it raises it for more).
 */
export const CONTROL_PLANE_MAX_CONNECTIONS_PER_ADDRESS = 256;

/**
 * ATTACH: comma-separated node URLs. A plain URL is one of our nodes, followed fully; a
 * `health+` URL is a node that serves only a health JSON, with optional JSON paths in its
 * fragment (server/indexer/health-target.ts). An error names the entry and its bad part.
 */
const attachList = z.string().transform((s, ctx) => {
  if (s.trim() === '') return undefined;
  const entries = s
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  const parsed = parseAttachList(entries);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: parsed.error });
  return z.NEVER;
});

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  NODES: z.coerce.number().int().min(1).max(MAX_LOCAL_NODES).default(4),
  /** Most nodes the local testnet may grow to with add-node (the initial ones included). */
  MAX_NODES: z.coerce.number().int().min(1).max(MAX_LOCAL_NODES).default(MAX_LOCAL_NODES),
  ATTACH: attachList.optional(),
  BLOCK_TIME_MS: z.coerce.number().int().min(200).max(60_000).default(1000),
  /** Consensus engine of a new local testnet: round-robin PoA (forks and reorgs) or BFT (finality, halts instead of forking). */
  CONSENSUS: z.enum(TESTNET_CONSENSUS).default('poa'),
  NODE_BASE_PORT: z.coerce.number().int().min(1024).max(65000).default(7001),
  TX_RATE: z.coerce.number().min(0).max(1000).default(2),
  CONTROL_TOKEN: z.string().min(16, 'CONTROL_TOKEN must be at least 16 characters').optional(),
  /** How long a browser sign-in lasts (hours; fixed, not sliding). */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  /**
   * The origin(s) browsers reach the server at, comma-separated, when a proxy (e.g. TLS) sits in
   * front: browser writes must come from one of them. Unset: the origin the request addressed
   * (`http://<Host header>`).
   */
  PUBLIC_ORIGIN: z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().url({ message: 'PUBLIC_ORIGIN must be a comma-separated list of origins such as https://explorer.example.org' }))),
  /**
   * Where the nodes come from: a local testnet (default), ATTACH's URLs, or the pods of a
   * Kubernetes StatefulSet (chosen by itself inside a cluster when K8S_NODE_SELECTOR is set).
   */
  FLEET: z.enum(['local', 'attached', 'kubernetes']).optional(),
  /** Set by Kubernetes in every pod: the server runs in a cluster. */
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  /** Label selector of the node pods, e.g. app.kubernetes.io/instance=testnet,app.kubernetes.io/component=node. */
  K8S_NODE_SELECTOR: z
    .string()
    .regex(/^[^\s,][^\n]*$/, 'K8S_NODE_SELECTOR must be a label selector such as app.kubernetes.io/component=node')
    .optional(),
  /** The nodes' namespace; by default the server pod's own. */
  K8S_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'K8S_NAMESPACE must be a Kubernetes namespace name (lower-case letters, digits, "-")')
    .max(63)
    .optional(),
  /** The StatefulSet add-node scales; by default the one owning the pods. */
  K8S_STATEFULSET: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'K8S_STATEFULSET must be a Kubernetes object name')
    .optional(),
  /** Most node pods add-node may scale to: as many as the keys Secret holds keys for. */
  K8S_MAX_NODES: z.coerce.number().int().min(1).max(1000).optional(),
  /** Outside a cluster: the kubeconfig file to use (else ~/.kube/config). */
  KUBECONFIG: z.string().min(1).optional(),
  /** How long restart and add-node wait for a pod to be Ready. */
  K8S_READY_TIMEOUT_SEC: z.coerce.number().int().min(1).max(3600).default(180),
  /** Admin token of attached nodes (local nodes' tokens are known to the testnet launcher). */
  NODE_ADMIN_TOKEN: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().optional(),
  /** Run Next in dev mode (hot reload) instead of serving the production build. */
  NEXT_DEV: z.enum(['0', '1']).default('0'),
  /** 0: serve only the JSON API and Socket.IO (no explorer pages, no Next build). */
  EXPLORER: z.enum(['0', '1']).default('1'),
  /** Bounds on slow clients and on connections per address (lib/http/server-limits.ts). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(50).default(DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(50).default(DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs),
  MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(CONTROL_PLANE_MAX_CONNECTIONS_PER_ADDRESS),
  /**
   * 1: this process is one replica of several sharing DATABASE_URL (server/cluster): one leads
   * (indexer, monitor, chaos, runs), the others serve the API, pages and Socket.IO.
   */
  CLUSTER: z.enum(['0', '1']).default('0'),
  /** Where the other replicas reach this one (they forward writes to the leader). Default: http://<HOST>:<PORT>. */
  REPLICA_URL: z.string().url({ message: 'REPLICA_URL must be a URL such as http://10.0.0.5:3000' }).optional(),
});

type Env = z.output<typeof EnvSchema>;

/** The fleet asked for, explicitly or by where the server runs. */
function fleetKind(e: Env): 'local' | 'attached' | 'kubernetes' {
  if (e.FLEET) return e.FLEET;
  if (e.ATTACH && e.ATTACH.length > 0) return 'attached';
  return e.KUBERNETES_SERVICE_HOST && e.K8S_NODE_SELECTOR ? 'kubernetes' : 'local';
}

function checkFleet(e: Env, ctx: z.RefinementCtx): void {
  const kind = fleetKind(e);
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (kind === 'attached' && !(e.ATTACH && e.ATTACH.length > 0)) issue('ATTACH', "FLEET=attached needs ATTACH (the nodes' URLs)");
  if (kind === 'local' && e.ATTACH && e.ATTACH.length > 0) issue('ATTACH', 'FLEET=local spawns its own nodes: leave ATTACH unset');
  if (kind !== 'kubernetes') return;
  if (e.ATTACH && e.ATTACH.length > 0) issue('ATTACH', 'FLEET=kubernetes finds its nodes by label: leave ATTACH unset');
  if (!e.K8S_NODE_SELECTOR)
    issue('K8S_NODE_SELECTOR', "FLEET=kubernetes needs K8S_NODE_SELECTOR, the node pods' labels (e.g. app.kubernetes.io/instance=testnet,app.kubernetes.io/component=node)");
  if (!e.NODE_ADMIN_TOKEN) issue('NODE_ADMIN_TOKEN', "FLEET=kubernetes needs NODE_ADMIN_TOKEN, the node pods' admin token (chaos goes through their /admin API)");
}

/** The environment, validated, mapped to the names the rest of the server uses. */
export const ServerConfigSchema = EnvSchema.refine((e) => e.NODES <= e.MAX_NODES, { message: 'NODES must not be above MAX_NODES', path: ['NODES'] })
  .superRefine(checkFleet)
  // A local testnet's node processes belong to the one process that started them.
  .refine((e) => e.CLUSTER === '0' || fleetKind(e) !== 'local', {
    message:
      'CLUSTER=1 needs ATTACH or FLEET=kubernetes (replicas share a network they do not spawn; a local testnet belongs to one process: run it alone, or run the testnet and attach)',
    path: ['CLUSTER'],
  })
  .refine((e) => e.CLUSTER === '0' || e.DATABASE_URL, { message: 'CLUSTER=1 needs DATABASE_URL (the replicas share one database)', path: ['CLUSTER'] })
  // A token generated per DATA_DIR would differ per replica, and a write forwarded to the leader would be refused.
  .refine((e) => e.CLUSTER === '0' || e.CONTROL_TOKEN, { message: 'CLUSTER=1 needs CONTROL_TOKEN (every replica must accept the same token)', path: ['CLUSTER'] })
  .transform((e) => ({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    nodes: e.NODES,
    maxNodes: e.MAX_NODES,
    /** Full nodes to attach to (an empty list when ATTACH names only health-only nodes); undefined: not an attached fleet. */
    attach: fleetKind(e) === 'attached' ? (e.ATTACH ?? []).flatMap((a) => (a.kind === 'full' ? [a.url] : [])) : undefined,
    /** Attached nodes followed only through their health JSON. */
    attachHealthOnly: fleetKind(e) === 'attached' ? (e.ATTACH ?? []).flatMap((a) => (a.kind === 'health-only' ? [a.target] : [])) : [],
    /** Set when the nodes are the pods of a Kubernetes StatefulSet (orchestrator/kubernetes/). */
    kubernetes:
      fleetKind(e) === 'kubernetes'
        ? {
            selector: e.K8S_NODE_SELECTOR!,
            namespace: e.K8S_NAMESPACE,
            statefulSet: e.K8S_STATEFULSET,
            maxNodes: e.K8S_MAX_NODES,
            readyTimeoutMs: e.K8S_READY_TIMEOUT_SEC * 1000,
            /** In a pod: the ServiceAccount's credentials; elsewhere: the user's kubeconfig. */
            inCluster: Boolean(e.KUBERNETES_SERVICE_HOST),
            kubeconfig: e.KUBECONFIG,
          }
        : undefined,
    blockTimeMs: e.BLOCK_TIME_MS,
    consensus: e.CONSENSUS,
    nodeBasePort: e.NODE_BASE_PORT,
    txRate: e.TX_RATE,
    controlToken: e.CONTROL_TOKEN,
    nodeAdminToken: e.NODE_ADMIN_TOKEN,
    sessionTtlMs: Math.round(e.SESSION_TTL_HOURS * 3600_000),
    publicOrigins: e.PUBLIC_ORIGIN.length > 0 ? e.PUBLIC_ORIGIN : undefined,
    logLevel: e.LOG_LEVEL,
    nextDev: e.NEXT_DEV === '1',
    serveExplorer: e.EXPLORER === '1',
    httpLimits: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnectionsPerAddress: e.MAX_CONNECTIONS_PER_ADDRESS,
    },
    cluster: e.CLUSTER === '1' ? { replicaUrl: e.REPLICA_URL } : undefined,
  }));

/** Derived from the schema, so the type and the validation cannot drift apart. */
export type ServerConfig = z.infer<typeof ServerConfigSchema>;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = ServerConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
