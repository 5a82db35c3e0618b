// A node daemon never touches fetch's web globals (Request, Response, Headers, fetch): the first
// touch loads undici, ~9 MB of every node's RSS (issue 16 §6). The compiled node is started
// with a preload that turns each of those globals into a getter reporting its first use on
// stderr, then served its common requests (reads, HEAD, a bad tx body, an admin call without
// the token, the OpenAPI document); nothing may be reported. The preload is checked first on
// a process that does touch one, so the test cannot pass by reporting nothing.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../lib/free-port.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { ensureNodeBundle } from './node-bundle.ts';

const MARK = 'WEB-GLOBAL-TOUCHED';
const PRELOAD = `
for (const name of ['Request', 'Response', 'Headers', 'fetch']) {
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  if (!d) continue;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: d.enumerable,
    get() {
      process.stderr.write('${MARK} ' + name + '\\n' + new Error().stack + '\\n');
      return d.get ? d.get.call(this) : d.value;
    },
  });
}
`;

function send(port: number, method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a compiled node and the web globals', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-web-globals-'));
  const preload = path.join(dir, 'report-web-globals.mjs');
  fs.writeFileSync(preload, PRELOAD);
  let child: ReturnType<typeof spawn> | null = null;
  let stderr = '';
  let port = 0;

  before(async () => {
    const bundle = ensureNodeBundle();
    port = await freePort();
    const args = ['--import', preload, bundle, '--data-dir', path.join(dir, 'data'), '--port', String(port), '--host', '127.0.0.1', '--tx-rate', '0', '--log-level', 'warn'];
    // stdin is a pipe held open: the node exits when it ends (its launcher gone).
    child = spawn(process.execPath, [...args, '--parent-pid', String(process.pid)], { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (stderr += d));
    await waitFor(async () => (await send(port, 'GET', '/health')).status === 200, { timeoutMs: 60_000, what: `the node on port ${port} to serve /health` });
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the preload reports a touch (the check can fail)', () => {
    const r = spawnSync(process.execPath, ['--import', preload, '-e', 'void globalThis.Response'], { encoding: 'utf8' });
    assert.match(r.stderr, new RegExp(`${MARK} Response`));
  });

  it('start-up and serving the API touch none of Request, Response, Headers, fetch', async () => {
    const answers = {
      health: (await send(port, 'GET', '/health')).status,
      headHealth: (await send(port, 'HEAD', '/health/')).status,
      blocks: (await send(port, 'GET', '/blocks?limit=5')).status,
      badBlock: (await send(port, 'GET', '/blocks/%E0')).status,
      metrics: (await send(port, 'GET', '/metrics')).status,
      badTx: (await send(port, 'POST', '/txs', { 'content-type': 'application/json' }, '{not json')).status,
      adminWithoutToken: (await send(port, 'POST', '/admin/pause')).status,
      unknown: (await send(port, 'GET', '/nothing')).status,
      openapi: (await send(port, 'GET', '/openapi.json')).status,
    };
    assert.deepEqual(answers, { health: 200, headHealth: 200, blocks: 200, badBlock: 400, metrics: 200, badTx: 400, adminWithoutToken: 401, unknown: 404, openapi: 200 });
    assert.ok(!stderr.includes(MARK), `the node touched a web global:\n${stderr}`);
  });
});
