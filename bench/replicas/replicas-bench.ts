// `npm run bench -- replicas`: two control-plane replicas (real `server/main.ts` processes,
// CLUSTER=1) on one embedded Postgres, both ATTACHed to a 4-node testnet. The clients (half on
// each replica, Socket.IO over WebSocket as the browser) must receive every head exactly once
// whichever replica they hang on: the leader pushes, the follower relays through Postgres.
// Latency = client receipt − the node's `at` of the head (as the `live` benchmark: the node
// accepted it; same machine clock, whole ms). Then kill -9 of the leader: time until the
// other one leads and indexes a new block (failover.ts).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { BenchResult, Figure } from '../core/result.ts';
import { goal } from '../core/result.ts';
import { fmt } from '../core/stats.ts';
import { LocalTestnet } from '../../node/testnet/local-testnet.ts';
import { freePort, freePorts } from '../../lib/free-port.ts';
import { withTestDatabase, type TestDatabase } from '../../server/db/test-database.ts';
import { startReplicaProcess, type ReplicaProcess } from '../../server/testing/replica-process.ts';
import { CONTROL_PLANE_MAX_CONNECTIONS_PER_ADDRESS } from '../../server/config.ts';
import { HeadTruth } from '../live/head-truth.ts';
import { analyse, type LiveAnalysis } from '../live/live-bench.ts';
import { closeClients, connectClients, type LiveClient } from '../live/live-clients.ts';
import { waitFor } from '../live/wait-for.ts';
import { waitFor as waitForAsync } from '../../node/testkit/wait-for.ts';
import { measureFailover } from './failover.ts';

export interface ReplicasBenchOptions {
  nodes: number;
  blockTimeMs: number;
  clients: number;
  seconds: number;
}

