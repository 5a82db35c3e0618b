// The nodes' headless Service: no virtual IP, one DNS record per pod, so node i is always
// <sts>-<i>.<svc>.<ns>.svc.cluster.local and peers can be listed before any pod exists.
// Not-ready pods are published too: a BFT network needs its validators to find each other
// before any of them has a head worth calling ready.
import { Service } from 'kubernetes-models/v1';
import { labelsFor, NODE_PORT, type Names } from '../names.ts';
import type { RenderOptions } from '../render-options.ts';

export function nodeHeadlessService(o: RenderOptions, names: Names): Service {
  return new Service({
    metadata: { name: names.nodes, namespace: names.namespace, labels: labelsFor(o, 'node') },
    spec: {
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: labelsFor(o, 'node'),
      ports: [{ name: 'http', port: NODE_PORT, targetPort: 'http' }],
    },
  });
}
