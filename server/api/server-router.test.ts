// The control plane's router in process (app.request): its OpenAPI document, token routes
// taking the bearer header (the session cookie and CSRF: session.test.ts), domain errors from the
// chaos controller and scenario service mapped by code, and a database outage answered 503.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { ChaosError } from '../control/chaos-controller.ts';
import { ScenarioError } from '../scenarios/scenario-service.ts';
import { ExperimentError } from '../experiments/experiment-service.ts';
import { createServerRouter, type ApiDeps } from './server-router.ts';

const TOKEN = 'control-token-for-tests';

function router(overrides: Partial<Record<keyof ApiDeps, unknown>> = {}) {
  const deps = {
    controlToken: TOKEN,
    version: 'test',
    startedAt: Date.now(),
    logger: pino({ level: 'silent' }),
    chaos: {
      apply: async (action: { kind: string }, actor: string) => {
        if (action.kind === 'pause') throw new ChaosError('CHAOS_UNKNOWN_NODE', 'unknown node id(s): nope');
        return { id: 1, at: 0, actor, kind: action.kind, params: {}, targets: [], status: 'applied', result: null, expiresAt: null, revertedAt: null };
      },
    },
    scenarios: {
      start: async () => {
        throw new ScenarioError('SCENARIO_RUNNING', 'a scenario is already running');
      },
    },
    queries: {
      latestBlocks: async () => {
        throw Object.assign(new Error("Can't reach database server"), { name: 'PrismaClientInitializationError' });
      },
      block: async () => null,
    },
    ...overrides,
  } as unknown as ApiDeps;
  return createServerRouter(deps);
}

const json = { 'content-type': 'application/json' };

describe('control plane router', () => {
  it('serves its OpenAPI document at /api/openapi.json', async () => {
    const res = await router().request('/api/openapi.json');
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/api/blocks/{id}']);
  });

  it('the bearer header authorises a token route as api-token; none is 401, a wrong one 403 (sessions: session.test.ts)', async () => {
    const app = router();
    const post = (headers: Record<string, string>) => app.request('/api/chaos', { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify({ kind: 'heal' }) });
    const byBearer = await post({ authorization: `Bearer ${TOKEN}` });
    assert.equal(byBearer.status, 201);
    assert.equal(((await byBearer.json()) as { action: { actor: string } }).action.actor, 'api-token');
    assert.equal((await post({})).status, 401);
    assert.equal((await post({ authorization: 'Bearer nope' })).status, 403);
  });

  it('maps domain errors by code: CHAOS_UNKNOWN_NODE 400, SCENARIO_RUNNING 409, BLOCK_NOT_FOUND 404', async () => {
    const app = router();
    const auth = { ...json, authorization: `Bearer ${TOKEN}` };
    const chaos = await app.request('/api/chaos', { method: 'POST', headers: auth, body: JSON.stringify({ kind: 'pause', node: 'nope' }) });
    assert.equal(chaos.status, 400);
    assert.equal(((await chaos.json()) as { error: { code: string } }).error.code, 'CHAOS_UNKNOWN_NODE');
    const run = await app.request('/api/scenarios/run', { method: 'POST', headers: auth, body: JSON.stringify({ file: 'split-brain.json' }) });
    assert.equal(run.status, 409);
    assert.equal(((await run.json()) as { error: { code: string } }).error.code, 'SCENARIO_RUNNING');
    const block = await app.request('/api/blocks/42');
    assert.equal(block.status, 404);
    assert.equal(((await block.json()) as { error: { code: string } }).error.code, 'BLOCK_NOT_FOUND');
  });

  it('maps the experiment codes: RUN_IN_PROGRESS 409, EXPERIMENT_NOT_FOUND 404, RUN_NOT_RUNNING 409; a start without the token is 401', async () => {
    const app = router({
      experiments: {
        start: async (req: { file?: string }) => {
          throw req.file === 'busy.json' ? new ExperimentError('RUN_IN_PROGRESS', 'a run is in progress') : new ExperimentError('EXPERIMENT_NOT_FOUND', 'no such file');
        },
        cancel: async () => {
          throw new ExperimentError('RUN_NOT_RUNNING', 'not running');
        },
      },
    });
    const auth = { ...json, authorization: `Bearer ${TOKEN}` };
    const codeOf = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
    assert.deepEqual(await codeOf(await app.request('/api/runs', { method: 'POST', headers: auth, body: JSON.stringify({ file: 'busy.json' }) })), [409, 'RUN_IN_PROGRESS']);
    assert.deepEqual(await codeOf(await app.request('/api/runs', { method: 'POST', headers: auth, body: JSON.stringify({ file: 'nope.json' }) })), [404, 'EXPERIMENT_NOT_FOUND']);
    assert.deepEqual(await codeOf(await app.request('/api/runs', { method: 'POST', headers: auth, body: JSON.stringify({ file: 'a.json', experiment: {} }) })), [
      400,
      'EXPERIMENT_INVALID',
    ]);
    assert.deepEqual(await codeOf(await app.request('/api/runs/3/cancel', { method: 'POST', headers: auth })), [409, 'RUN_NOT_RUNNING']);
    assert.deepEqual(await codeOf(await app.request('/api/runs', { method: 'POST', headers: json, body: JSON.stringify({ file: 'a.json' }) })), [401, 'UNAUTHORIZED']);
  });

  it("GET /api/nodes/{id}/peers answers one node's links, found by id or name; an unknown node is 404", async () => {
    const link = { nodeId: 'id-2', peerId: 'id-1', peerName: 'node-1', address: '127.0.0.1:7001', direction: 'outbound', state: 'connected', rttMs: 0.4 };
    const app = router({
      monitor: {
        nodes: () => [
          { id: 'id-1', name: 'node-1' },
          { id: 'id-2', name: 'node-2' },
        ],
      },
      peers: { of: (id: string) => (id === 'id-2' ? [link] : []), polledAt: 1234 },
    });
    for (const id of ['node-2', 'id-2']) {
      const res = await app.request(`/api/nodes/${id}/peers`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { links: [link], polledAt: 1234 });
    }
    const missing = await app.request('/api/nodes/node-9/peers');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'NODE_NOT_FOUND');
  });

  it('answers 503 UNAVAILABLE when the database is down', async () => {
    const res = await router().request('/api/blocks');
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'UNAVAILABLE');
  });
});
