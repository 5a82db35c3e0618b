// The environment is validated once at the edge: defaults a newcomer gets, the engine choice,
// and a clear error for a bad value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadServerConfig } from './config.ts';

describe('server config', () => {
  it('defaults to a 4-node PoA testnet on port 3000', () => {
    const c = loadServerConfig({ NODE_ENV: 'test' });
    assert.deepEqual([c.port, c.nodes, c.consensus, c.blockTimeMs], [3000, 4, 'poa', 1000]);
  });

  it('CONSENSUS=bft picks the BFT engine for the local testnet', () => {
    assert.equal(loadServerConfig({ NODE_ENV: 'test', CONSENSUS: 'bft' }).consensus, 'bft');
  });

  it('browser sessions last 12 h unless SESSION_TTL_HOURS says otherwise; PUBLIC_ORIGIN is a list, unset by default', () => {
    const c = loadServerConfig({ NODE_ENV: 'test' });
    assert.deepEqual([c.sessionTtlMs, c.publicOrigins], [12 * 3600_000, undefined]);
    const proxied = loadServerConfig({ NODE_ENV: 'test', SESSION_TTL_HOURS: '0.5', PUBLIC_ORIGIN: 'https://a.example, https://b.example:8443' });
    assert.deepEqual([proxied.sessionTtlMs, proxied.publicOrigins], [1_800_000, ['https://a.example', 'https://b.example:8443']]);
    assert.throws(
      () => loadServerConfig({ NODE_ENV: 'test', PUBLIC_ORIGIN: 'explorer.example' }),
      (err: unknown) => err instanceof ConfigError && /PUBLIC_ORIGIN/.test(err.message),
    );
    assert.throws(
      () => loadServerConfig({ NODE_ENV: 'test', SESSION_TTL_HOURS: '0' }),
      (err: unknown) => err instanceof ConfigError && /SESSION_TTL_HOURS/.test(err.message),
    );
  });

  it('an unknown engine is a ConfigError naming the variable', () => {
    assert.throws(
      () => loadServerConfig({ NODE_ENV: 'test', CONSENSUS: 'pow' }),
      (err: unknown) => err instanceof ConfigError && /CONSENSUS/.test(err.message),
    );
  });

  it('bounds slow clients and connections per address by default; the environment can raise the cap', () => {
    const c = loadServerConfig({ NODE_ENV: 'test' });
    assert.deepEqual(c.httpLimits, { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerAddress: 256 });
    assert.equal(loadServerConfig({ NODE_ENV: 'test', MAX_CONNECTIONS_PER_ADDRESS: '2000' }).httpLimits.maxConnectionsPerAddress, 2000);
    assert.throws(() => loadServerConfig({ NODE_ENV: 'test', MAX_CONNECTIONS_PER_ADDRESS: '0' }), ConfigError);
  });

  it('CLUSTER=1 makes a replica of an attached network on a shared DATABASE_URL; a lone process is the default', () => {
    assert.equal(loadServerConfig({ NODE_ENV: 'test' }).cluster, undefined);
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: 'test',
      CLUSTER: '1',
      ATTACH: 'http://127.0.0.1:7001',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      CONTROL_TOKEN: 'cluster-control-token-0123',
    };
    assert.deepEqual(loadServerConfig(env).cluster, { replicaUrl: undefined });
    assert.deepEqual(loadServerConfig({ ...env, REPLICA_URL: 'http://10.0.0.5:3000' }).cluster, { replicaUrl: 'http://10.0.0.5:3000' });
    // A local testnet belongs to one process; replicas need one database they all reach.
    assert.throws(
      () => loadServerConfig({ ...env, ATTACH: '' }),
      (err: unknown) => err instanceof ConfigError && /CLUSTER=1 needs ATTACH or FLEET=kubernetes/.test(err.message),
    );
    assert.throws(
      () => loadServerConfig({ ...env, DATABASE_URL: '' }),
      (err: unknown) => err instanceof ConfigError && /CLUSTER=1 needs DATABASE_URL/.test(err.message),
    );
    assert.throws(
      () => loadServerConfig({ ...env, CONTROL_TOKEN: undefined }),
      (err: unknown) => err instanceof ConfigError && /CLUSTER=1 needs CONTROL_TOKEN/.test(err.message),
    );
  });

  it('chooses the Kubernetes fleet in a pod with K8S_NODE_SELECTOR, or when FLEET says so; refuses half a configuration', () => {
    const selector = 'app.kubernetes.io/instance=testnet,app.kubernetes.io/component=node';
    const inPod = { NODE_ENV: 'test' as const, KUBERNETES_SERVICE_HOST: '10.96.0.1', K8S_NODE_SELECTOR: selector, NODE_ADMIN_TOKEN: 'admin-token' };
    assert.deepEqual(loadServerConfig(inPod).kubernetes, {
      selector,
      namespace: undefined,
      statefulSet: undefined,
      maxNodes: undefined,
      readyTimeoutMs: 180_000,
      inCluster: true,
      kubeconfig: undefined,
    });
    assert.equal(loadServerConfig({ NODE_ENV: 'test', KUBERNETES_SERVICE_HOST: '10.96.0.1' }).kubernetes, undefined, 'a pod without a selector keeps the local testnet');
    const outside = loadServerConfig({
      NODE_ENV: 'test',
      FLEET: 'kubernetes',
      K8S_NODE_SELECTOR: selector,
      NODE_ADMIN_TOKEN: 't',
      K8S_NAMESPACE: 'chaos',
      K8S_MAX_NODES: '6',
      KUBECONFIG: '/tmp/kc',
    });
    assert.deepEqual(
      [outside.kubernetes?.inCluster, outside.kubernetes?.namespace, outside.kubernetes?.maxNodes, outside.kubernetes?.kubeconfig, outside.attach],
      [false, 'chaos', 6, '/tmp/kc', undefined],
    );
    const refused = (env: Record<string, string>, what: RegExp) =>
      assert.throws(
        () => loadServerConfig({ NODE_ENV: 'test', ...env }),
        (err: unknown) => err instanceof ConfigError && what.test(err.message),
      );
    refused({ FLEET: 'kubernetes', NODE_ADMIN_TOKEN: 't' }, /K8S_NODE_SELECTOR: FLEET=kubernetes needs K8S_NODE_SELECTOR/);
    refused({ FLEET: 'kubernetes', K8S_NODE_SELECTOR: selector }, /NODE_ADMIN_TOKEN: FLEET=kubernetes needs NODE_ADMIN_TOKEN/);
    refused({ FLEET: 'kubernetes', K8S_NODE_SELECTOR: selector, NODE_ADMIN_TOKEN: 't', ATTACH: 'http://a:7000' }, /ATTACH: FLEET=kubernetes finds its nodes by label/);
    refused({ FLEET: 'attached' }, /ATTACH: FLEET=attached needs ATTACH/);
    refused({ FLEET: 'local', ATTACH: 'http://a:7000' }, /ATTACH: FLEET=local spawns its own nodes/);
    refused({ FLEET: 'kubernetes', K8S_NODE_SELECTOR: selector, NODE_ADMIN_TOKEN: 't', K8S_NAMESPACE: 'Not_A_Namespace' }, /K8S_NAMESPACE must be a Kubernetes namespace name/);
    refused({ FLEET: 'cloud' }, /FLEET/);
  });
});
