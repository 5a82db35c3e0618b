// Every name the manifests share, derived from one prefix: objects, labels, the nodes' stable
// DNS names (the headless Service gives pod <sts>-<i> the name <sts>-<i>.<svc>.<ns>.svc.cluster.local)
// and the files the pods find their genesis, key and accounts in.
import type { RenderOptions } from './render-options.ts';

export const NODE_PORT = 7000;
export const SERVER_PORT = 3000;
/** The user the image runs as (Dockerfile `USER`); pods run as it too, and it owns their volumes. */
export const RUN_AS_USER = 10001;

export const GENESIS_DIR = '/etc/testnet/genesis';
export const KEYS_DIR = '/etc/testnet/keys';
export const NODE_DATA_DIR = '/data';

export interface Names {
  namespace: string;
  /** StatefulSet of the nodes; also the headless Service's name (pods are <nodes>-0…). */
  nodes: string;
  genesisConfigMap: string;
  keysSecret: string;
  tokensSecret: string;
  databaseSecret: string;
  server: string;
  ingress: string;
}

export function namesFor(o: Pick<RenderOptions, 'name' | 'namespace'>): Names {
  return {
    namespace: o.namespace,
    nodes: `${o.name}-node`,
    genesisConfigMap: `${o.name}-genesis`,
    keysSecret: `${o.name}-node-keys`,
    tokensSecret: `${o.name}-tokens`,
    databaseSecret: `${o.name}-database`,
    server: `${o.name}-server`,
    ingress: `${o.name}-explorer`,
  };
}

/** Labels of one component; the selectors use exactly these. */
export function labelsFor(o: Pick<RenderOptions, 'name'>, component: 'node' | 'server'): Record<string, string> {
  return { 'app.kubernetes.io/name': 'testnet-explorer', 'app.kubernetes.io/instance': o.name, 'app.kubernetes.io/component': component };
}

/** The labels as a label selector (K8S_NODE_SELECTOR). */
export function labelSelector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function podName(names: Names, ordinal: number): string {
  return `${names.nodes}-${ordinal}`;
}

/** Node `ordinal`'s stable address through the headless Service. */
export function nodeHost(names: Names, ordinal: number): string {
  return `${podName(names, ordinal)}.${names.nodes}.${names.namespace}.svc.cluster.local`;
}

export function nodeHttpUrl(names: Names, ordinal: number): string {
  return `http://${nodeHost(names, ordinal)}:${NODE_PORT}`;
}

export function nodeP2pUrl(names: Names, ordinal: number): string {
  return `ws://${nodeHost(names, ordinal)}:${NODE_PORT}/p2p`;
}

/** Keys in the keys Secret, named after the pod so a pod's args can name its own with $(POD_NAME). */
export const keyFileName = (pod: string) => `${pod}.key.json`;
export const accountsFileName = (pod: string) => `${pod}.accounts.json`;
export const GENESIS_FILE = 'genesis.json';
