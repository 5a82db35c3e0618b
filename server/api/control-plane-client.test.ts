// The scripts' client of /api (lib/http/control-plane-client.ts) against the real control-plane
// router over HTTP: typed answers, the token on token routes only, API errors surfaced with their
// code and status, and a server that is not there reported as such.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { ControlPlaneClient, ControlPlaneRequestError } from '../../lib/http/control-plane-client.ts';
import { nodeListener } from '../../lib/http/router.ts';
import { freePort } from '../../lib/free-port.ts';
import { createServerRouter, type ApiDeps } from './server-router.ts';

const TOKEN = 'control-token-for-client-tests';

describe('ControlPlaneClient', () => {
  let server: http.Server;
  let url: string;
  const applied: Array<{ kind: string; actor: string }> = [];

  before(async () => {
    const deps = {
      controlToken: TOKEN,
      version: 'test',
      startedAt: Date.now(),
      logger: pino({ level: 'silent' }),
      monitor: {
        nodes: () => [{ id: 'id-1', name: 'node-1' }],
        snapshot: () => ({ nodes: [{ id: 'id-1', name: 'node-1' }], network: { status: 'agreed', agreedHeight: 3 }, seq: 1 }),
      },
      chaos: {
        apply: async (action: { kind: string }, actor: string) => {
          applied.push({ kind: action.kind, actor });
          return { id: 7, at: 0, actor, kind: action.kind, params: {}, targets: [], status: 'applied', result: null, expiresAt: null, revertedAt: null };
        },
      },
    } as unknown as ApiDeps;
    server = http.createServer(nodeListener(createServerRouter(deps)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads a public route and sends the token on a token route', async () => {
    const client = new ControlPlaneClient(url, { token: TOKEN });
    assert.deepEqual((await client.call('nodes', {})).nodes, [{ id: 'id-1', name: 'node-1' }]);
    const { action } = await client.call('applyChaos', { body: { kind: 'heal' } });
    assert.equal(action.id, 7);
    assert.deepEqual(applied.at(-1), { kind: 'heal', actor: 'api-token' });
  });

  it("surfaces the API's error code, status and message", async () => {
    const client = new ControlPlaneClient(url, { token: 'wrong' });
    await assert.rejects(client.call('applyChaos', { body: { kind: 'heal' } }), (err: unknown) => {
      assert.ok(err instanceof ControlPlaneRequestError);
      assert.equal(err.code, 'FORBIDDEN');
      assert.equal(err.status, 403);
      assert.match(err.message, /^POST \/api\/chaos: wrong control token/);
      return true;
    });
    await assert.rejects(new ControlPlaneClient(url).call('nodeDetail', { params: { id: 'node-9' } }), { code: 'NODE_NOT_FOUND', status: 404 });
  });

  it('reports a control plane that does not answer as SERVER_UNREACHABLE', async () => {
    const port = await freePort();
    await assert.rejects(new ControlPlaneClient(`http://127.0.0.1:${port}`, { timeoutMs: 2_000 }).call('health', {}), { code: 'SERVER_UNREACHABLE' });
  });
});
