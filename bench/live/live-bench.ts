// `npm run bench -- live`: how long a head takes from the node that accepted it to every
// connected browser, through the real control plane (node stream → indexer subscriber →
// live hub → Socket.IO), and whether every head reaches every browser exactly once.
//
// The control plane runs as a child process with its own testnet; the clients and the
// ground truth (each node's /stream, read directly) run in this process, so the measuring
// side never shares the server's event loop. Latency = client receipt time − the node's
// `at` of the head event (same machine clock; `at` is whole ms, so figures may read up to
// 1 ms high). The baseline beside it is the same latency over a direct WebSocket from the
// node to this process, the floor any server path could reach on this machine right now.
import os from 'node:os';
import type { BenchResult, Figure } from '../core/result.ts';
import { goal } from '../core/result.ts';
import { summarise, fmt } from '../core/stats.ts';
import { startControlPlane } from './control-plane-process.ts';
import { CONTROL_PLANE_MAX_CONNECTIONS_PER_ADDRESS } from '../../server/config.ts';
import { HeadTruth, type TruthHead } from './head-truth.ts';
import { closeClients, connectClients, type HeadEventName, type LiveClient } from './live-clients.ts';
import type { LiveRoom } from '../../wire/live-events.ts';
import { sampleProcess } from './process-sampler.ts';
import { waitFor } from './wait-for.ts';

export interface LiveBenchOptions {
  nodes: number;
  blockTimeMs: number;
  clients: number;
  seconds: number;
  event: HeadEventName;
  /** Rooms joined besides the one carrying heads (e.g. the overview page's), so the server also computes those pushes. */
  extraRooms: LiveRoom[];
  /** Write the server's CPU profile (node --cpu-prof) into this directory. */
  cpuProfDir: string | null;
}

