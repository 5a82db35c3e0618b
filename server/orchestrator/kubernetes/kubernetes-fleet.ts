// The nodes of a Kubernetes StatefulSet, as the control plane running in the same cluster sees
// them: found by label, followed as attached nodes (their admin API, NODE_ADMIN_TOKEN, does link
// faults, pause and clock skew as anywhere), and started or stopped through the Kubernetes API.
//
// What kill / restart / add-node mean here (a StatefulSet keeps every ordinal running; it has no
// "stopped" pod, and scaling down only ever removes the highest ordinal):
// - kill: delete the pod at once (grace 0, a SIGKILL). The StatefulSet recreates it under the same
//   name and volume, so a kill is a crash-restart; the call does not wait for it. For a node that
//   stays down for a while use pause (the node's admin API).
// - restart: delete the pod gracefully (its own terminationGracePeriodSeconds, SIGTERM) and wait
//   until the pod of that name is back (a new uid) and Ready.
// - add-node: scale the StatefulSet by one and wait for the new pod to be Ready. Refused past
//   maxNodes: a pod finds its key in the keys Secret by its own name, and the renderer writes keys
//   for K8S_MAX_NODES pods only.
// Stopping the control plane leaves the pods alone: they are the cluster's, not this process's.
import type { AppsV1Api, CoreV1Api, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { FleetError, type FleetNode, type NodeFleet, type NodeLifecycle } from '../node-fleet.ts';
import { kubeCall, kubeError } from './kube-errors.ts';
import { isPodReady, nodePods, owningStatefulSet, type NodePod } from './node-pods.ts';

export interface KubernetesFleetOptions {
  namespace: string;
  /** Label selector of the node pods, e.g. app.kubernetes.io/instance=testnet,app.kubernetes.io/component=node. */
  selector: string;
  /** The StatefulSet to scale; by default the one owning the pods found. */
  statefulSet?: string;
  /** Most pods add-node may scale to (pods with a key in the keys Secret); by default the pods found at start. */
  maxNodes?: number;
  /** How long restart and add-node wait for a pod to be Ready, and start for the first pod. */
  readyTimeoutMs: number;
  /** How often a wait asks the API again. */
  pollMs?: number;
}

export interface KubernetesApis {
  core: CoreV1Api;
  apps: AppsV1Api;
}

export class KubernetesFleet implements NodeFleet, NodeLifecycle {
  readonly kind = 'kubernetes' as const;
  readonly testnet = null;
  readonly lifecycle: NodeLifecycle = this;
  /** The nodes followed, by URL; a recreated pod keeps its URL. */
  private readonly known = new Map<string, NodePod>();
  private statefulSet: string | null = null;
  private maxNodes = 0;
  private replicas = 0;
  private stopped = false;

  constructor(
    private readonly opts: KubernetesFleetOptions,
    private readonly deps: { apis: KubernetesApis; logger: Logger },
  ) {}

  async start(): Promise<void> {
    const deadline = Date.now() + this.opts.readyTimeoutMs;
    let pods = await this.listPods();
    // The StatefulSet and this server are applied together: its pods may not exist yet.
    while (pods.length === 0) {
      if (Date.now() >= deadline || this.stopped) {
        throw new FleetError('K8S_NO_NODES', `no pod in namespace ${this.opts.namespace} matches the label selector ${this.opts.selector} (K8S_NODE_SELECTOR)`);
      }
      await this.pause();
      pods = await this.listPods();
    }
    for (const p of nodePods(pods, this.opts.namespace)) this.known.set(p.url, p);
    this.statefulSet = this.opts.statefulSet ?? owningStatefulSet(pods[0]);
    this.replicas = this.known.size;
    this.maxNodes = this.opts.maxNodes ?? this.known.size;
    this.deps.logger.info(
      { namespace: this.opts.namespace, statefulSet: this.statefulSet, nodes: [...this.known.keys()], maxNodes: this.maxNodes },
      'kubernetes fleet found its nodes',
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  nodes(): FleetNode[] {
    return [...this.known.values()].map((p) => ({ url: p.url, source: 'attached' as const }));
  }

  describe(): string {
    return `kubernetes: ${this.known.size} node pods (${this.opts.selector}) in namespace ${this.opts.namespace}`;
  }

  addNodeRefusal(): string | null {
    const count = Math.max(this.known.size, this.replicas);
    if (count < this.maxNodes) return null;
    return `the StatefulSet already has ${count} pods, its limit (K8S_MAX_NODES ${this.maxNodes}: the keys Secret holds keys for that many pods; render with --max-nodes for more)`;
  }

  async kill(url: string): Promise<string> {
    const pod = this.podAt(url);
    await kubeCall(`delete pod ${pod.name} in ${this.opts.namespace}`, () =>
      this.deps.apis.core.deleteNamespacedPod({ name: pod.name, namespace: this.opts.namespace, gracePeriodSeconds: 0 }),
    );
    return `ok: pod ${pod.name} deleted at once; its StatefulSet starts it again (on Kubernetes a kill is a crash-restart)`;
  }

  async restart(url: string): Promise<void> {
    const known = this.podAt(url);
    const current = await this.readPod(known.name);
    await kubeCall(`delete pod ${known.name} in ${this.opts.namespace}`, () => this.deps.apis.core.deleteNamespacedPod({ name: known.name, namespace: this.opts.namespace }));
    const back = await this.waitReady(known.name, current?.metadata?.uid ?? known.uid);
    this.known.set(url, back);
  }

  async addNode(): Promise<FleetNode & { name: string }> {
    const sts = this.ownStatefulSet();
    const what = `scale statefulset ${sts} in ${this.opts.namespace}`;
    const scale = await kubeCall(what, () => this.deps.apis.apps.readNamespacedStatefulSetScale({ name: sts, namespace: this.opts.namespace }));
    const replicas = scale.spec?.replicas ?? 0;
    this.replicas = replicas;
    if (replicas >= this.maxNodes) throw new FleetError('FLEET_NODE_LIMIT', this.addNodeRefusal() ?? `statefulset ${sts} is at its limit`);
    // JSON Patch: only the replica count changes, whatever else the StatefulSet holds.
    await kubeCall(what, () =>
      this.deps.apis.apps.patchNamespacedStatefulSetScale({ name: sts, namespace: this.opts.namespace, body: [{ op: 'replace', path: '/spec/replicas', value: replicas + 1 }] }),
    );
    this.replicas = replicas + 1;
    const pod = await this.waitReady(`${sts}-${replicas}`, null);
    this.known.set(pod.url, pod);
    return { url: pod.url, name: pod.name, source: 'attached' };
  }

  private podAt(url: string): NodePod {
    const pod = this.known.get(url);
    if (!pod) throw new FleetError('FLEET_UNKNOWN_NODE', `${url} is not one of the pods matching ${this.opts.selector}`);
    this.ownStatefulSet();
    return pod;
  }

  private ownStatefulSet(): string {
    if (!this.statefulSet) throw new FleetError('K8S_NOT_A_STATEFULSET', `the pods matching ${this.opts.selector} are not owned by a StatefulSet; set K8S_STATEFULSET`);
    return this.statefulSet;
  }

  private async listPods(): Promise<V1Pod[]> {
    const list = await kubeCall(`list pods (${this.opts.selector}) in ${this.opts.namespace}`, () =>
      this.deps.apis.core.listNamespacedPod({ namespace: this.opts.namespace, labelSelector: this.opts.selector }),
    );
    return list.items;
  }

  /** The pod, or null while it does not exist (deleted, not yet recreated). */
  private async readPod(name: string): Promise<V1Pod | null> {
    try {
      return await this.deps.apis.core.readNamespacedPod({ name, namespace: this.opts.namespace });
    } catch (err) {
      const e = kubeError(`read pod ${name} in ${this.opts.namespace}`, err);
      if (e.code === 'K8S_NOT_FOUND') return null;
      throw e;
    }
  }

  /** Wait until pod `name` exists as another pod than `oldUid`, is not being deleted, and is Ready. */
  private async waitReady(name: string, oldUid: string | null): Promise<NodePod> {
    const deadline = Date.now() + this.opts.readyTimeoutMs;
    for (;;) {
      const pod = await this.readPod(name);
      const node = pod && pod.metadata?.uid !== oldUid && isPodReady(pod) ? nodePods([pod], this.opts.namespace)[0] : undefined;
      if (node) return node;
      if (Date.now() >= deadline || this.stopped) {
        throw new FleetError('K8S_READY_TIMEOUT', `pod ${name} was not back and Ready within ${Math.round(this.opts.readyTimeoutMs / 1000)} s`);
      }
      await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.opts.pollMs ?? 1000).unref());
  }
}
