// Pure reading of the node pods the API lists: each one's URL (its stable DNS name through the
// headless Service, as deploy/k8s/names.ts builds it), whether it is ready, and which
// StatefulSet owns it. No I/O here.
import type { V1Pod } from '@kubernetes/client-node';

/** The nodes' HTTP port when the pod does not name one (deploy/k8s/names.ts NODE_PORT). */
export const DEFAULT_NODE_PORT = 7000;

export interface NodePod {
  name: string;
  uid: string;
  url: string;
  ready: boolean;
  /** The pod's ordinal in its StatefulSet, or null when its name has none. */
  ordinal: number | null;
}

/**
 * A StatefulSet pod has hostname = its name and subdomain = the headless Service, so its address
 * <pod>.<svc>.<ns>.svc.cluster.local survives the pod being recreated. A pod without them falls
 * back to its IP (which changes when it is recreated).
 */
export function nodePodUrl(pod: V1Pod, namespace: string): string | null {
  const container = pod.spec?.containers?.[0];
  const port = container?.ports?.find((p) => p.name === 'http')?.containerPort ?? DEFAULT_NODE_PORT;
  const host = pod.spec?.hostname && pod.spec.subdomain ? `${pod.spec.hostname}.${pod.spec.subdomain}.${namespace}.svc.cluster.local` : (pod.status?.podIP ?? null);
  return host ? `http://${host}:${port}` : null;
}

export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The StatefulSet owning the pod, or null. */
export function owningStatefulSet(pod: V1Pod): string | null {
  return pod.metadata?.ownerReferences?.find((r) => r.kind === 'StatefulSet')?.name ?? null;
}

export function podOrdinal(name: string): number | null {
  const m = /-(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** The pods that are nodes now: not being deleted, with an address; in ordinal order. */
export function nodePods(pods: V1Pod[], namespace: string): NodePod[] {
  const out: NodePod[] = [];
  for (const pod of pods) {
    const name = pod.metadata?.name;
    const url = nodePodUrl(pod, namespace);
    if (!name || !url || pod.metadata?.deletionTimestamp) continue;
    out.push({ name, uid: pod.metadata?.uid ?? '', url, ready: isPodReady(pod), ordinal: podOrdinal(name) });
  }
  return out.sort((a, b) => (a.ordinal ?? Infinity) - (b.ordinal ?? Infinity) || a.name.localeCompare(b.name));
}
