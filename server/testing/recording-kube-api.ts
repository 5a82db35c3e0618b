// Test harness: a plain HTTP server on 127.0.0.1 posing as the Kubernetes API for one StatefulSet
// of node pods. It records every request (method, path, query, headers, body) and answers with
// the JSON a real API server sends (PodList, Pod, Scale, Status), keeping just enough state to
// behave like a StatefulSet: a deleted pod comes back under its name with a new uid (first absent,
// then not Ready, then Ready, one step per read), scaling up adds the next ordinal. Errors can be
// queued for a path. No cluster can run on the development machines; this pins the requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

type Stage = 'absent' | 'pending' | 'ready';

interface FakePod {
  ordinal: number;
  uid: string;
  /** Where the pod is in coming back; the first entry is now, each read of the pod moves on. */
  stages: Stage[];
}

/** How a pod is reached: by its headless-Service DNS name (as a StatefulSet's pods), or by IP and port. */
export type PodEndpoint = { dns: true; port: number } | { dns: false; podIP: string; port: number };

export interface RecordingKubeApiOptions {
  namespace: string;
  statefulSet: string;
  labels: Record<string, string>;
  replicas: number;
  endpoint?: (ordinal: number) => PodEndpoint;
}

export const KUBE_TEST_TOKEN = 'test-kube-token';

export class RecordingKubeApi {
  readonly requests: RecordedRequest[] = [];
  private readonly pods = new Map<string, FakePod>();
  private readonly failures: Array<{ method: string; path: string; status: number; reason: string; message: string }> = [];
  private replicas: number;
  private uids = 0;
  private server: http.Server | null = null;
  url = '';

  constructor(private readonly o: RecordingKubeApiOptions) {
    this.replicas = o.replicas;
    for (let i = 0; i < o.replicas; i++) this.pods.set(this.podName(i), { ordinal: i, uid: this.nextUid(), stages: ['ready'] });
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://x');
        const text = Buffer.concat(chunks).toString('utf8');
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          path: u.pathname,
          query: u.searchParams,
          headers: req.headers,
          body: text ? (JSON.parse(text) as unknown) : undefined,
        };
        this.requests.push(recorded);
        const [status, body] = this.answer(recorded);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** The next request with this method and path gets this error as a Kubernetes Status. */
  failNext(method: string, path: string, status: number, reason: string, message: string): void {
    this.failures.push({ method, path, status, reason, message });
  }

