// Integration: kill / restart / add-node through POST /api/chaos on a control plane whose fleet
// is Kubernetes (FLEET=kubernetes through the config, a kubeconfig file), with a recording HTTP
// server posing as the Kubernetes API. The "pods" are real local node processes on loopback (the
// API answers their pod IP 127.0.0.1 and port), sharing one admin token as the rendered pods do,
// so pause goes through their real /admin API. Asserted: the exact Kubernetes calls each action
// makes, the recorded results, the node added by scaling being followed, and the refusals
// (CHAOS_NODE_LIMIT past K8S_MAX_NODES, CHAOS_NOT_LOCAL for storage faults).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startControlPlane, type ControlPlane } from '../control-plane.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { testServerConfig } from '../testing/test-config.ts';
import { RecordingKubeApi } from '../testing/recording-kube-api.ts';
import { LocalTestnet } from '../../node/testnet/local-testnet.ts';
import { adminTokenFile } from '../../node/admin-token.ts';
import { freePorts } from '../../lib/free-port.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import type { NodeStatus, NodesResponse } from '../../wire/explorer-api.ts';
import type { ChaosRecord } from '../../wire/chaos-api.ts';
import { acceptedRecord, chaosPoster } from '../testing/chaos-client.ts';

const CONTROL_TOKEN = 'test-control-token-0123456789';
const NODE_ADMIN_TOKEN = 'shared-admin-token-of-the-pods';
const labels = { 'app.kubernetes.io/instance': 'testnet', 'app.kubernetes.io/component': 'node' };

