// Integration: the HTTP API and /stream of one in-process node.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AccountAtHeadSchema, BlocksPageSchema, ConsensusStateSchema, HealthSchema } from '../../wire/node-api.ts';
import { signBlock, signTx } from '../chain/block.ts';
import type { Node } from '../node.ts';
import { startInProcessNode } from '../testkit/in-process-node.ts';
import { NodeClient } from '../testkit/node-client.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { closedUnanswered, keptAliveConnection, trickleHeaders } from '../testkit/raw-socket.ts';
import WebSocket from 'ws';

const CONN_CAP = 32;
const STREAM_CAP = 8;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'api-it-'));
let node: Node;
let logFile: string;
let c: NodeClient;

describe('node HTTP API and /stream', { timeout: 60_000 }, () => {
  before(async () => {
    const dir = path.join(root, 'n');
    ({ node, logFile } = await startInProcessNode(dir, {
      genesisFile: path.join(dir, 'genesis.json'),
      blockTimeMs: 200,
      adminToken: 'test-admin-token',
      streamBuffer: 100,
      // Short, so the slow-client tests below run fast; generous for every other test here.
      headersTimeoutMs: 500,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 30_000,
      maxConnectionsPerAddress: CONN_CAP,
      streamMaxClients: STREAM_CAP,
      logLevel: 'warn',
    }));
    c = new NodeClient(node.url, 'test-admin-token');
    await waitFor(async () => (await c.health()).blockchain.height >= 5, { timeoutMs: 10_000, what: 'a few blocks' });
  });

  after(async () => {
    await node?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('GET /health answers the wire schema, with pid and validator flag', async () => {
    const raw = await (await fetch(`${node.url}/health`)).json();
    const h = HealthSchema.parse(raw);
    assert.equal(h.status, 'ok');
    assert.equal(h.node.pid, process.pid);
    assert.equal(h.node.validator, true);
    assert.equal(h.node.id, h.node.publicKey.slice(0, 16));
    assert.equal(h.blockTimeMs, 200);
  });

  it('GET /health tells finality (none on PoA) and the consensus status; old nodes without them still parse', async () => {
    const h = HealthSchema.parse(await (await fetch(`${node.url}/health`)).json());
    assert.equal(h.blockchain.finalized_height, null);
    assert.equal(h.blockchain.finalized_hash, null);
    assert.ok(h.consensus, 'consensus status present');
    assert.equal(h.consensus.engine, 'poa');
    assert.equal(h.consensus.round, 0);
    assert.equal(h.consensus.step, null);
    assert.equal(h.consensus.lockedRound, -1);
    assert.equal(h.consensus.validRound, -1);
    assert.equal(h.consensus.proposer, node.key.publicKey, 'the sole validator proposes every slot');
    // Read at nearly the same moment: the height being decided is the head + 1 (or one more, if a block landed between).
    assert.ok(h.consensus.height - h.blockchain.height >= 1 && h.consensus.height - h.blockchain.height <= 2, `${h.consensus.height} vs head ${h.blockchain.height}`);
    const { consensus: _c, ...old } = h;
    const { finalized_height: _fh, finalized_hash: _fx, ...oldChain } = h.blockchain;
    const parsed = HealthSchema.parse({ ...old, blockchain: oldChain });
    assert.equal(parsed.consensus, undefined);
    assert.equal(parsed.blockchain.height, h.blockchain.height);
  });

  it('GET /consensus gives the engine, its status and (PoA) no round state; /metrics has the consensus metrics', async () => {
    const res = await fetch(`${node.url}/consensus`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*', 'public');
    const cs = ConsensusStateSchema.parse(await res.json());
    assert.equal(cs.engine, 'poa');
    assert.equal(cs.status.engine, 'poa');
    assert.equal(cs.roundState, null);
    const head = node.chain.headRef().height;
    assert.ok(cs.status.height >= head && cs.status.height <= head + 1, `status height ${cs.status.height}, head now ${head}`);
    assert.equal((await c.api.consensus()).engine, 'poa', 'the shared client reads it too');
    const metrics = await c.metrics();
    const value = (name: string) => Number(metrics.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);
    assert.ok(value('consensus_height') >= cs.status.height, 'consensus_height follows the status');
    assert.equal(value('consensus_rounds'), 0);
    assert.equal(value('consensus_missing_validators'), 0);
    assert.equal(value('consensus_duplicate_votes_total'), 0);
    assert.match(metrics, /^consensus_round_duration_seconds_count 0$/m);
    const index = (await (await fetch(`${node.url}/`)).json()) as { endpoints: string[] };
    assert.ok(index.endpoints.includes('/consensus'));
  });

  it('GET /blocks pages the canonical chain ascending; a limit over 500 is a 400 with every issue', async () => {
    const page = BlocksPageSchema.parse(await (await fetch(`${node.url}/blocks?from=1&limit=3`)).json());
    assert.deepEqual(
      page.blocks.map((b) => b.header.height),
      [1, 2, 3],
    );
    assert.equal(page.blocks[1].header.parentHash, page.blocks[0].hash);
    const big = await c.blocks(0, 500);
    assert.ok(big.blocks.length <= 500);
    const tooBig = await fetch(`${node.url}/blocks?from=-1&limit=10000`);
    assert.equal(tooBig.status, 400);
    const body = (await tooBig.json()) as { error: { code: string; issues: Array<{ path: string[] }> } };
    assert.equal(body.error.code, 'BAD_REQUEST');
    assert.deepEqual(body.error.issues.map((i) => i.path.join('.')).sort(), ['from', 'limit']);
    const bad = await fetch(`${node.url}/blocks?from=-1`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'BAD_REQUEST');
  });

  it('GET /blocks/:id finds canonical blocks by height and any known block by hash', async () => {
    const b2 = await c.block(2);
    assert.equal(b2?.header.height, 2);
    assert.equal((await c.block(b2!.hash))?.hash, b2!.hash);
    // A side block: height 1 on genesis, in a later slot than the canonical one.
    const g = node.chain.genesis;
    const side = signBlock({ chainId: g.header.chainId, height: 1, parentHash: g.hash, timestamp: (g.header.slot + 3) * 200, slot: g.header.slot + 3, proposer: '' }, [], node.key);
    node.chain.importBlock(side, { nowMs: Date.now() });
    assert.equal((await c.block(side.hash))?.hash, side.hash);
    assert.notEqual((await c.block(1))?.hash, side.hash);
    const missing = await fetch(`${node.url}/blocks/${'ef'.repeat(32)}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: 'BLOCK_NOT_FOUND', message: `no block ${'ef'.repeat(32)}` } });
    assert.equal((await fetch(`${node.url}/blocks/nope`)).status, 400);
  });

  it('malformed input is a coded 400, never an error: bad %-encoding, heights beyond int4, a huge from', async () => {
    const errorLines = () =>
      fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l && (JSON.parse(l) as { level: number }).level >= 50);
    const before = errorLines().length;
    for (const [path, code] of [
      ['/blocks/%E0', 'BAD_ENCODING'],
      ['/blocks/99999999999999999999', 'BAD_REQUEST'],
      ['/blocks/2147483648', 'BAD_REQUEST'],
      ['/blocks?from=99999999999999999999', 'BAD_REQUEST'],
      ['/blocks?from=2147483648', 'BAD_REQUEST'],
      ['/blocks?from=%', 'BAD_ENCODING'],
    ]) {
      const res = await fetch(`${node.url}${path}`);
      assert.equal(res.status, 400, path);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, code, path);
    }
    assert.equal((await fetch(`${node.url}/blocks/2147483647`)).status, 404, 'the largest height is a height, just not one this chain has');
    assert.deepEqual(errorLines().slice(before), []);
  });

  it('POST /txs admits a signed transfer that then lands in a block; a forged one is refused', async () => {
    const to = 'ab'.repeat(32);
    const tx = signTx({ from: node.key.publicKey, to, amount: 7, nonce: node.chain.account(node.key.publicKey).nonce, timestamp: Date.now() }, node.key);
    const res = await fetch(`${node.url}/txs`, { method: 'POST', body: JSON.stringify(tx), headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 202);
    await waitFor(() => node.chain.account(to).balance === 7, { timeoutMs: 5000, what: 'the transfer included' });
    const forged = await fetch(`${node.url}/txs`, { method: 'POST', body: JSON.stringify({ ...tx, amount: 8 }) });
    assert.equal(forged.status, 400);
    assert.equal(((await forged.json()) as { error: { code: string } }).error.code, 'TX_HASH_MISMATCH');
    assert.equal((await fetch(`${node.url}/txs`, { method: 'POST', body: '{nope' })).status, 400);
  });

  it('GET /accounts/:address answers balance and nonce with the head they are read at; an untouched address is 0/0; a bad one is a 400', async () => {
    const me = node.key.publicKey;
    const before = AccountAtHeadSchema.parse(await (await fetch(`${node.url}/accounts/${me}`)).json());
    assert.equal(before.address, me);
    assert.deepEqual({ balance: before.balance, nonce: before.nonce }, node.chain.account(me));
    assert.ok(before.head.height >= 5 && /^[0-9a-f]{64}$/.test(before.head.hash));
    const to = 'cd'.repeat(32);
    const tx = signTx({ from: me, to, amount: 11, nonce: before.nonce, timestamp: Date.now() }, node.key);
    assert.equal((await fetch(`${node.url}/txs`, { method: 'POST', body: JSON.stringify(tx), headers: { 'content-type': 'application/json' } })).status, 202);
    // Upper-case hex is the same address; the answer names it in lower case.
    const read = async () => AccountAtHeadSchema.parse(await (await fetch(`${node.url}/accounts/${to.toUpperCase()}`)).json());
    await waitFor(async () => (await read()).balance === 11, { timeoutMs: 30_000, what: 'the transfer included' });
    const after = AccountAtHeadSchema.parse(await (await fetch(`${node.url}/accounts/${me}`)).json());
    assert.equal(after.nonce, before.nonce + 1);
    assert.equal(after.balance, before.balance - 11);
    assert.ok(after.head.height > before.head.height);
    assert.equal((await read()).address, to);
    const untouched = AccountAtHeadSchema.parse(await (await fetch(`${node.url}/accounts/${'0'.repeat(64)}`)).json());
    assert.deepEqual([untouched.balance, untouched.nonce], [0, 0]);
    for (const bad of ['abc', 'zz'.repeat(32), 'ab'.repeat(33)]) {
      const res = await fetch(`${node.url}/accounts/${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'BAD_REQUEST');
    }
  });

  it('PUT /admin/byzantine on a PoA node is 409 ENGINE_UNSUPPORTED (its engine has no votes to misbehave with)', async () => {
    assert.equal((await c.admin('PUT', '/admin/byzantine', { byzantine: { behaviour: 'equivocate' } }, null)).status, 401);
    const r = await c.admin('PUT', '/admin/byzantine', { byzantine: { behaviour: 'equivocate' } });
    assert.equal(r.status, 409);
    assert.equal((r.body as { error: { code: string } }).error.code, 'ENGINE_UNSUPPORTED');
    const bad = await c.admin('PUT', '/admin/byzantine', { byzantine: { behaviour: 'lie' } });
    assert.equal(bad.status, 400);
    const chaos = await c.admin('GET', '/admin/chaos');
    assert.equal((chaos.body as { byzantine: unknown }).byzantine, null, 'still honest');
  });

  it('admin endpoints need the bearer token: 401 without, 403 wrong', async () => {
    assert.equal((await c.admin('GET', '/admin/chaos', undefined, null)).status, 401);
    const wrong = await c.admin('GET', '/admin/chaos', undefined, 'wrong-token');
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, { error: { code: 'FORBIDDEN', message: 'wrong admin token' } });
    const ok = await c.admin('GET', '/admin/chaos');
    assert.deepEqual(ok.body, { rules: [], paused: false, clockOffsetMs: 0, byzantine: null });
    const bad = await c.admin('PUT', '/admin/chaos/rules', { rules: [{ peer: '*', direction: 'sideways' }] });
    assert.equal(bad.status, 400);
    const set = await c.setRules([{ peer: '*', direction: 'out', delayMs: 5 }]);
    assert.equal(set.rules[0].delayMs, 5);
    assert.equal(set.rules[0].drop, false); // defaults filled in
    await c.setRules([]);
  });

  it('pause stops production until resume; clock offset shows in /health', async () => {
    const stream = c.stream();
    await waitFor(() => stream.events.length > 0, { timeoutMs: 5000, what: 'stream hello' });
    assert.equal((await c.admin('POST', '/admin/pause')).status, 200);
    const h = await c.health();
    assert.equal(h.paused, true);
    assert.equal(h.status, 'degraded');
    const frozen = node.chain.headRef().height;
    // No block while five of the node's own slots pass (measured on the node's clock).
    const fiveSlotsLater = node.clock.now() + 5 * 200 + 50;
    await waitFor(() => node.clock.now() >= fiveSlotsLater, { timeoutMs: 5000, what: 'five slots while paused' });
    assert.equal(node.chain.headRef().height, frozen);
    await c.admin('POST', '/admin/resume');
    await waitFor(() => node.chain.headRef().height > frozen, { timeoutMs: 5000, what: 'production resumed' });
    const r = await c.admin('PUT', '/admin/clock', { offsetMs: -1234 });
    assert.equal((r.body as { clockOffsetMs: number }).clockOffsetMs, -1234);
    assert.equal((await c.health()).clockOffsetMs, -1234);
    await c.admin('PUT', '/admin/clock', { offsetMs: 0 });
    await waitFor(() => stream.of('chaos').length >= 3, { timeoutMs: 5000, what: 'chaos events' });
    assert.deepEqual(
      stream
        .of('chaos')
        .slice(0, 2)
        .map((e) => e.chaos.paused),
      [true, false],
    );
    stream.close();
  });

  it('/stream block events carry the acceptance time with sub-millisecond precision', async () => {
    const s = c.stream();
    await waitFor(() => s.of('block').length >= 3, { timeoutMs: 5000, what: 'block events' });
    s.close();
    const blocks = s.of('block');
    for (const e of blocks) {
      assert.equal(typeof e.acceptedAt, 'number', 'acceptedAt is set');
      // Taken just before the event is stamped with `at` (whole ms, same wall clock).
      assert.ok(e.acceptedAt! >= Math.floor(e.acceptedAt!) && e.at >= Math.floor(e.acceptedAt!) && e.at - e.acceptedAt! < 50, `at ${e.at} vs acceptedAt ${e.acceptedAt}`);
    }
    assert.ok(
      blocks.some((e) => !Number.isInteger(e.acceptedAt)),
      'not rounded to whole ms',
    );
  });

  it('/stream sends hello first, then events with increasing seq; resumes with epoch+since, or resets', async () => {
    const s1 = c.stream();
    await waitFor(() => s1.of('head').length >= 2 && s1.of('block').length >= 2, { timeoutMs: 5000, what: 'live events' });
    const hello = s1.events[0];
    assert.equal(hello.type, 'hello');
    if (hello.type !== 'hello') return;
    assert.equal(hello.node.publicKey, node.key.publicKey);
    const live = s1.events.slice(1);
    assert.equal(live[0].seq, hello.seq + 1);
    live.forEach((e, i) => i > 0 && assert.equal(e.seq, live[i - 1].seq + 1));
    const cut = live[0].seq;

    const s2 = c.stream(`?epoch=${hello.epoch}&since=${cut}`);
    await waitFor(() => s2.events.length >= 3, { timeoutMs: 5000, what: 'resumed events' });
    assert.equal(s2.events[0].type, 'hello');
    assert.equal(s2.events[0].seq, cut);
    assert.equal(s2.events[1].seq, cut + 1, 'resumes right after the last seen event');
    assert.equal(s2.of('reset').length, 0);
    s2.close();

    const s3 = c.stream(`?epoch=other&since=${cut}`);
    await waitFor(() => s3.events.length >= 2, { timeoutMs: 5000, what: 'reset' });
    assert.deepEqual(
      s3.events.slice(0, 2).map((e) => e.type),
      ['reset', 'hello'],
    );
    s3.close();

    // The ring holds 100 events here: once more have passed, seq 1 cannot be replayed.
    await waitFor(() => (s1.events.at(-1)?.seq ?? 0) > 102, { timeoutMs: 30_000, what: 'over 100 events' });
    s1.close();
    assert.deepEqual([...s1.of('round'), ...s1.of('commit'), ...s1.of('votes')], [], 'PoA emits no consensus round events');
    const s4 = c.stream(`?epoch=${hello.epoch}&since=1`);
    await waitFor(() => s4.events.length >= 2, { timeoutMs: 5000, what: 'reset for a too-old seq' });
    assert.deepEqual(
      s4.events.slice(0, 2).map((e) => e.type),
      ['reset', 'hello'],
    );
    s4.close();
    assert.deepEqual([...s1.invalid, ...s2.invalid, ...s3.invalid, ...s4.invalid], []);
  });

  it('a client that trickles its headers is cut off after headersTimeout (408), not held for a minute', async () => {
    const { heldMs, answer } = await trickleHeaders(node.url, '127.0.0.31', '/health');
    assert.ok(heldMs < 15_000, `held ${heldMs} ms (Node's defaults: 60-90 s)`);
    assert.match(answer, /^HTTP\/1.1 408/);
  });

  it('an address holding maxConnectionsPerAddress open connections is refused more; others are served', async () => {
    const held = await Promise.all(Array.from({ length: CONN_CAP }, () => keptAliveConnection(node.url, '127.0.0.32', '/health')));
    // The server counts a connection as it accepts it, a moment after the client sees it open.
    await waitFor(() => closedUnanswered(node.url, '127.0.0.32', '/health'), { timeoutMs: 20_000, what: 'a connection over the cap closed unanswered' });
    assert.ok((await c.metric('node_http_connections_refused_total')) >= 1, 'the refusal counted');
    assert.equal((await c.health()).status, 'ok', 'other addresses are served');
    for (const h of held) h.destroy();
  });

  it('/stream refuses subscribers over its cap with 503', async () => {
    await waitFor(async () => (await c.metric('node_stream_clients')) === 0, { timeoutMs: 10_000, what: 'no stream clients from earlier tests' });
    const streams = Array.from({ length: STREAM_CAP }, () => c.stream());
    await waitFor(() => streams.every((st) => st.events.length > 0), { timeoutMs: 10_000, what: 'every stream greeted' });
    const extra = new WebSocket(`${node.url.replace('http', 'ws')}/stream`);
    const status = await new Promise<number>((resolve) => {
      extra.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      extra.on('open', () => resolve(101));
      extra.on('error', () => {});
    });
    assert.equal(status, 503);
    extra.terminate();
    for (const st of streams) st.close();
  });
});
