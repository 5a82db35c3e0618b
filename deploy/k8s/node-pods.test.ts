// The rendered node pods, run for real: each pod's command and args as the kubelet would run
// them ($(POD_NAME) expanded, the ConfigMap and Secret as files), on loopback instead of the
// cluster network. Two pods of a rendered testnet pick their own validator keys by pod name,
// take the admin token from the Secret, find each other and build one chain.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ConfigMap, Secret } from 'kubernetes-models/v1';
import type { StatefulSet } from 'kubernetes-models/apps/v1';
import { freePorts } from '../../lib/free-port.ts';
import { NodeClient } from '../../node/testkit/node-client.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { NODE_DAEMON_V8_FLAGS } from '../../node/runtime/v8-flags.ts';
import { GENESIS_DIR, KEYS_DIR, NODE_DATA_DIR, nodeHost, NODE_PORT, podName } from './names.ts';
import { renderTestnet } from './render.ts';
import { parseRenderOptions } from './render-options.ts';
import { NODE_ENTRY } from './objects/node-statefulset.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODES = 2;

/** `$(VAR)` in a container's args, expanded from its env as the kubelet does. */
const expand = (arg: string, env: Record<string, string>) => arg.replace(/\$\(([A-Z_][A-Z0-9_]*)\)/g, (m, name: string) => env[name] ?? m);

describe('rendered node pods, run as processes', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-pods-'));
  const children: ChildProcess[] = [];

  after(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('each pod runs with its own validator key, the shared admin token and genesis, and they build one chain', async () => {
    const r = renderTestnet(parseRenderOptions({ nodes: NODES, consensus: 'poa', replicas: 1, blockTimeMs: 500, txRate: 1, namespace: 'pods' }));
    const objects = r.manifests.map((m) => m.object.toJSON() as { kind: string; metadata: { name: string } });
    const sts = objects.find((o) => o.kind === 'StatefulSet') as StatefulSet;
    const genesisMap = objects.find((o) => o.kind === 'ConfigMap') as ConfigMap;
    const keys = objects.find((o) => o.metadata.name === r.names.keysSecret) as Secret;
    const tokens = objects.find((o) => o.metadata.name === r.names.tokensSecret) as Secret;
    const container = sts.spec!.template.spec!.containers[0];

    // The volumes as files, where the pod would see them mounted.
    const mounts: Record<string, string> = { [GENESIS_DIR]: path.join(dir, 'genesis'), [KEYS_DIR]: path.join(dir, 'keys') };
    for (const [mount, data] of [
      [GENESIS_DIR, genesisMap.data!],
      [KEYS_DIR, keys.stringData!],
    ] as const) {
      fs.mkdirSync(mounts[mount], { recursive: true });
      for (const [file, text] of Object.entries(data)) fs.writeFileSync(path.join(mounts[mount], file), text);
    }
    const ports = await freePorts(NODES);
    const loopback = (arg: string) => {
      let a = arg.replace('--host=0.0.0.0', '--host=127.0.0.1');
      for (const [mount, local] of Object.entries(mounts)) a = a.replaceAll(mount, local);
      for (let i = 0; i < NODES; i++) a = a.replaceAll(`${nodeHost(r.names, i)}:${NODE_PORT}`, `127.0.0.1:${ports + i}`);
      return a;
    };

    for (let i = 0; i < NODES; i++) {
      const env: Record<string, string> = { POD_NAME: podName(r.names, i), NODE_ADMIN_TOKEN: tokens.stringData!.NODE_ADMIN_TOKEN };
      const args = container
        .args!.map((a) => expand(a, env))
        .map(loopback)
        .map((a) => (a === `--port=${NODE_PORT}` ? `--port=${ports + i}` : a))
        .map((a) => (a === `--data-dir=${NODE_DATA_DIR}` ? `--data-dir=${path.join(dir, `data-${i}`)}` : a));
      assert.deepEqual(container.command, ['node', ...NODE_DAEMON_V8_FLAGS, NODE_ENTRY]);
      const child = spawn(process.execPath, [...NODE_DAEMON_V8_FLAGS, '--import', 'tsx', path.join(ROOT, 'node/cli/node.ts'), ...args, '--log-level=warn'], {
        env: { ...process.env, ...env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
    }

    const clients = Array.from({ length: NODES }, (_, i) => new NodeClient(`http://127.0.0.1:${ports + i}`, tokens.stringData!.NODE_ADMIN_TOKEN));
    const validators = r.material.genesis.validators;
    for (let i = 0; i < NODES; i++) {
      const health = await waitFor(() => clients[i].health(), { timeoutMs: 60_000, what: `pod ${i} to answer /health` });
      assert.equal(health.node.name, podName(r.names, i));
      assert.equal(health.node.publicKey, validators[i], `pod ${i} signs with validator key ${i}`);
      assert.equal(health.chainId, r.material.genesis.chainId);
    }
    // The admin API takes the token from the Secret.
    await clients[0].setRules([]);
    const heights = await waitFor(
      async () => {
        const hs = await Promise.all(clients.map((c) => c.health()));
        return hs.every((h) => h.peers.connected === NODES - 1 && h.blockchain.height >= 4) ? hs : null;
      },
      { timeoutMs: 60_000, what: 'both pods connected, at height 4 or more' },
    );
    const at = Math.min(...heights.map((h) => h.blockchain.height)) - 1;
    const [a, b] = await Promise.all(clients.map((c) => c.block(at)));
    assert.equal(a?.hash, b?.hash, `the pods agree at height ${at}`);
    const proposers = new Set((await clients[0].blocks(1, at)).blocks.map((blk) => blk.header.proposer));
    assert.deepEqual([...proposers].sort(), [...validators].sort(), 'both validators propose');
  });
});