describe('kill, restart and add-node on a Kubernetes fleet', { timeout: 300_000 }, () => {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  let dir: string;
  let db: TestDatabase;
  let testnet: LocalTestnet;
  let kube: RecordingKubeApi;
  let plane: ControlPlane;

  const nodes = async () => ((await (await fetch(plane.url + '/api/nodes', { signal: AbortSignal.timeout(5_000) })).json()) as NodesResponse).nodes;
  const post = (body: unknown) => chaosPoster(plane.url, CONTROL_TOKEN)(body);
  const chaos = async (body: unknown): Promise<ChaosRecord> => acceptedRecord(await post(body), body);
  const refusal = async (body: unknown): Promise<[number, string, string]> => {
    const res = await post(body);
    const err = ((await res.json()) as { error: { code: string; message: string } }).error;
    return [res.status, err.code, err.message];
  };
  /** The Kubernetes calls made since `from`, without the waits' reads of one pod. */
  const callsSince = (from: number) => kube.calls().slice(from);
  const byPod = (ns: NodeStatus[], ordinal: number) => ns.find((n) => n.url.endsWith(`:${testnet.nodes()[ordinal].port}`))!;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-k8s-it-'));
    db = await withTestDatabase();
    const tnDir = path.join(dir, 'pods');
    // One admin token for every node, as the rendered pods take it from the tokens Secret.
    for (const i of [1, 2, 3]) {
      fs.mkdirSync(path.join(tnDir, `node-${i}`), { recursive: true });
      fs.writeFileSync(adminTokenFile(path.join(tnDir, `node-${i}`)), NODE_ADMIN_TOKEN + '\n');
    }
    testnet = new LocalTestnet({ nodes: 2, maxNodes: 3, basePort: await freePorts(3), blockTimeMs: 500, dataDir: tnDir, txRate: 1 }, { logger });
    await testnet.start();
    // The process the scaled-up pod stands for (ordinal 2); the API lists it only once scaled.
    await testnet.addNode();
    kube = new RecordingKubeApi({
      namespace: 'chaos',
      statefulSet: 'testnet-node',
      labels,
      replicas: 2,
      endpoint: (i) => ({ dns: false, podIP: '127.0.0.1', port: testnet.nodes()[i].port }),
    });
    await kube.start();
    const kubeconfig = path.join(dir, 'kubeconfig.json');
    fs.writeFileSync(kubeconfig, JSON.stringify(kube.kubeconfig()));
    const selector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const config = testServerConfig({
      dataDir: path.join(dir, 'server'),
      databaseUrl: db.url,
      nodeAdminToken: NODE_ADMIN_TOKEN,
      kubernetes: { selector, namespace: 'chaos', statefulSet: undefined, maxNodes: 3, readyTimeoutMs: 30_000, inCluster: false, kubeconfig },
    });
    plane = await startControlPlane(config, { logger, serveExplorer: false });
    await waitFor(async () => (await nodes()).filter((n) => n.id).length === 2, { timeoutMs: 60_000, what: 'the two pods followed' });
  });

  after(async () => {
    await plane?.stop();
    await kube?.stop();
    await testnet?.stop();
    await db?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('follows the pods the label selector lists, as attached nodes', async () => {
    assert.equal(plane.fleet.kind, 'kubernetes');
    const [list] = kube.requests;
    assert.equal(`${list.method} ${list.path}`, 'GET /api/v1/namespaces/chaos/pods');
    assert.equal(list.query.get('labelSelector'), 'app.kubernetes.io/instance=testnet,app.kubernetes.io/component=node');
    assert.deepEqual((await nodes()).map((n) => n.url).sort(), [0, 1].map((i) => testnet.nodes()[i].url).sort());
  });

  it('kill deletes the pod with gracePeriodSeconds=0 and records the crash-restart', async () => {
    const target = byPod(await nodes(), 0);
    const from = kube.requests.length;
    const record = await chaos({ kind: 'kill', node: target.id });
    assert.equal(record.status, 'applied', JSON.stringify(record.result));
    assert.deepEqual(callsSince(from), ['DELETE /api/v1/namespaces/chaos/pods/testnet-node-0?gracePeriodSeconds=0']);
    assert.match(Object.values(record.result ?? {})[0], /^ok: pod testnet-node-0 deleted at once; its StatefulSet starts it again/);
  });

  it('restart deletes the pod gracefully and is applied once the pod of that name is back and Ready', async () => {
    const target = byPod(await nodes(), 1);
    const from = kube.requests.length;
    const record = await chaos({ kind: 'restart', node: target.id });
    assert.equal(record.status, 'applied', JSON.stringify(record.result));
    const pod = '/api/v1/namespaces/chaos/pods/testnet-node-1';
    assert.deepEqual(callsSince(from), [`GET ${pod}`, `DELETE ${pod}`, `GET ${pod}`, `GET ${pod}`, `GET ${pod}`]);
  });

  it("pause still goes through the node's own admin API with NODE_ADMIN_TOKEN, not Kubernetes", async () => {
    const target = byPod(await nodes(), 0);
    const from = kube.requests.length;
    const paused = await chaos({ kind: 'pause', node: target.id });
    assert.equal(paused.status, 'applied', JSON.stringify(paused.result));
    const resumed = await chaos({ kind: 'resume', node: target.id });
    assert.equal(resumed.status, 'applied', JSON.stringify(resumed.result));
    assert.deepEqual(callsSince(from), [], 'no Kubernetes call for a pause');
  });

  it('add-node scales the StatefulSet by one and follows the new pod; past K8S_MAX_NODES it is refused', async () => {
    const from = kube.requests.length;
    const record = await chaos({ kind: 'add-node' });
    assert.equal(record.status, 'applied', JSON.stringify(record.result));
    assert.deepEqual(record.result, { 'testnet-node-2': 'ok' });
    const scale = '/apis/apps/v1/namespaces/chaos/statefulsets/testnet-node/scale';
    const pod = '/api/v1/namespaces/chaos/pods/testnet-node-2';
    assert.deepEqual(callsSince(from), [`GET ${scale}`, `PATCH ${scale}`, `GET ${pod}`, `GET ${pod}`]);
    assert.deepEqual(kube.requests[from + 1].body, [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
    await waitFor(async () => (await nodes()).some((n) => n.id && n.url === testnet.nodes()[2].url), { timeoutMs: 60_000, what: 'the added pod followed' });

    const before = kube.requests.length;
    const [status, code, message] = await refusal({ kind: 'add-node' });
    assert.deepEqual([status, code], [409, 'CHAOS_NODE_LIMIT']);
    assert.match(message, /already has 3 pods, its limit \(K8S_MAX_NODES 3/);
    assert.equal(kube.requests.length, before, 'refused before any Kubernetes call');
  });

  it("a storage fault is refused: a pod's disk is not ours to damage", async () => {
    const target = byPod(await nodes(), 1);
    const [status, code] = await refusal({ kind: 'storage-truncate', node: target.id, bytes: 10 });
    assert.deepEqual([status, code], [409, 'CHAOS_NOT_LOCAL']);
  });

  it("an API refusal becomes the action's recorded result, and the plane keeps serving", async () => {
    const target = byPod(await nodes(), 1);
    kube.failNext('DELETE', '/api/v1/namespaces/chaos/pods/testnet-node-1', 403, 'Forbidden', 'pods "testnet-node-1" is forbidden: cannot delete resource "pods"');
    const record = await chaos({ kind: 'kill', node: target.id });
    assert.equal(record.status, 'failed');
    assert.match(Object.values(record.result ?? {})[0], /Kubernetes API refused to delete pod testnet-node-1 in chaos: HTTP 403: .*forbidden/);
    assert.equal((await nodes()).length, 3);
  });
});
