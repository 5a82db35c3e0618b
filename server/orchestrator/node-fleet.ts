// The set of nodes the control plane follows: a local testnet it spawns and owns, or nodes
// running elsewhere that it attaches to by URL (and never starts or stops).
import type { Logger } from 'pino';
import { LocalTestnet } from '../../node/testnet/local-testnet.ts';
import type { TestnetConsensus } from '../../node/testnet/testnet-genesis.ts';

export interface FleetNode {
  url: string;
  source: 'local' | 'attached';
}

export interface NodeFleet {
  readonly kind: 'local' | 'attached';
  start(): Promise<void>;
  stop(): Promise<void>;
  nodes(): FleetNode[];
  /** Only for a local testnet: the spawned processes (for kill / restart). */
  readonly testnet: LocalTestnet | null;
}

export function attachedFleet(urls: string[]): NodeFleet {
  return {
    kind: 'attached',
    testnet: null,
    start: async () => undefined,
    stop: async () => undefined,
    nodes: () => urls.map((url) => ({ url, source: 'attached' as const })),
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
    start: () => testnet.start(),
    stop: () => testnet.stop(),
    nodes: () => testnet.nodes().map((n) => ({ url: n.url, source: 'local' as const })),
  };
}
