// The server's Service, in front of its replicas. ClientIP affinity keeps a Socket.IO client on
// the pod it opened its session with (its HTTP long-polling fallback needs that).
import { Service } from 'kubernetes-models/v1';
import { labelsFor, SERVER_PORT, type Names } from '../names.ts';
import type { RenderOptions } from '../render-options.ts';

export function serverService(o: RenderOptions, names: Names): Service {
  return new Service({
    metadata: { name: names.server, namespace: names.namespace, labels: labelsFor(o, 'server') },
    spec: {
      selector: labelsFor(o, 'server'),
      sessionAffinity: 'ClientIP',
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  });
}