/** How long after the window the clients may still deliver heads accepted within it. */
const DRAIN_MS = 5_000;

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export async function runLiveBench(opts: LiveBenchOptions, say: (line?: string) => void): Promise<Omit<BenchResult, 'name' | 'durationMs'>> {
  const params = { ...opts, cpuProfDir: undefined, loadAverageAtStart: loadAverage() };
  say(`load average ${loadAverage()}; starting the control plane: ${opts.nodes} nodes, block every ${opts.blockTimeMs} ms, EXPLORER=0, temp DATA_DIR`);
  const plane = await startControlPlane({
    nodes: opts.nodes,
    blockTimeMs: opts.blockTimeMs,
    nodeFlags: opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [],
    // Every client is its own WebSocket from 127.0.0.1: room for them over the per-address cap.
    env: { MAX_CONNECTIONS_PER_ADDRESS: String(Math.max(CONTROL_PLANE_MAX_CONNECTIONS_PER_ADDRESS, opts.clients + 64)) },
  });
  const truth = new HeadTruth();
  let clients: LiveClient[] = [];
  try {
    say(`control plane pid ${plane.pid} at ${plane.url}; following the ${opts.nodes} node streams directly for the ground truth`);
    await truth.connect(plane.nodeUrls);
    clients = await connectClients(plane.url, opts.clients, opts.event, { timeoutMs: 60_000, extraRooms: opts.extraRooms });
    // Measure only once the server follows every node (each one's heads reach a client).
    const nodesSeenByFirst = () => new Set(clients[0].receipts.map((r) => r.key.split(':')[0])).size;
    await waitFor(() => nodesSeenByFirst() >= opts.nodes, { timeoutMs: 60_000, what: `heads of all ${opts.nodes} nodes on ${opts.event}` });
    say(`${opts.clients} clients on '${opts.event}'${opts.extraRooms.length ? ` (also in ${opts.extraRooms.join(', ')})` : ''}; measuring for ${opts.seconds} s`);

    const from = Date.now();
    const usage = sampleProcess(plane.pid, { children: true });
    const messagesAt = () => clients.reduce((sum, c) => sum + c.messages, 0);
    const messagesBefore = messagesAt();
    await new Promise((resolve) => setTimeout(resolve, opts.seconds * 1000));
    const to = Date.now();
    const server = usage();
    const messagesPerClientPerSecond = (messagesAt() - messagesBefore) / clients.length / opts.seconds;
    const expected = truth.between(from, to);
    const expectedKeys = new Set(expected.map((h) => `${h.nodeId}:${h.hash}`));
    const allReceived = (c: LiveClient) => {
      const got = new Set(c.receipts.map((r) => r.key));
      for (const k of expectedKeys) if (!got.has(k)) return false;
      return true;
    };
    // Heads merged away (snapshot mode) never arrive: give up waiting after DRAIN_MS.
    await waitFor(() => clients.every(allReceived), { timeoutMs: DRAIN_MS, everyMs: 200, what: 'every client to receive every head' }).catch(() => undefined);
    const loadAtEnd = loadAverage();
    const result = analyse(expected, truth, clients);
    say(`load average ${loadAtEnd} (at start ${params.loadAverageAtStart})`);
    say(
      `heads accepted in the window: ${expected.length} (${(expected.length / opts.seconds).toFixed(1)}/s); deliveries expected ${result.expected}, received ${result.received}, lost ${result.lost}, duplicated ${result.duplicated}, unknown ${result.unknown}`,
    );
    say(`latency node → client ms: p50 ${fmt(result.latency.p50, 1)}  p95 ${fmt(result.latency.p95, 1)}  p99 ${fmt(result.latency.p99, 1)}  max ${fmt(result.latency.max, 1)}`);
    say(`baseline node → bench direct stream ms: p50 ${fmt(result.direct.p50, 1)}  p99 ${fmt(result.direct.p99, 1)}  max ${fmt(result.direct.max, 1)}`);
    say(
      `server: ${fmt(server.cpuPct, 0)}% of a core (nodes + Postgres under it: ${fmt(server.childrenCpuPct, 0)}%), RSS ${fmt(server.rssStartMB)} → ${fmt(server.rssEndMB)} MB (max ${fmt(server.rssMaxMB)})`,
    );
    if (truth.problems.length) say(`ground truth problems: ${truth.problems.join('; ')}`);

    const n = `${opts.nodes} nodes, ${1000 / opts.blockTimeMs} blocks/s, ${opts.clients} clients, '${opts.event}'${opts.extraRooms.length ? ` + ${opts.extraRooms.join('+')}` : ''}`;
    const figures: Figure[] = [
      { name: `p50 head → client (${n})`, value: round(result.latency.p50), unit: 'ms', note: `${result.latency.count} deliveries` },
      { name: 'p95 head → client', value: round(result.latency.p95), unit: 'ms' },
      { name: 'p99 head → client', value: round(result.latency.p99), unit: 'ms' },
      { name: 'max head → client', value: round(result.latency.max), unit: 'ms' },
      { name: 'p99 baseline: node → bench direct stream', value: round(result.direct.p99), unit: 'ms', note: `p50 ${fmt(result.direct.p50, 1)} ms` },
      {
        name: 'p99 ratio server path ÷ direct stream',
        value: result.latency.p99 !== null && result.direct.p99 ? round(result.latency.p99 / result.direct.p99) : null,
        unit: 'ratio',
      },
      { name: 'heads accepted by the nodes in the window', value: expected.length, unit: 'heads', note: `${opts.seconds} s` },
      { name: 'deliveries expected (heads × clients)', value: result.expected, unit: 'events' },
      { name: 'deliveries received', value: result.received, unit: 'events' },
      { name: 'deliveries lost', value: result.lost, unit: 'events', note: `${result.clientsWithLoss} clients missed at least one` },
      { name: 'deliveries duplicated', value: result.duplicated, unit: 'events' },
      { name: 'Socket.IO messages per client per second', value: round(messagesPerClientPerSecond), unit: 'msg/s', note: `carrying '${opts.event}'` },
      { name: 'server CPU', value: round(server.cpuPct), unit: '% core', note: `nodes + Postgres under it: ${fmt(server.childrenCpuPct, 0)}%` },
      { name: 'server RSS at end', value: round(server.rssEndMB), unit: 'MB', note: `start ${fmt(server.rssStartMB)} MB, max ${fmt(server.rssMaxMB)} MB` },
      { name: 'load average (1 min) at end', value: Number(loadAtEnd.split(' ')[0]), unit: '', note: `at start ${params.loadAverageAtStart}; shared 2-core machine` },
    ];
    if (opts.event === 'heads:new') {
      figures.push({
        name: 'hub sequence gaps / repeats seen by clients',
        value: result.seqGaps + result.seqRepeats,
        unit: 'events',
        note: `${result.seqGaps} gaps, ${result.seqRepeats} repeats`,
      });
    }
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const oversubscribed = (result.direct.p99 ?? 0) >= 100 || Number(loadAtEnd.split(' ')[0]) > cores;
    const whyLatency =
      opts.event === 'nodes:update'
        ? 'heads travel in the status snapshot, flushed on a fixed 250 ms tick'
        : oversubscribed
          ? `machine oversubscribed (load average ${loadAtEnd.split(' ')[0]} on ${cores} cores): even a direct node → bench stream has p99 ${fmt(result.direct.p99, 1)} ms; the server's event loop waits for a core`
          : 'see the server profile: npm run bench -- live --live-cpu-prof DIR';
    return {
      params,
      figures,
      goals: [
        goal('live: p99 head → client', '< 100 ms', round(result.latency.p99), 'ms', result.latency.p99 !== null && result.latency.p99 < 100, whyLatency),
        goal(
          'live: no head lost',
          '0',
          result.lost,
          'events',
          result.lost === 0 && expected.length > 0,
          opts.event === 'nodes:update' ? 'two heads of one node within one tick merge into one snapshot' : 'see the lost deliveries per client',
        ),
        goal('live: no head delivered twice', '0', result.duplicated, 'events', result.duplicated === 0),
      ],
      ...(truth.problems.length ? { error: `ground truth incomplete: ${truth.problems.join('; ')}` } : {}),
    };
  } finally {
    closeClients(clients);
    truth.close();
    say('stopping the control plane (SIGINT)…');
    await plane.stop();
  }
}

