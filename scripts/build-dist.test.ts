// `npm run build:dist` (the Dockerfile's build stage) gives JavaScript that runs without tsx:
// the compiled node daemon and the compiled control plane, attached to it as on Kubernetes,
// against an empty database that the compiled server migrates from the copied migrations.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../lib/free-port.ts';
import { startTestServer, type TestServer } from '../server/db/test-database.ts';
import { waitFor } from '../node/testkit/wait-for.ts';
import { NODE_ENTRY } from '../deploy/k8s/objects/node-statefulset.ts';
import { SERVER_ENTRY } from '../deploy/k8s/objects/server-deployment.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

describe('the compiled server and node', { timeout: 240_000 }, () => {
  // Inside the project: compiled modules find node_modules from there, as in the image.
  const out = path.join(ROOT, '.tmp', `dist-test-${process.pid}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-test-'));
  const children: ChildProcess[] = [];
  let db: TestServer | undefined;

  after(async () => {
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null) {
        const exited = new Promise((resolve) => c.once('exit', resolve));
        c.kill('SIGTERM');
        await exited;
      }
    }
    await db?.stop();
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('build:dist compiles, and the compiled server indexes the compiled node it is attached to', async () => {
    const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build-dist.ts'), '--out-dir', out], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    assert.equal(build.status, 0, build.stderr + build.stdout);
    for (const f of [SERVER_ENTRY, NODE_ENTRY, 'package.json']) assert.ok(fs.existsSync(path.join(out, f)), `${f} is built`);
    assert.ok(fs.readdirSync(path.join(out, 'prisma/migrations')).length > 0, 'the migrations are copied');
    // The Kubernetes fleet is imported only when asked for: its compiled import must resolve in plain node.
    assert.match(fs.readFileSync(path.join(out, 'server/orchestrator/fleet-from-config.js'), 'utf8'), /import\(["']\.\/kubernetes\/kubernetes-fleet\.js["']\)/);
    const k8s = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(path.join(out, 'server/orchestrator/kubernetes/kube-client.js'))}); await import(${JSON.stringify(path.join(out, 'server/orchestrator/kubernetes/kubernetes-fleet.js'))});`,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    assert.equal(k8s.status, 0, k8s.stderr);

    db = await startTestServer();
    const databaseUrl = await db.createDatabase();
    const [nodePort, serverPort] = [await freePorts(1), await freePorts(1)];
    const adminToken = 'dist-test-admin-token';
    const env = { ...process.env, NODE_OPTIONS: '' };
    // Plain node, no --import tsx: what the image runs.
    children.push(
      spawn(process.execPath, [path.join(out, NODE_ENTRY), `--port=${nodePort}`, `--data-dir=${path.join(work, 'node')}`, '--block-time=300', '--log-level=warn'], {
        env: { ...env, NODE_ADMIN_TOKEN: adminToken },
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    const server = spawn(process.execPath, [path.join(out, SERVER_ENTRY)], {
      env: {
        ...env,
        PORT: String(serverPort),
        DATA_DIR: path.join(work, 'server'),
        DATABASE_URL: databaseUrl,
        ATTACH: `http://127.0.0.1:${nodePort}`,
        NODE_ADMIN_TOKEN: adminToken,
        CONTROL_TOKEN: 'dist-test-control-token',
        EXPLORER: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(server);
    // A server that cannot start exits: fail then, with its code, rather than at the deadline.
    const exited = new Promise<never>((_, reject) => server.once('exit', (code) => reject(new Error(`the compiled server exited (code ${code})`))));
    exited.catch(() => undefined); // raced below; after a pass, its exit at teardown is expected
    const base = `http://127.0.0.1:${serverPort}`;
    const health = await Promise.race([
      exited,
      waitFor(
        async () => {
          const res = await fetch(`${base}/api/health`);
          return res.ok ? ((await res.json()) as { database: { ok: boolean } }) : null;
        },
        { timeoutMs: 90_000, what: 'the compiled server to answer /api/health' },
      ),
    ]);
    assert.equal(health.database.ok, true);
    const blocks = await waitFor(
      async () => {
        const body = (await (await fetch(`${base}/api/blocks?limit=5`)).json()) as { blocks: Array<{ height: number }> };
        return body.blocks.some((b) => b.height >= 2) ? body.blocks : null;
      },
      { timeoutMs: 60_000, what: "the compiled node's blocks in the compiled server's index" },
    );
    assert.ok(blocks.length > 0);
  });
});