const DRAIN_MS = 5_000;
const FAILOVER_TIMEOUT_MS = 30_000;
const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export async function runReplicasBench(opts: ReplicasBenchOptions, say: (line?: string) => void): Promise<Omit<BenchResult, 'name' | 'durationMs'>> {
  const params = { ...opts, loadAverageAtStart: loadAverage() };
  const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-replicas-'));
  let db: TestDatabase | null = null;
  let testnet: LocalTestnet | null = null;
  const replicas: ReplicaProcess[] = [];
  const truth = new HeadTruth();
  const sides: LiveClient[][] = [[], []];
  try {
    say(`load average ${loadAverage()}; starting an embedded Postgres and a ${opts.nodes}-node testnet (block every ${opts.blockTimeMs} ms)`);
    db = await withTestDatabase();
    testnet = new LocalTestnet(
      { nodes: opts.nodes, basePort: await freePorts(opts.nodes * 2), blockTimeMs: opts.blockTimeMs, dataDir: path.join(tempRoot, 'nodes'), logLevel: 'warn' },
      { logger: pino({ level: 'silent' }) },
    );
    await testnet.start();
    const nodeUrls = testnet.nodes().map((n) => n.url);
    const perSide = [Math.ceil(opts.clients / 2), Math.floor(opts.clients / 2)];
    // Every replica of a cluster must accept the same control token (the bench posts nothing with it).
    const controlToken = randomBytes(24).toString('hex');
    const startReplica = async (name: string, clients: number) => {
      const port = await freePort();
      return startReplicaProcess({
        port,
        dataDir: path.join(tempRoot, `replica-${name}`),
        env: {
          DATABASE_URL: db!.url,
          ATTACH: nodeUrls.join(','),
          REPLICA_URL: `http://127.0.0.1:${port}`,
          CONTROL_TOKEN: controlToken,
          LOG_LEVEL: 'warn',
          // Every client is its own WebSocket from 127.0.0.1: room for them over the per-address cap.
          MAX_CONNECTIONS_PER_ADDRESS: String(Math.max(CONTROL_PLANE_MAX_CONNECTIONS_PER_ADDRESS, clients + 64)),
        },
      });
    };
    // The first one started leads; the second follows once it sees the lease taken.
    const leader = await startReplica('a', perSide[0]);
    replicas.push(leader);
    const leaderId = await waitForAsync(
      async () => {
        const r = (await leader.health()).replica;
        return r?.role === 'leader' ? r.id : null;
      },
      { timeoutMs: 60_000, what: 'replica a leading' },
    );
    const follower = await startReplica('b', perSide[1]);
    replicas.push(follower);
    await waitForAsync(async () => (await follower.health()).replica?.leader?.id === leaderId, { timeoutMs: 60_000, what: 'replica b knowing a leads' });
    say(`replica a (leader) ${leader.url}, replica b (follower) ${follower.url}; following the ${opts.nodes} node streams directly for the ground truth`);

    await truth.connect(nodeUrls);
    for (const side of [0, 1]) {
      sides[side] = await connectClients(replicas[side].url, perSide[side], 'heads:new', { timeoutMs: 90_000 });
    }
    const all = () => [...sides[0], ...sides[1]];
    const nodesSeen = (c: LiveClient) => new Set(c.receipts.map((r) => r.key.split(':')[0])).size;
    await waitFor(() => nodesSeen(sides[0][0]) >= opts.nodes && nodesSeen(sides[1][0]) >= opts.nodes, {
      timeoutMs: 60_000,
      what: `heads of all ${opts.nodes} nodes through both replicas`,
    });
    say(`${perSide[0]} clients on the leader, ${perSide[1]} on the follower, on 'heads:new'; measuring for ${opts.seconds} s`);

    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, opts.seconds * 1000));
    const to = Date.now();
    const expected = truth.between(from, to);
    const expectedKeys = expected.map((h) => `${h.nodeId}:${h.hash}`);
    const allReceived = (c: LiveClient) => {
      const got = new Set(c.receipts.map((r) => r.key));
      return expectedKeys.every((k) => got.has(k));
    };
    await waitFor(() => all().every(allReceived), { timeoutMs: DRAIN_MS, everyMs: 200, what: 'every client to receive every head' }).catch(() => undefined);
    const loadAtEnd = loadAverage();
    const onLeader = analyse(expected, truth, sides[0]);
    const onFollower = analyse(expected, truth, sides[1]);
    const overall = analyse(expected, truth, all());
    say(`load average ${loadAtEnd} (at start ${params.loadAverageAtStart}); heads accepted in the window: ${expected.length}`);
    for (const [label, r] of [
      ['leader', onLeader],
      ['follower', onFollower],
      ['overall', overall],
    ] as const) {
      say(
        `${label.padEnd(8)} deliveries expected ${r.expected}, received ${r.received}, lost ${r.lost}, duplicated ${r.duplicated}, seq gaps ${r.seqGaps}, repeats ${r.seqRepeats}; ms p50 ${fmt(r.latency.p50, 1)} p99 ${fmt(r.latency.p99, 1)} max ${fmt(r.latency.max, 1)}`,
      );
    }
    say(`baseline node → bench direct stream ms: p50 ${fmt(overall.direct.p50, 1)}  p99 ${fmt(overall.direct.p99, 1)}`);

    say('kill -9 of the leader; waiting for the follower to lead and index a new block');
    const failover = await measureFailover(leader, follower, sides[1], FAILOVER_TIMEOUT_MS);
    say(
      `follower led after ${failover.leaderAfterMs ?? '–'} ms, pushed a head accepted after the kill ${failover.newHeadAfterMs ?? '–'} ms after it; live:resync seen ${failover.resyncs} times by ${perSide[1]} clients`,
    );
    if (truth.problems.length) say(`ground truth problems: ${truth.problems.join('; ')}`);

    const n = `${opts.nodes} nodes, ${fmt(1000 / opts.blockTimeMs, 1)} blocks/s, ${opts.clients} clients over 2 replicas`;
    const lost = overall.lost + overall.seqGaps;
    const duplicated = overall.duplicated + overall.seqRepeats;
    const figures: Figure[] = [
      ...latencyFigures('leader', onLeader, `${perSide[0]} clients; ${n}`),
      ...latencyFigures('follower', onFollower, `${perSide[1]} clients, relayed through Postgres`),
      ...latencyFigures('overall', overall, `${overall.latency.count} deliveries`),
      { name: 'p99 baseline: node → bench direct stream', value: round(overall.direct.p99), unit: 'ms', note: `p50 ${fmt(overall.direct.p50, 1)} ms` },
      { name: 'heads accepted by the nodes in the window', value: expected.length, unit: 'heads', note: `${opts.seconds} s` },
      { name: 'deliveries expected (heads × clients)', value: overall.expected, unit: 'events' },
      {
        name: 'deliveries lost',
        value: overall.lost,
        unit: 'events',
        note: `leader side ${onLeader.lost}, follower side ${onFollower.lost}; ${overall.clientsWithLoss} clients missed one`,
      },
      { name: 'deliveries duplicated', value: overall.duplicated, unit: 'events', note: `leader side ${onLeader.duplicated}, follower side ${onFollower.duplicated}` },
      {
        name: 'hub sequence gaps / repeats seen by clients',
        value: overall.seqGaps + overall.seqRepeats,
        unit: 'events',
        note: `${overall.seqGaps} gaps, ${overall.seqRepeats} repeats`,
      },
      { name: 'failover: kill -9 → survivor leads (/api/health)', value: failover.leaderAfterMs, unit: 'ms' },
      { name: 'failover: kill -9 → survivor pushes a new head', value: failover.newHeadAfterMs, unit: 'ms', note: 'a head its node accepted after the kill' },
      {
        name: 'failover: kill -9 → new leader indexing',
        value: failover.failoverMs,
        unit: 'ms',
        note: `the later of the two; ${failover.resyncs} live:resync on ${perSide[1]} clients`,
      },
      { name: 'load average (1 min) at end', value: Number(loadAtEnd.split(' ')[0]), unit: '', note: `at start ${params.loadAverageAtStart}; shared 2-core machine` },
    ];
    const p99 = round(overall.latency.p99);
    // As in `live`: when even the direct node → bench stream is slow, the cores are the bottleneck, not the replicas.
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const load1 = Number(loadAtEnd.split(' ')[0]);
    const oversubscribed = (overall.direct.p99 ?? 0) >= 100 || load1 > cores;
    const whyLatency = `leader side p99 ${fmt(onLeader.latency.p99, 1)} ms, follower side ${fmt(onFollower.latency.p99, 1)} ms${
      oversubscribed ? `; machine oversubscribed (load average ${load1} on ${cores} cores): even the direct node → bench stream has p99 ${fmt(overall.direct.p99, 1)} ms` : ''
    }`;
    return {
      params,
      figures,
      goals: [
        goal(
          'replicas: heads exactly once on both',
          '0 lost, 0 twice',
          lost + duplicated,
          'events',
          lost + duplicated === 0 && expected.length > 0,
          `${lost} lost, ${duplicated} duplicated (incl. sequence gaps/repeats)`,
        ),
        goal('replicas: p99 head → client across replicas', '< 100 ms', p99, 'ms', p99 !== null && p99 < 100, whyLatency),
        goal(
          'replicas: failover kill -9 → new leader indexing',
          '< 5 s',
          failover.failoverMs,
          'ms',
          failover.failoverMs !== null && failover.failoverMs < 5_000,
          `leads after ${failover.leaderAfterMs ?? '–'} ms, new head after ${failover.newHeadAfterMs ?? '–'} ms`,
        ),
      ],
      ...(truth.problems.length ? { error: `ground truth incomplete: ${truth.problems.join('; ')}` } : {}),
    };
  } finally {
    for (const side of sides) closeClients(side);
    truth.close();
    say('stopping the replicas, the testnet and Postgres…');
    for (const r of replicas) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await testnet?.stop();
    await db?.stop();
    fs.rmSync(tempRoot, { recursive: true, force: true });
  }
}

function latencyFigures(side: string, r: LiveAnalysis, note: string): Figure[] {
  return [
    { name: `p50 head → client (${side})`, value: round(r.latency.p50), unit: 'ms', note },
    { name: `p99 head → client (${side})`, value: round(r.latency.p99), unit: 'ms', note: `max ${fmt(r.latency.max, 1)} ms` },
  ];
}
