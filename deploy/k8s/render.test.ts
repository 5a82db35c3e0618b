// The rendered manifests: every object (as written, in YAML) matches the Kubernetes schemas;
// the StatefulSet, Services, Deployment and Ingress have the shape the issue asks for; secrets
// are referenced from pod specs, never written into them; genesis names the rendered keys.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount, type IContainer, type IPodSpec } from 'kubernetes-models/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parseGenesis } from '../../node/chain/genesis.ts';
import { keyPairFromSeed } from '../../node/chain/keys.ts';
import { loadServerConfig } from '../../server/config.ts';
import { manifestStream } from './manifest-output.ts';
import { keyFileName, labelsFor, podName } from './names.ts';
import { renderTestnet, type RenderedTestnet } from './render.ts';
import { K8sRenderError, MAX_K8S_NODES, parseRenderOptions, type RenderOptionsInput } from './render-options.ts';
import { DATABASE_URL_PLACEHOLDER } from './objects/server-secrets.ts';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace,
  ConfigMap,
  Secret,
  Service,
  StatefulSet,
  Deployment,
  Ingress,
  ServiceAccount,
  Role,
  RoleBinding,
};

const SHAPES: RenderOptionsInput[] = [
  { nodes: 4, consensus: 'poa', replicas: 1 },
  { nodes: 16, consensus: 'bft', replicas: 2, maxNodes: 18 },
  { nodes: 7, consensus: 'bft', replicas: 1, namespace: 'chaos-lab', name: 'lab', host: 'explorer.example.org', tlsSecret: 'explorer-tls' },
];

function render(input: RenderOptionsInput): RenderedTestnet {
  return renderTestnet(parseRenderOptions({ seed: 'render-test', ...input }));
}

function one<T>(r: RenderedTestnet, kind: string, name?: string): T {
  const found = r.manifests.map((m) => m.object.toJSON() as { kind: string; metadata: { name: string } }).filter((o) => o.kind === kind && (!name || o.metadata.name === name));
  assert.equal(found.length, 1, `one ${kind}${name ? ` ${name}` : ''}`);
  return found[0] as T;
}

const containerOf = (spec: IPodSpec | undefined): IContainer => {
  assert.ok(spec);
  assert.equal(spec.containers.length, 1);
  return spec.containers[0];
};

