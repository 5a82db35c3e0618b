// Integration: GET /api/consensus and the BFT additions of /api/forks and /api/nodes/heights
// over a real 4-validator BFT testnet and a real Postgres. The view names every validator
// after its node, shows each node's round state, lists the decided heights from the indexed
// commits, pushes 'consensus:changed' notices to the 'consensus' room at most 4 a second, and
// shows a killed node's error instead of failing. (The evidence union is unit-tested in
// server/read/consensus-queries.test.ts: nodes do not equivocate on command yet.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { io } from 'socket.io-client';
import { startControlPlane, type ControlPlane } from './control-plane.ts';
import { withTestDatabase, type TestDatabase } from './db/test-database.ts';
import { freePorts } from '../lib/free-port.ts';
import { testServerConfig } from './testing/test-config.ts';
import { waitFor } from '../node/testkit/wait-for.ts';
import { ConsensusResponseSchema, type ConsensusResponse, type ForksResponse, type HeightsResponse, type NodesResponse } from '../wire/explorer-api.ts';
import type { ConsensusNotice } from '../wire/live-events.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const token = 'test-control-token-0123456789';

describe('GET /api/consensus over a BFT testnet', { timeout: 240_000 }, () => {
  let db: TestDatabase;
  let plane: ControlPlane;
  let dataDir: string;
  let ids: string[] = [];
  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(plane.url + p, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200, `${p}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const consensus = async () => ConsensusResponseSchema.parse(await api<unknown>('/api/consensus'));
  const chaos = async (body: unknown) => {
    const res = await fetch(plane.url + '/api/chaos', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, `chaos ${JSON.stringify(body)}: HTTP ${res.status} ${await res.text()}`);
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'consensus-api-it-'));
    db = await withTestDatabase();
    plane = await startControlPlane(
      testServerConfig({ dataDir, databaseUrl: db.url, nodes: 4, blockTimeMs: 500, nodeBasePort: await freePorts(8), txRate: 1, consensus: 'bft', controlToken: token }),
      { logger, serveExplorer: false },
    );
    ids = await waitFor(
      async () => {
        const n = await api<NodesResponse>('/api/nodes');
        return n.nodes.length === 4 ? n.nodes.map((x) => x.id) : null;
      },
      { timeoutMs: 60_000, what: 'the four nodes known to the control plane' },
    );
  });

  after(async () => {
    await plane?.stop();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names every validator, shows each node in a round, and lists decided heights with their commits', async () => {
    const view = await waitFor(
      async () => {
        const v = await consensus();
        return v.heights.length >= 3 && v.nodes.every((n) => n.roundState !== null) ? v : null;
      },
      { timeoutMs: 60_000, what: 'three decided heights and a round state on every node' },
    );
    assert.equal(view.engine, 'bft');
    assert.equal(view.validators.length, 4);
    assert.deepEqual(new Set(view.validators.map((v) => v.nodeId)), new Set(ids), 'every validator is one of our nodes');
    assert.ok(view.validators.every((v) => v.name?.startsWith('node-')));
    for (const n of view.nodes) {
      assert.equal(n.error, null, `${n.name} answered`);
      assert.equal(n.roundState!.validators.length, 4);
      assert.equal(n.status!.engine, 'bft');
      for (const r of n.roundState!.rounds) assert.equal(r.prevotes.length, 4, 'one prevote slot per validator');
    }
    const [top, next] = view.heights;
    assert.ok(top.height > next.height, 'newest first');
    assert.ok(top.signers >= 3, `a commit carries a quorum of 4 (got ${top.signers})`);
    assert.ok(top.finalizedAfterMs >= 0);
    assert.equal(view.lastCommit?.height, top.height, 'the last commit is the newest decided height');
    assert.equal(view.lastCommit.signers.length, top.signers);
    assert.ok(
      view.lastCommit.signers.every((k) => view.validators.some((v) => v.publicKey === k)),
      'signed by validators',
    );
  });

  it('caches one answer briefly: two requests at once read the nodes once', async () => {
    const [a, b] = await Promise.all([consensus(), consensus()]);
    assert.equal(a.readAt, b.readAt);
    const later = await waitFor(
      async () => {
        const c = await consensus();
        return c.readAt > a.readAt ? c : null;
      },
      { timeoutMs: 10_000, intervalMs: 100, what: 'a fresh read after the cache interval' },
    );
    assert.ok(later.readAt - a.readAt >= 250, `served from the cache for at least 250 ms (${later.readAt - a.readAt} ms)`);
  });

  it("pushes 'consensus:changed' to the 'consensus' room, at most 4 a second", async () => {
    const socket = io(plane.url, { transports: ['websocket'] });
    const notices: Array<{ at: number; n: ConsensusNotice }> = [];
    socket.on('consensus:changed', (n) => notices.push({ at: Date.now(), n }));
    try {
      await waitFor(() => socket.connected, { timeoutMs: 10_000, what: 'socket connected' });
      socket.emit('subscribe', ['consensus']);
      await waitFor(() => notices.length >= 8, { timeoutMs: 30_000, what: 'eight consensus notices' });
      assert.ok(
        notices.some((x) => x.n.kinds.includes('commit')),
        'commits are announced',
      );
      const span = notices.at(-1)!.at - notices[0].at;
      // 8 notices with ≥ 250 ms between each: at least 7 intervals (a little timer slack allowed).
      assert.ok(span >= 7 * 240, `throttled: ${notices.length} notices in ${span} ms`);
    } finally {
      socket.disconnect();
    }
  });

  it("forks mark finalized blocks and each node's finality point; heights carry the finalized series", async () => {
    const forks = await api<ForksResponse>('/api/forks');
    assert.ok(forks.blocks.length > 0);
    assert.ok(
      forks.blocks.every((b) => b.finalized === true),
      'on a healthy BFT chain every drawn block is final',
    );
    assert.equal(forks.finality?.length, 4, 'a finality point per node');
    for (const f of forks.finality) {
      const tip = forks.tips.find((t) => t.nodeId === f.nodeId)!;
      // Every block of a BFT chain carries a commit: a node's finalized tip is at most the commit in flight under its head.
      assert.ok(tip.height - f.height <= 2, `${f.name}: finalized #${f.height} close under its head #${tip.height}`);
    }
    const heights = await api<HeightsResponse>('/api/nodes/heights?minutes=5');
    assert.ok(heights.finalized && heights.finalized.length > 0, 'a finalized series');
    const last = heights.finalized.at(-1)![1];
    assert.ok(last >= 3, `finalized line reaches the decided heights (${last})`);
  });

  it('a killed node shows its error; the others still answer', async () => {
    const victim = ids[3];
    await chaos({ kind: 'kill', node: victim });
    const view = await waitFor(
      async () => {
        const v = await consensus();
        return v.nodes.find((n) => n.nodeId === victim)?.error ? v : null;
      },
      { timeoutMs: 30_000, what: 'the killed node reported with an error' },
    );
    const dead = view.nodes.find((n) => n.nodeId === victim)!;
    assert.equal(dead.roundState, null);
    assert.match(dead.error!, /did not answer/);
    assert.ok(view.nodes.filter((n) => n.nodeId !== victim).every((n) => n.error === null && n.roundState !== null));
  });
});
