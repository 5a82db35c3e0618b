// The node daemons: one pod per validator, started together (a BFT network needs > 2/3 of them
// before anything commits), each with its own chain-data volume. A pod finds its key by its own
// name: Kubernetes expands $(POD_NAME) in the args, and the keys Secret has one entry per pod.
// Every node is given every node's stable address; the one that is itself is refused at the
// handshake (SELF_CONNECTION) and never redialed.
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { accountsFileName, GENESIS_DIR, GENESIS_FILE, keyFileName, KEYS_DIR, labelsFor, NODE_DATA_DIR, NODE_PORT, nodeP2pUrl, type Names } from '../names.ts';
import type { RenderOptions } from '../render-options.ts';
import { containerSecurityContext, podSecurityContext } from './pod-security.ts';
import { NODE_DAEMON_V8_FLAGS } from '../../../node/runtime/v8-flags.ts';

/** The image's compiled node CLI (Dockerfile: WORKDIR /app, dist/ copied there). */
export const NODE_ENTRY = 'node/cli/node.js';

export function nodeStatefulSet(o: RenderOptions, names: Names): StatefulSet {
  const labels = labelsFor(o, 'node');
  const peers = Array.from({ length: o.nodes }, (_, i) => nodeP2pUrl(names, i));
  return new StatefulSet({
    metadata: { name: names.nodes, namespace: names.namespace, labels },
    spec: {
      serviceName: names.nodes,
      replicas: o.nodes,
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          securityContext: podSecurityContext,
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: 'node',
              image: o.image,
              command: ['node', ...NODE_DAEMON_V8_FLAGS, NODE_ENTRY],
              args: [
                '--name=$(POD_NAME)',
                '--host=0.0.0.0',
                `--port=${NODE_PORT}`,
                `--data-dir=${NODE_DATA_DIR}`,
                `--genesis=${GENESIS_DIR}/${GENESIS_FILE}`,
                `--key=${KEYS_DIR}/${keyFileName('$(POD_NAME)')}`,
                `--accounts=${KEYS_DIR}/${accountsFileName('$(POD_NAME)')}`,
                `--tx-rate=${o.txRate}`,
                `--peers=${peers.join(',')}`,
              ],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'NODE_ADMIN_TOKEN', valueFrom: { secretKeyRef: { name: names.tokensSecret, key: 'NODE_ADMIN_TOKEN' } } },
              ],
              ports: [{ name: 'http', containerPort: NODE_PORT }],
              readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3 },
              livenessProbe: { httpGet: { path: '/health', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '1Gi' } },
              securityContext: containerSecurityContext,
              volumeMounts: [
                { name: 'data', mountPath: NODE_DATA_DIR },
                { name: 'genesis', mountPath: GENESIS_DIR, readOnly: true },
                { name: 'keys', mountPath: KEYS_DIR, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'genesis', configMap: { name: names.genesisConfigMap } },
            // 0440: readable by the pod's group (fsGroup), not by others.
            { name: 'keys', secret: { secretName: names.keysSecret, defaultMode: 0o440 } },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: o.storage } },
            ...(o.storageClass ? { storageClassName: o.storageClass } : {}),
          },
        },
      ],
    },
  });
}