for (const shape of SHAPES) {
  describe(`render ${shape.nodes} ${shape.consensus} nodes, ${shape.replicas} replica(s), namespace ${shape.namespace ?? 'default'}`, () => {
    const r = render(shape);
    const ns = shape.namespace ?? 'default';

    test('every object, as written in YAML, matches the Kubernetes schema of its kind', () => {
      const docs = parseAllDocuments(manifestStream(r.manifests));
      assert.equal(docs.length, r.manifests.length);
      const kinds = new Set<string>();
      for (const doc of docs) {
        assert.equal(doc.errors.length, 0);
        const data = doc.toJS() as { kind: string; metadata: { namespace?: string } };
        const Model = MODELS[data.kind];
        assert.ok(Model, `a model for ${data.kind}`);
        new Model(data as never).validate();
        if (data.kind !== 'Namespace') assert.equal(data.metadata.namespace, ns);
        kinds.add(data.kind);
      }
      assert.deepEqual(
        [...kinds].sort(),
        [...(ns === 'default' ? [] : ['Namespace']), 'ConfigMap', 'Deployment', 'Ingress', 'Role', 'RoleBinding', 'Secret', 'Service', 'ServiceAccount', 'StatefulSet'].sort(),
      );
    });

    test('the nodes are a StatefulSet of N pods behind a headless Service, each with its own data volume and readiness on /health', () => {
      const sts = one<StatefulSet>(r, 'StatefulSet');
      const svc = one<Service>(r, 'Service', sts.spec!.serviceName);
      assert.equal(sts.spec!.replicas, shape.nodes);
      assert.equal(svc.spec!.clusterIP, 'None');
      assert.equal(svc.spec!.publishNotReadyAddresses, true);
      assert.deepEqual(svc.spec!.selector, sts.spec!.template.metadata!.labels);
      assert.deepEqual(sts.spec!.selector.matchLabels, sts.spec!.template.metadata!.labels);
      const claim = sts.spec!.volumeClaimTemplates?.[0];
      assert.ok(claim);
      const c = containerOf(sts.spec!.template.spec);
      assert.ok(c.volumeMounts?.some((m) => m.name === claim.metadata!.name && m.mountPath === '/data'));
      assert.ok(c.args?.includes('--data-dir=/data'));
      assert.equal(c.readinessProbe?.httpGet?.path, '/health');
      assert.equal(c.readinessProbe?.httpGet?.port, 'http');
      assert.ok(c.ports?.some((p) => p.name === 'http'));
      // Every node is told every node's stable DNS name through the headless Service.
      const peers = c.args
        ?.find((a) => a.startsWith('--peers='))
        ?.slice('--peers='.length)
        .split(',');
      assert.deepEqual(
        peers,
        Array.from({ length: shape.nodes }, (_, i) => `ws://${sts.metadata!.name}-${i}.${svc.metadata!.name}.${ns}.svc.cluster.local:7000/p2p`),
      );
    });

    test("genesis names exactly the rendered validators' keys, pod i holding key i", () => {
      const cm = one<ConfigMap>(r, 'ConfigMap');
      const genesis = parseGenesis(JSON.parse(cm.data!['genesis.json']));
      assert.equal(genesis.consensus.engine, shape.consensus);
      assert.equal(genesis.validators.length, shape.nodes);
      const keys = one<Secret>(r, 'Secret', r.names.keysSecret);
      genesis.validators.forEach((validator, i) => {
        const file = keys.stringData![keyFileName(podName(r.names, i))];
        assert.ok(file, `a key for pod ${i}`);
        assert.equal(keyPairFromSeed((JSON.parse(file) as { secretKey: string }).secretKey).publicKey, validator);
      });
      // The pod's args name its key by its own pod name, which the Secret has an entry for.
      const c = containerOf(one<StatefulSet>(r, 'StatefulSet').spec!.template.spec);
      assert.ok(c.args?.includes('--key=/etc/testnet/keys/$(POD_NAME).key.json'));
      assert.deepEqual(c.env?.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef, { fieldPath: 'metadata.name' });
    });

    test('the server Deployment runs N replicas that find the node pods by label, ready on /api/health, with an environment the server accepts', () => {
      const dep = one<Deployment>(r, 'Deployment');
      assert.equal(dep.spec!.replicas, shape.replicas);
      assert.equal(dep.spec!.strategy?.type, 'RollingUpdate', 'replicas elect a leader: an update may run old and new side by side');
      const c = containerOf(dep.spec!.template.spec);
      assert.equal(c.readinessProbe?.httpGet?.path, '/api/health');
      const env: Record<string, string> = {};
      for (const e of c.env ?? []) {
        // As the kubelet does: $(NAME) expands to an earlier variable; fields and secrets resolved.
        if (e.value !== undefined) env[e.name] = e.value.replace(/\$\((\w+)\)/g, (_, name: string) => env[name] ?? '');
        else if (e.valueFrom?.fieldRef) env[e.name] = '10.0.0.5';
        else env[e.name] = e.name === 'DATABASE_URL' ? DATABASE_URL_PLACEHOLDER : 'a-secret-token-of-enough-length';
      }
      const config = loadServerConfig(env as NodeJS.ProcessEnv);
      assert.deepEqual(config.cluster, { replicaUrl: 'http://10.0.0.5:3000' }, 'every replica runs in cluster mode, reachable at its pod IP');
      assert.equal(config.attach, undefined);
      assert.deepEqual(config.kubernetes && { selector: config.kubernetes.selector, maxNodes: config.kubernetes.maxNodes }, {
        selector: Object.entries(one<StatefulSet>(r, 'StatefulSet').spec!.template.metadata!.labels!)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        maxNodes: shape.maxNodes ?? shape.nodes,
      });
      assert.equal(config.host, '0.0.0.0');
      assert.deepEqual(config.publicOrigins, shape.host ? [`https://${shape.host}`] : undefined);
    });

    test('secrets are referenced from pod specs, never written into them', () => {
      const secretKeys = Object.values(r.material.nodeFiles).flatMap((text) => {
        const file = JSON.parse(text) as { secretKey?: string; accounts?: Array<{ secretKey: string }> };
        return file.accounts ? file.accounts.map((a) => a.secretKey) : [file.secretKey!];
      });
      assert.equal(secretKeys.length, (shape.maxNodes ?? shape.nodes) * 3); // a key and two funded accounts per pod that can exist
      for (const kind of ['StatefulSet', 'Deployment']) {
        const text = JSON.stringify(one(r, kind));
        for (const secret of [r.material.controlToken, r.material.nodeAdminToken, DATABASE_URL_PLACEHOLDER, ...secretKeys]) {
          assert.ok(!text.includes(secret), `${kind} does not contain a secret value`);
        }
      }
      const server = containerOf(one<Deployment>(r, 'Deployment').spec!.template.spec);
      for (const [name, secret] of [
        ['DATABASE_URL', r.names.databaseSecret],
        ['CONTROL_TOKEN', r.names.tokensSecret],
        ['NODE_ADMIN_TOKEN', r.names.tokensSecret],
      ]) {
        assert.deepEqual(server.env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef, { name: secret, key: name });
      }
      const node = containerOf(one<StatefulSet>(r, 'StatefulSet').spec!.template.spec);
      assert.deepEqual(node.env?.find((e) => e.name === 'NODE_ADMIN_TOKEN')?.valueFrom?.secretKeyRef, { name: r.names.tokensSecret, key: 'NODE_ADMIN_TOKEN' });
      // The Secrets themselves hold them.
      assert.equal(one<Secret>(r, 'Secret', r.names.tokensSecret).stringData!.CONTROL_TOKEN, r.material.controlToken);
      assert.equal(one<Secret>(r, 'Secret', r.names.databaseSecret).stringData!.DATABASE_URL, DATABASE_URL_PLACEHOLDER);
    });

    test('the Ingress sends /socket.io and / to the server Service, with the WebSocket timeouts and stickiness', () => {
      const ing = one<Ingress>(r, 'Ingress');
      const svc = one<Service>(r, 'Service', r.names.server);
      const rule = ing.spec!.rules![0];
      assert.equal(rule.host, shape.host);
      const paths = rule.http!.paths.map((p) => p.path);
      assert.deepEqual(paths, ['/socket.io', '/']);
      for (const p of rule.http!.paths) {
        assert.equal(p.backend.service?.name, svc.metadata!.name);
        assert.ok(svc.spec!.ports!.some((port) => port.name === p.backend.service?.port?.name));
      }
      const a = ing.metadata!.annotations!;
      assert.ok(Number(a['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600);
      assert.ok(Number(a['nginx.ingress.kubernetes.io/proxy-send-timeout']) >= 3600);
      assert.equal(a['nginx.ingress.kubernetes.io/affinity'], 'cookie');
      assert.deepEqual(ing.spec!.tls, shape.tlsSecret ? [{ hosts: [shape.host], secretName: shape.tlsSecret }] : undefined);
    });

    test('pods run as the non-root user of the image', () => {
      for (const kind of ['StatefulSet', 'Deployment']) {
        const spec = one<StatefulSet | Deployment>(r, kind).spec!.template.spec!;
        assert.equal(spec.securityContext?.runAsNonRoot, true);
        assert.ok((spec.securityContext?.runAsUser ?? 0) > 0);
        assert.equal(containerOf(spec).securityContext?.allowPrivilegeEscalation, false);
      }
    });
  });
}

describe('the server may find, delete and scale the node pods, and nothing else (RBAC)', () => {
  const r = render({ nodes: 4, maxNodes: 6, consensus: 'bft', replicas: 1, namespace: 'chaos-lab', name: 'lab' });
  const pods = [0, 1, 2, 3, 4, 5].map((i) => `lab-node-${i}`);

  test('the Role grants pods list, get/delete on the pods add-node can reach, statefulsets/scale get/patch on the one StatefulSet', () => {
    const role = one<Role>(r, 'Role');
    assert.deepEqual(role.rules, [
      { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      { apiGroups: [''], resources: ['pods'], resourceNames: pods, verbs: ['get', 'delete'] },
      { apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: ['lab-node'], verbs: ['get', 'patch'] },
    ]);
  });

  test('the RoleBinding gives that Role to the ServiceAccount the server Deployment runs as', () => {
    const binding = one<RoleBinding>(r, 'RoleBinding');
    const account = one<ServiceAccount>(r, 'ServiceAccount');
    const dep = one<Deployment>(r, 'Deployment');
    assert.equal(dep.spec!.template.spec!.serviceAccountName, account.metadata!.name);
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: one<Role>(r, 'Role').metadata!.name });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: account.metadata!.name, namespace: 'chaos-lab' }]);
    // Created before the Deployment that uses them.
    const order = r.manifests.map((m) => (m.object.toJSON() as { kind: string }).kind);
    assert.ok(order.indexOf('RoleBinding') < order.indexOf('Deployment'));
  });

  test('--max-nodes renders keys for the spare pods (followers: genesis does not name them) and tells the server its limit', () => {
    const keys = one<Secret>(r, 'Secret', r.names.keysSecret).stringData!;
    const genesis = parseGenesis(JSON.parse(one<ConfigMap>(r, 'ConfigMap').data!['genesis.json']));
    assert.equal(genesis.validators.length, 4);
    for (const pod of pods) assert.ok(keys[keyFileName(pod)], `a key for ${pod}`);
    assert.equal(keys[keyFileName('lab-node-6')], undefined);
    const spare = keyPairFromSeed((JSON.parse(keys[keyFileName('lab-node-5')]) as { secretKey: string }).secretKey).publicKey;
    assert.ok(!genesis.validators.includes(spare));
    const env = containerOf(one<Deployment>(r, 'Deployment').spec!.template.spec).env ?? [];
    assert.deepEqual(
      env.filter((e) => e.name.startsWith('K8S_') || e.name === 'FLEET').map((e) => [e.name, e.value]),
      [
        ['FLEET', 'kubernetes'],
        [
          'K8S_NODE_SELECTOR',
          Object.entries(labelsFor({ name: 'lab' }, 'node'))
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        ],
        ['K8S_MAX_NODES', '6'],
      ],
    );
  });
});

