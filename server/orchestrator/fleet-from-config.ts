// Which fleet the configuration asks for: attached URLs, the pods of a Kubernetes StatefulSet,
// or a local testnet this process spawns.
import path from 'node:path';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.ts';
import { attachedFleet, localFleet, type NodeFleet } from './node-fleet.ts';
import { KubernetesFleet } from './kubernetes/kubernetes-fleet.ts';
import { kubernetesApis, loadKubeConfig, resolveNamespace } from './kubernetes/kube-client.ts';

export function fleetFromConfig(config: ServerConfig, logger: Logger): NodeFleet {
  if (config.attach) return attachedFleet(config.attach);
  const k = config.kubernetes;
  if (k) {
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