  /**
   * The kubeconfig a client uses to reach this server: plain HTTP and a bearer token (the client
   * accepts http:// only with insecure-skip-tls-verify).
   */
  kubeconfig(): object {
    return {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'recording', cluster: { server: this.url || 'http://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'recording', user: { token: KUBE_TEST_TOKEN } }],
      contexts: [{ name: 'recording', context: { cluster: 'recording', user: 'recording', namespace: this.o.namespace } }],
      'current-context': 'recording',
    };
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(JSON.stringify(this.kubeconfig()));
    return kc;
  }

  podName(ordinal: number): string {
    return `${this.o.statefulSet}-${ordinal}`;
  }

  /** The requests other than reads of one pod (the waits poll those). */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}${r.query.size ? '?' + r.query.toString() : ''}`);
  }

  private nextUid(): string {
    return `00000000-0000-4000-8000-${String(++this.uids).padStart(12, '0')}`;
  }

  private answer(r: RecordedRequest): [number, unknown] {
    const failure = this.failures.findIndex((f) => f.method === r.method && f.path === r.path);
    if (failure >= 0) {
      const f = this.failures.splice(failure, 1)[0];
      return [f.status, statusBody(f.status, f.reason, f.message)];
    }
    const ns = this.o.namespace;
    const podsPath = `/api/v1/namespaces/${ns}/pods`;
    const scalePath = `/apis/apps/v1/namespaces/${ns}/statefulsets/${this.o.statefulSet}/scale`;
    if (r.method === 'GET' && r.path === podsPath) {
      const wanted = parseSelector(r.query.get('labelSelector') ?? '');
      const matches = Object.entries(wanted).every(([k, v]) => this.o.labels[k] === v);
      const items = matches ? [...this.pods.entries()].filter(([, p]) => p.stages[0] !== 'absent').map(([name, p]) => this.podJson(name, p)) : [];
      return [200, { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(1000 + this.requests.length) }, items }];
    }
    if (r.path.startsWith(podsPath + '/')) {
      const name = r.path.slice(podsPath.length + 1);
      const pod = this.pods.get(name);
      if (!pod || pod.stages[0] === 'absent') {
        if (pod && r.method === 'GET' && pod.stages.length > 1) pod.stages.shift();
        return [404, statusBody(404, 'NotFound', `pods "${name}" not found`)];
      }
      if (r.method === 'GET') {
        const body = this.podJson(name, pod);
        if (pod.stages.length > 1) pod.stages.shift();
        return [200, body];
      }
      if (r.method === 'DELETE') {
        const body = { ...this.podJson(name, pod), metadata: { ...this.podJson(name, pod).metadata, deletionTimestamp: new Date().toISOString() } };
        // The StatefulSet controller recreates it: a new pod under the same name.
        this.pods.set(name, { ordinal: pod.ordinal, uid: this.nextUid(), stages: ['absent', 'pending', 'ready'] });
        return [200, body];
      }
    }
    if (r.path === scalePath && (r.method === 'GET' || r.method === 'PATCH')) {
      if (r.method === 'PATCH') {
        const ops = r.body as Array<{ op: string; path: string; value: number }>;
        for (const op of ops) if (op.op === 'replace' && op.path === '/spec/replicas') this.scaleTo(op.value);
      }
      return [200, this.scaleJson()];
    }
    return [404, statusBody(404, 'NotFound', `the server could not find the requested resource (${r.method} ${r.path})`)];
  }

  private scaleTo(replicas: number): void {
    for (let i = this.replicas; i < replicas; i++) this.pods.set(this.podName(i), { ordinal: i, uid: this.nextUid(), stages: ['pending', 'ready'] });
    for (let i = replicas; i < this.replicas; i++) this.pods.delete(this.podName(i));
    this.replicas = replicas;
  }

  private scaleJson(): object {
    const ns = this.o.namespace;
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: this.o.statefulSet, namespace: ns, uid: 'sts-uid', resourceVersion: String(2000 + this.requests.length) },
      spec: { replicas: this.replicas },
      status: {
        replicas: this.replicas,
        selector: Object.entries(this.o.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      },
    };
  }

  private podJson(name: string, p: FakePod): { metadata: Record<string, unknown> } & Record<string, unknown> {
    const endpoint = this.o.endpoint?.(p.ordinal) ?? { dns: true, port: 7000 };
    const ready = p.stages[0] === 'ready';
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: this.o.namespace,
        uid: p.uid,
        labels: { ...this.o.labels, 'apps.kubernetes.io/pod-index': String(p.ordinal), 'statefulset.kubernetes.io/pod-name': name },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: this.o.statefulSet, uid: 'sts-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        ...(endpoint.dns ? { hostname: name, subdomain: this.o.statefulSet } : {}),
        containers: [{ name: 'node', image: 'testnet-explorer:latest', ports: [{ name: 'http', containerPort: endpoint.port, protocol: 'TCP' }] }],
      },
      status: {
        phase: ready ? 'Running' : 'Pending',
        podIP: endpoint.dns ? `10.244.0.${10 + p.ordinal}` : endpoint.podIP,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date().toISOString() }],
      },
    };
  }
}

function parseSelector(s: string): Record<string, string> {
  return Object.fromEntries(
    s
      .split(',')
      .filter(Boolean)
      .map((kv) => kv.split('=') as [string, string]),
  );
}

function statusBody(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}
