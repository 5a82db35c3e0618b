// The control plane (server/main.ts, compiled): it finds the StatefulSet's node pods by their
// labels through the Kubernetes API (FLEET=kubernetes, as the ServiceAccount of server-rbac.ts)
// and follows them at their stable names; kill / restart / add-node delete pods and scale the
// StatefulSet. Its replicas elect a leader through the shared PostgreSQL (CLUSTER=1). Everything secret comes from Secrets by reference; the pod spec holds no token
// and no database URL.
import { Deployment } from 'kubernetes-models/apps/v1';
import type { IEnvVar } from 'kubernetes-models/v1';
import { labelSelector, labelsFor, SERVER_PORT, type Names } from '../names.ts';
import { podLimit, type RenderOptions } from '../render-options.ts';
import { containerSecurityContext, podSecurityContext } from './pod-security.ts';

/** The image's compiled server entry (Dockerfile: WORKDIR /app). */
export const SERVER_ENTRY = 'server/main.js';
const SERVER_DATA_DIR = '/data';

/** The origin browsers use through the Ingress, when it has a host; the server refuses writes from any other. */
export function publicOrigin(o: RenderOptions): string | null {
  if (!o.host) return null;
  return `${o.tlsSecret ? 'https' : 'http'}://${o.host}`;
}

export function serverDeployment(o: RenderOptions, names: Names): Deployment {
  const labels = labelsFor(o, 'server');
  const origin = publicOrigin(o);
  const secretEnv = (name: string, secret: string): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key: name } } });
  return new Deployment({
    metadata: { name: names.server, namespace: names.namespace, labels },
    spec: {
      replicas: o.replicas,
      // Replicas share the database and elect one leader (CLUSTER=1, server/cluster): an update
      // starts the new pod (a follower) before stopping an old one, and leadership moves over.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: names.server,
          securityContext: podSecurityContext,
          terminationGracePeriodSeconds: 15,
          containers: [
            {
              name: 'server',
              image: o.image,
              command: ['node', SERVER_ENTRY],
              env: [
                { name: 'HOST', value: '0.0.0.0' },
                { name: 'PORT', value: String(SERVER_PORT) },
                { name: 'DATA_DIR', value: SERVER_DATA_DIR },
                { name: 'FLEET', value: 'kubernetes' },
                { name: 'K8S_NODE_SELECTOR', value: labelSelector(labelsFor(o, 'node')) },
                { name: 'K8S_MAX_NODES', value: String(podLimit(o)) },
                { name: 'NODE_ENV', value: 'production' },
                // Any number of replicas: one leads (indexer, monitor, chaos), the others serve
                // reads, pages and Socket.IO and forward writes to it at its REPLICA_URL.
                { name: 'CLUSTER', value: '1' },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'REPLICA_URL', value: `http://$(POD_IP):${SERVER_PORT}` },
                ...(origin ? [{ name: 'PUBLIC_ORIGIN', value: origin }] : []),
                secretEnv('DATABASE_URL', names.databaseSecret),
                secretEnv('CONTROL_TOKEN', names.tokensSecret),
                secretEnv('NODE_ADMIN_TOKEN', names.tokensSecret),
              ],
              ports: [{ name: 'http', containerPort: SERVER_PORT }],
              readinessProbe: { httpGet: { path: '/api/health', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3 },
              livenessProbe: { httpGet: { path: '/api/health', port: 'http' }, initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '2Gi' } },
              securityContext: containerSecurityContext,
              // Logs and scratch files; the state that matters lives in the user's PostgreSQL.
              volumeMounts: [{ name: 'data', mountPath: SERVER_DATA_DIR }],
            },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  });
}