test('at the most nodes, every object still fits in the annotation `kubectl apply` keeps of it', () => {
  const r = render({ nodes: MAX_K8S_NODES, consensus: 'bft', replicas: 1 });
  for (const m of r.manifests) assert.ok(Buffer.byteLength(JSON.stringify(m.object.toJSON())) < 262_144, `${m.file} is under 256 KiB`);
});

test('any number of server replicas renders without a warning: they elect a leader (CLUSTER=1)', () => {
  for (const replicas of [1, 2, 5]) {
    const r = render({ nodes: 4, consensus: 'poa', replicas });
    assert.deepEqual(
      r.warnings.filter((w) => /replica|leader/.test(w)),
      [],
    );
    assert.equal(one<Deployment>(r, 'Deployment').spec!.replicas, replicas);
  }
});

test('without a seed every render is a new network with new tokens', () => {
  const a = renderTestnet(parseRenderOptions({ nodes: 4, consensus: 'poa', replicas: 1 }));
  const b = renderTestnet(parseRenderOptions({ nodes: 4, consensus: 'poa', replicas: 1 }));
  assert.notDeepEqual(a.material.genesis.validators, b.material.genesis.validators);
  assert.notEqual(a.material.controlToken, b.material.controlToken);
});

describe('bad options are refused with a coded error naming the option', () => {
  const cases: Array<[string, Partial<RenderOptionsInput>, string]> = [
    ['no nodes', { nodes: 0 }, '--nodes'],
    ['more nodes than the most', { nodes: MAX_K8S_NODES + 1 }, '--nodes'],
    ['a fractional node count', { nodes: 2.5 }, '--nodes'],
    ['an unknown consensus engine', { consensus: 'foo' as 'poa' }, '--consensus'],
    ['no replicas', { replicas: 0 }, '--replicas'],
    ['a namespace Kubernetes refuses', { namespace: 'Bad_NS' }, '--namespace'],
    ['a storage size that is not one', { storage: 'lots' }, '--storage'],
    ['a TLS secret without a host', { tlsSecret: 'x' }, '--tls-secret'],
    ['fewer max nodes than nodes', { maxNodes: 3 }, '--max-nodes'],
    ['more max nodes than the most', { maxNodes: MAX_K8S_NODES + 1 }, 'maxNodes'],
  ];
  for (const [what, bad, option] of cases) {
    test(what, () => {
      assert.throws(
        () => parseRenderOptions({ nodes: 4, consensus: 'poa', replicas: 1, ...bad }),
        (err: unknown) => err instanceof K8sRenderError && err.code === 'K8S_OPTIONS_INVALID' && err.message.includes(option),
      );
    });
  }
});
