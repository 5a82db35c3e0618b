// The set of nodes the control plane follows: a local testnet it spawns and owns, nodes running
// elsewhere that it attaches to by URL (and never starts or stops), or the pods of a Kubernetes
// StatefulSet it finds by label (kubernetes-fleet.ts). kill / restart / add-node go through the
// fleet's lifecycle, so the chaos controller does not care which one it has.
import type { Logger } from 'pino';
import { LocalTestnet } from '../../node/testnet/local-testnet.ts';
import type { TestnetConsensus } from '../../node/testnet/testnet-genesis.ts';
import { CodedError } from '../../lib/coded-error.ts';

export interface FleetNode {
  url: string;
  /** 'local' nodes' admin tokens come from the testnet; 'attached' ones use NODE_ADMIN_TOKEN. */
  source: 'local' | 'attached';
}

export type FleetErrorCode =
  | 'FLEET_UNKNOWN_NODE'
  | 'FLEET_NODE_LIMIT'
  | 'K8S_FORBIDDEN'
  | 'K8S_NOT_FOUND'
  | 'K8S_CONFLICT'
  | 'K8S_API_ERROR'
  | 'K8S_UNREACHABLE'
  | 'K8S_NO_CONFIG'
  | 'K8S_NO_NODES'
  | 'K8S_NOT_A_STATEFULSET'
  | 'K8S_READY_TIMEOUT';

/** Why a fleet could not start, stop or add a node. */
export class FleetError extends CodedError<FleetErrorCode> {}

/** Starting and stopping nodes: only a fleet that owns its nodes has one. */
export interface NodeLifecycle {
  /** Why add-node would be refused now (the fleet is at its limit), or null. */
  addNodeRefusal(): string | null;
  /** Stop the node at `url` abruptly. Answers the action's result: 'ok' or 'ok: <what really happened>'. */
  kill(url: string): Promise<string>;
  /** Stop the node at `url` (if running) and start it again; resolves once it is healthy. */
  restart(url: string): Promise<void>;
  /** One more node; resolves once it is healthy. */
  addNode(): Promise<FleetNode & { name: string }>;
}

export interface NodeFleet {
  readonly kind: 'local' | 'attached' | 'kubernetes';
  start(): Promise<void>;
  stop(): Promise<void>;
  nodes(): FleetNode[];
  /** One line for the start-up log: what this fleet is. */
  describe(): string;
  /** kill / restart / add-node; null when the nodes are not ours to start or stop. */
  readonly lifecycle: NodeLifecycle | null;
  /** Only for a local testnet: the spawned processes and their disks (storage faults). */
  readonly testnet: LocalTestnet | null;
}

/** `healthOnly`: attached nodes the indexer follows through their health JSON only (named in the log line). */
export function attachedFleet(urls: string[], healthOnly: string[] = []): NodeFleet {
  return {
    kind: 'attached',
    testnet: null,
    lifecycle: null,
    start: async () => undefined,
    stop: async () => undefined,
    nodes: () => urls.map((url) => ({ url, source: 'attached' as const })),
    describe: () => `attached to ${[...urls, ...healthOnly.map((u) => `${u} (health only)`)].join(', ')}`,
  };
}

export function localFleet(
  opts: { nodes: number; maxNodes: number; basePort: number; blockTimeMs: number; dataDir: string; txRate: number; consensus: TestnetConsensus },
  logger: Logger,
): NodeFleet {
  const testnet = new LocalTestnet(
    { nodes: opts.nodes, maxNodes: opts.maxNodes, basePort: opts.basePort, blockTimeMs: opts.blockTimeMs, dataDir: opts.dataDir, txRate: opts.txRate, consensus: opts.consensus },
    { logger },
  );
  return {
    kind: 'local',
    testnet,
    lifecycle: localLifecycle(testnet),
    start: () => testnet.start(),
    stop: () => testnet.stop(),
    nodes: () => testnet.nodes().map((n) => ({ url: n.url, source: 'local' as const })),
    describe: () => `testnet: ${opts.nodes} local nodes on ports ${opts.basePort}–${opts.basePort + opts.nodes - 1}`,
  };
}

function localLifecycle(testnet: LocalTestnet): NodeLifecycle {
  const indexOf = (url: string): number => {
    const n = testnet.nodes().find((l) => l.url === url);
    if (!n) throw new FleetError('FLEET_UNKNOWN_NODE', `${url} is not a local node (CHAOS_NOT_LOCAL)`);
    return n.index;
  };
  return {
    addNodeRefusal: () => {
      const count = testnet.nodes().length;
      return count >= testnet.maxNodes ? `the local testnet already has ${count} nodes, its limit (MAX_NODES ${testnet.maxNodes})` : null;
    },
    kill: async (url) => {
      await testnet.kill(indexOf(url));
      return 'ok';
    },
    restart: (url) => testnet.restart(indexOf(url)),
    addNode: async () => {
      const info = await testnet.addNode();
      return { url: info.url, name: info.name, source: 'local' };
    },
  };
}
