// The Kubernetes fleet against a recording HTTP server posing as the Kubernetes API: the exact
// requests it makes (method, path, label selector, delete grace, scale patch), how it maps the
// answers to node URLs, and that the API's refusals become coded FleetErrors, not crashes.
import { afterEach, beforeEach, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { KubernetesFleet, type KubernetesFleetOptions } from './kubernetes-fleet.ts';
import { kubernetesApis, loadKubeConfig, resolveNamespace } from './kube-client.ts';
import { FleetError } from '../node-fleet.ts';
import { KUBE_TEST_TOKEN, RecordingKubeApi, type PodEndpoint } from '../../testing/recording-kube-api.ts';
import { labelsFor, namesFor, nodeHttpUrl } from '../../../deploy/k8s/names.ts';

const rendered = { name: 'testnet', namespace: 'chaos' };
const names = namesFor(rendered);
const labels = labelsFor(rendered, 'node');
const selector = Object.entries(labels)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

describe('KubernetesFleet against a recording Kubernetes API', () => {
  let api: RecordingKubeApi;
  const fleets: KubernetesFleet[] = [];

  async function startApi(replicas: number, endpoint?: (ordinal: number) => PodEndpoint): Promise<void> {
    api = new RecordingKubeApi({ namespace: names.namespace, statefulSet: names.nodes, labels, replicas, endpoint });
    await api.start();
  }

  function fleet(o: Partial<KubernetesFleetOptions> = {}): KubernetesFleet {
    const f = new KubernetesFleet(
      { namespace: names.namespace, selector, readyTimeoutMs: 10_000, pollMs: 5, ...o },
      { apis: kubernetesApis(api.kubeConfig()), logger: pino({ level: 'silent' }) },
    );
    fleets.push(f);
    return f;
  }

  async function fleetError(p: Promise<unknown>): Promise<FleetError> {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof FleetError, `a FleetError, got ${String(err)}`);
    return err;
  }

  beforeEach(() => startApi(3));
  afterEach(async () => {
    for (const f of fleets.splice(0)) await f.stop();
    await api.stop();
  });

  it("finds the node pods by the renderer's labels and follows them at their headless-Service names", async () => {
    const f = fleet();
    await f.start();
    const [list] = api.requests;
    assert.equal(list.method, 'GET');
    assert.equal(list.path, '/api/v1/namespaces/chaos/pods');
    assert.equal(list.query.get('labelSelector'), 'app.kubernetes.io/name=testnet-explorer,app.kubernetes.io/instance=testnet,app.kubernetes.io/component=node');
    assert.equal(list.headers.authorization, `Bearer ${KUBE_TEST_TOKEN}`);
    // The same URLs the renderer gives the server (deploy/k8s/names.ts).
    assert.deepEqual(
      f.nodes(),
      [0, 1, 2].map((i) => ({ url: nodeHttpUrl(names, i), source: 'attached' })),
    );
    assert.equal(f.addNodeRefusal()?.includes('K8S_MAX_NODES 3'), true, 'without K8S_MAX_NODES the pods found are the limit');
  });

  it("falls back to the pod IP and the container's http port for pods without a Service name", async () => {
    await api.stop();
    await startApi(2, (i) => ({ dns: false, podIP: `10.1.0.${i + 5}`, port: 7100 + i }));
    const f = fleet();
    await f.start();
    assert.deepEqual(
      f.nodes().map((n) => n.url),
      ['http://10.1.0.5:7100', 'http://10.1.0.6:7101'],
    );
  });

  it('kill deletes the pod at once (gracePeriodSeconds=0) and says the StatefulSet brings it back', async () => {
    const f = fleet();
    await f.start();
    const result = await f.kill(nodeHttpUrl(names, 1));
    const del = api.requests.at(-1)!;
    assert.equal(del.method, 'DELETE');
    assert.equal(del.path, '/api/v1/namespaces/chaos/pods/testnet-node-1');
    assert.equal(del.query.get('gracePeriodSeconds'), '0');
    assert.match(result, /^ok: pod testnet-node-1 deleted at once; .*crash-restart/);
    assert.equal(api.requests.length, 2, 'kill does not wait for the new pod');
  });

  it('restart deletes the pod gracefully and waits until a new pod of that name is Ready', async () => {
    const f = fleet();
    await f.start();
    const url = nodeHttpUrl(names, 2);
    await f.restart(url);
    const calls = api.calls();
    const podPath = '/api/v1/namespaces/chaos/pods/testnet-node-2';
    assert.equal(calls[1], `GET ${podPath}`, 'reads the uid of the pod it replaces');
    assert.equal(calls[2], `DELETE ${podPath}`, "no gracePeriodSeconds: the pod's own grace (SIGTERM)");
    // Then polls: absent (404), not Ready, Ready.
    assert.deepEqual(calls.slice(3), [`GET ${podPath}`, `GET ${podPath}`, `GET ${podPath}`]);
    assert.deepEqual(f.nodes()[2], { url, source: 'attached' }, 'the recreated pod keeps its URL');
  });

  it('add-node reads the scale, patches replicas+1 with a JSON patch and waits for the new pod', async () => {
    const f = fleet({ maxNodes: 4 });
    await f.start();
    assert.equal(f.addNodeRefusal(), null);
    const added = await f.addNode();
    const scalePath = '/apis/apps/v1/namespaces/chaos/statefulsets/testnet-node/scale';
    const [read, patch] = api.requests.slice(1, 3);
    assert.equal(`${read.method} ${read.path}`, `GET ${scalePath}`);
    assert.equal(`${patch.method} ${patch.path}`, `PATCH ${scalePath}`);
    assert.equal(patch.headers['content-type'], 'application/json-patch+json');
    assert.deepEqual(patch.body, [{ op: 'replace', path: '/spec/replicas', value: 4 }]);
    assert.deepEqual(api.calls().slice(3), ['GET /api/v1/namespaces/chaos/pods/testnet-node-3', 'GET /api/v1/namespaces/chaos/pods/testnet-node-3']);
    assert.deepEqual(added, { url: nodeHttpUrl(names, 3), name: 'testnet-node-3', source: 'attached' });
    assert.equal(f.nodes().length, 4);
    // At the limit: refused before any request, and by addNode itself (the scale says so).
    assert.match(f.addNodeRefusal() ?? '', /already has 4 pods, its limit \(K8S_MAX_NODES 4/);
    const before = api.requests.length;
    const err = await fleetError(f.addNode());
    assert.equal(err.code, 'FLEET_NODE_LIMIT');
    assert.deepEqual(api.calls().slice(before), [`GET ${scalePath}`], 'no patch past the limit');
  });

  it('an RBAC refusal (403) at start is K8S_FORBIDDEN naming the call and the Role it needs', async () => {
    api.failNext('GET', '/api/v1/namespaces/chaos/pods', 403, 'Forbidden', 'pods is forbidden: User "system:serviceaccount:chaos:default" cannot list resource "pods"');
    const err = await fleetError(fleet().start());
    assert.equal(err.code, 'K8S_FORBIDDEN');
    assert.match(err.message, /refused to list pods \(app\.kubernetes\.io\/name=testnet-explorer.*\) in chaos: HTTP 403: pods is forbidden: User .* cannot list/);
    assert.match(err.message, /Role rendered in deploy\/k8s/);
  });

  it('404 on the scale and 409 on a delete are K8S_NOT_FOUND and K8S_CONFLICT; the fleet keeps working', async () => {
    const f = fleet({ maxNodes: 5 });
    await f.start();
    api.failNext('GET', '/apis/apps/v1/namespaces/chaos/statefulsets/testnet-node/scale', 404, 'NotFound', 'statefulsets.apps "testnet-node" not found');
    const missing = await fleetError(f.addNode());
    assert.equal(missing.code, 'K8S_NOT_FOUND');
    assert.match(missing.message, /scale statefulset testnet-node in chaos: HTTP 404: statefulsets\.apps "testnet-node" not found/);

    api.failNext('DELETE', '/api/v1/namespaces/chaos/pods/testnet-node-0', 409, 'Conflict', 'Operation cannot be fulfilled on pods "testnet-node-0": the object has been modified');
    const conflict = await fleetError(f.kill(nodeHttpUrl(names, 0)));
    assert.equal(conflict.code, 'K8S_CONFLICT');
    assert.match(conflict.message, /delete pod testnet-node-0 in chaos: HTTP 409: Operation cannot be fulfilled/);

    assert.match(await f.kill(nodeHttpUrl(names, 0)), /^ok: /, 'the next call goes through');
  });

  it('a URL that is not one of its pods, an API that does not answer and no matching pod are coded errors', async () => {
    const f = fleet({ readyTimeoutMs: 200 });
    await f.start();
    assert.equal((await fleetError(f.kill('http://127.0.0.1:1'))).code, 'FLEET_UNKNOWN_NODE');
    const other = fleet({ selector: 'app.kubernetes.io/instance=other', readyTimeoutMs: 200 });
    const none = await fleetError(other.start());
    assert.equal(none.code, 'K8S_NO_NODES');
    assert.match(none.message, /no pod in namespace chaos matches the label selector app\.kubernetes\.io\/instance=other \(K8S_NODE_SELECTOR\)/);
    await api.stop();
    const down = await fleetError(f.restart(nodeHttpUrl(names, 0)));
    assert.equal(down.code, 'K8S_UNREACHABLE');
    assert.match(down.message, /could not reach the Kubernetes API to read pod testnet-node-0 in chaos/);
  });
});

test('a kubeconfig that cannot be read is K8S_NO_CONFIG naming the file', () => {
  assert.throws(
    () => loadKubeConfig({ inCluster: false, kubeconfig: '/nonexistent/kubeconfig' }),
    (err: unknown) => err instanceof FleetError && err.code === 'K8S_NO_CONFIG' && err.message.includes('/nonexistent/kubeconfig'),
  );
});

describe('the namespace the fleet works in', () => {
  it("is K8S_NAMESPACE, else the ServiceAccount's, else the kubeconfig context's", async () => {
    const api = new RecordingKubeApi({ namespace: 'from-context', statefulSet: 's', labels: {}, replicas: 0 });
    const kc = api.kubeConfig();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-ns-'));
    const file = path.join(dir, 'namespace');
    fs.writeFileSync(file, 'from-pod\n');
    try {
      assert.equal(resolveNamespace('given', kc, file), 'given');
      assert.equal(resolveNamespace(undefined, kc, file), 'from-pod');
      assert.equal(resolveNamespace(undefined, kc, path.join(dir, 'missing')), 'from-context');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
