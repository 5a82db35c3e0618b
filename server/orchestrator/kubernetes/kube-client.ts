// Connecting to the Kubernetes API: in a pod through its ServiceAccount (loadFromCluster),
// elsewhere through KUBECONFIG or ~/.kube/config; and the namespace to work in.
import fs from 'node:fs';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { KubernetesApis } from './kubernetes-fleet.ts';
import { FleetError } from '../node-fleet.ts';

/** Where Kubernetes mounts a pod's ServiceAccount namespace. */
export const SERVICE_ACCOUNT_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export function loadKubeConfig(o: { inCluster: boolean; kubeconfig?: string }): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (o.inCluster) kc.loadFromCluster();
    else if (o.kubeconfig) kc.loadFromFile(o.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    const from = o.inCluster ? "the pod's ServiceAccount" : (o.kubeconfig ?? 'the default kubeconfig');
    throw new FleetError('K8S_NO_CONFIG', `could not load the Kubernetes credentials from ${from}: ${(err as Error).message}`, { cause: err });
  }
  return kc;
}

export function kubernetesApis(kc: KubeConfig): KubernetesApis {
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

/** K8S_NAMESPACE if given, else the pod's own (ServiceAccount file), else the kubeconfig context's, else "default". */
export function resolveNamespace(given: string | undefined, kc: KubeConfig, namespaceFile = SERVICE_ACCOUNT_NAMESPACE_FILE): string {
  if (given) return given;
  try {
    const own = fs.readFileSync(namespaceFile, 'utf8').trim();
    if (own) return own;
  } catch {
    // Not in a pod: fall through to the kubeconfig.
  }
  return kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
}