export interface LiveAnalysis {
  latency: ReturnType<typeof summarise>;
  direct: ReturnType<typeof summarise>;
  expected: number;
  received: number;
  lost: number;
  duplicated: number;
  unknown: number;
  clientsWithLoss: number;
  seqGaps: number;
  seqRepeats: number;
}

/** Per client: every head of `expected` received once (lost, duplicated), latency receipt − node `at`, hub sequence gaps. */
export function analyse(expected: TruthHead[], truth: HeadTruth, clients: LiveClient[]): LiveAnalysis {
  const latencies: number[] = [];
  let received = 0;
  let lost = 0;
  let duplicated = 0;
  let unknown = 0;
  let clientsWithLoss = 0;
  for (const c of clients) {
    const firstAt = new Map<string, number>();
    const count = new Map<string, number>();
    for (const r of c.receipts) {
      count.set(r.key, (count.get(r.key) ?? 0) + 1);
      if (!firstAt.has(r.key)) firstAt.set(r.key, r.receivedAt);
      if (!truth.heads.has(r.key)) unknown++;
    }
    let missed = 0;
    for (const h of expected) {
      const key = `${h.nodeId}:${h.hash}`;
      const at = firstAt.get(key);
      if (at === undefined) {
        missed++;
        continue;
      }
      received++;
      latencies.push(at - h.at);
      duplicated += (count.get(key) ?? 1) - 1;
    }
    lost += missed;
    if (missed > 0) clientsWithLoss++;
  }
  return {
    latency: summarise(latencies),
    direct: summarise(expected.map((h) => h.receivedAt - h.at)),
    expected: expected.length * clients.length,
    received,
    lost,
    duplicated,
    unknown,
    clientsWithLoss,
    seqGaps: clients.reduce((s, c) => s + c.seqGaps, 0),
    seqRepeats: clients.reduce((s, c) => s + c.seqRepeats, 0),
  };
}

const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
