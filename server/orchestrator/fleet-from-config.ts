// Which fleet the configuration asks for: attached URLs, the pods of a Kubernetes StatefulSet,
// or a local testnet this process spawns. The Kubernetes client is loaded only for a Kubernetes
// fleet: importing it takes over a second, which a local or attached start should not pay.
import path from 'node:path';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.ts';
import { attachedFleet, localFleet, type NodeFleet } from './node-fleet.ts';

export async function fleetFromConfig(config: ServerConfig, logger: Logger): Promise<NodeFleet> {
  if (config.attach)
    return attachedFleet(
      config.attach,
      config.attachHealthOnly.map((t) => t.url),
    );
  const k = config.kubernetes;
  if (k) {
    const { KubernetesFleet } = await import('./kubernetes/kubernetes-fleet.ts');
    const { kubernetesApis, loadKubeConfig, resolveNamespace } = await import('./kubernetes/kube-client.ts');
    const kc = loadKubeConfig(k);
    const namespace = resolveNamespace(k.namespace, kc);
    return new KubernetesFleet(
      { namespace, selector: k.selector, statefulSet: k.statefulSet, maxNodes: k.maxNodes, readyTimeoutMs: k.readyTimeoutMs },
      { apis: kubernetesApis(kc), logger: logger.child({ part: 'kubernetes' }) },
    );
  }
  return localFleet(
    {
      nodes: config.nodes,
      maxNodes: config.maxNodes,
      basePort: config.nodeBasePort,
      blockTimeMs: config.blockTimeMs,
      dataDir: path.join(config.dataDir, 'testnet'),
      txRate: config.txRate,
      consensus: config.consensus,
    },
    logger.child({ part: 'testnet' }),
  );
}
