// `npm run bench -- fanout`: how many Socket.IO events per second the live hub delivers to
// 1,000 connected browsers, at what CPU cost, and whether its memory stays flat while it does.
//
// Server: the product's LiveHub (real class, real throttle) on its own HTTP server in a child
// process started with --expose-gc, fed by a deterministic synthetic network (synthetic-
// network.ts) at the same load as the live benchmark (8 nodes, 5 blocks/s). Why not the
// real control plane: with 1,000 clients the measured process must be the hub alone — the
// indexer, Postgres and 8 node processes would take most of a 2-core machine and make the
// figure about them; the head path through the real control plane is what `live` measures.
// Clients: 1,000 socket.io-client connections in this process, joined to the overview page's
// rooms. Memory: the server's heap after a full GC and its RSS, once a second.
// Baseline beside it: the same pushes and throttles over bare `ws` WebSockets (raw-ws-hub.ts),
// so the CPU per delivery can be read as a ratio (what Socket.IO costs on top of WebSocket).
import os from 'node:os';
import type { BenchResult, Figure } from '../core/result.ts';
import { goal } from '../core/result.ts';
import { fmt } from '../core/stats.ts';
import { openFileLimit, OVERVIEW_ROOMS } from './fanout-clients.ts';
import { runFanoutPhase, type PhaseResult } from './fanout-phase.ts';

export interface FanoutBenchOptions {
  clients: number;
  seconds: number;
  /** Measurement time of the raw-WebSocket baseline; 0 skips it. */
  baselineSeconds: number;
  nodes: number;
  blockTimeMs: number;
  seed: string;
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const round = (n: number | null, digits = 1) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);
/** Server CPU microseconds per delivered event. */
const cpuPerDelivery = (p: PhaseResult) => (p.serverCpuPct === null || p.eventsPerSecond === 0 ? null : (p.serverCpuPct / 100 / p.eventsPerSecond) * 1e6);

function describe(p: PhaseResult): string {
  return [
    `delivered ${fmt(p.eventsPerSecond)} events/s in total, ${fmt(p.perClientMedian, 1)} per client (slowest ${fmt(p.perClientSlowest, 1)}); ${fmt(p.headsPerSecond)} heads/s; clients connected in ${p.connectSeconds.toFixed(1)} s`,
    `heads: ${p.headsPushed} pushed, lost ${p.lost}, duplicated ${p.duplicated}, clients disconnected ${p.disconnected}; latency push → client ms p50 ${fmt(p.latency.p50, 1)} p99 ${fmt(p.latency.p99, 1)} max ${fmt(p.latency.max, 1)}`,
    `server heap after GC ${fmt(p.heap.firstThirdMean, 1)} → ${fmt(p.heap.lastThirdMean, 1)} MB (slope ${fmt(p.heap.slopePerMinute, 2)} MB/min, ${p.heap.samples} samples${p.gc ? '' : ', NO GC: run node with --expose-gc'}); RSS ${fmt(p.rss.firstThirdMean)} → ${fmt(p.rss.lastThirdMean)} MB; CPU ${fmt(p.serverCpuPct)}% of a core = ${fmt(cpuPerDelivery(p), 1)} µs per delivery; clients (this process) ${fmt(p.clientsCpuPct)}%`,
  ].join('\n  ');
}

export async function runFanoutBench(opts: FanoutBenchOptions, say: (line?: string) => void): Promise<Omit<BenchResult, 'name' | 'durationMs'>> {
  const params = { ...opts, rooms: OVERVIEW_ROOMS, loadAverageAtStart: loadAverage() };
  const fdLimit = openFileLimit();
  if (fdLimit !== null && fdLimit < opts.clients + 200) {
    throw new Error(
      `${opts.clients} clients need ${opts.clients + 200} open files but the limit is ${fdLimit}: raise it (ulimit -n ${opts.clients * 2}) or pass --fanout-clients ${Math.max(1, fdLimit - 200)}`,
    );
  }
  const phase = { clients: opts.clients, nodes: opts.nodes, blockTimeMs: opts.blockTimeMs, seed: opts.seed };
  say(
    `load average ${loadAverage()}; open-file limit ${fdLimit ?? 'unknown'}; LiveHub + synthetic ${opts.nodes} nodes × ${1000 / opts.blockTimeMs} blocks/s, ${opts.clients} Socket.IO clients, ${opts.seconds} s`,
  );
  const hub = await runFanoutPhase({ ...phase, transport: 'socket.io', seconds: opts.seconds });
  say(`  ${describe(hub)}`);
  let raw: PhaseResult | null = null;
  if (opts.baselineSeconds > 0) {
    say(`baseline: same pushes and throttles over bare ws, ${opts.clients} clients, ${opts.baselineSeconds} s (load average ${loadAverage()})`);
    raw = await runFanoutPhase({ ...phase, transport: 'raw-ws', seconds: opts.baselineSeconds });
    say(`  ${describe(raw)}`);
  }
  const loadAtEnd = loadAverage();
  say(`load average ${loadAtEnd} (at start ${params.loadAverageAtStart})`);

  const heapLimit = Math.max(2, (hub.heap.firstThirdMean ?? 0) * 0.05);
  const heapFlat = hub.heap.growth !== null && hub.heap.growth < heapLimit;
  const hubCost = cpuPerDelivery(hub);
  const rawCost = raw ? cpuPerDelivery(raw) : null;
  const figures: Figure[] = [
    {
      name: `events delivered per second (${opts.clients} clients, rooms ${OVERVIEW_ROOMS.join('+')})`,
      value: Math.round(hub.eventsPerSecond),
      unit: 'events/s',
      note: `${Math.round(hub.seconds)} s window`,
    },
    { name: 'events delivered per second per client (median)', value: round(hub.perClientMedian), unit: 'events/s', note: `slowest client ${fmt(hub.perClientSlowest, 1)}` },
    {
      name: 'heads delivered per second (all clients)',
      value: Math.round(hub.headsPerSecond),
      unit: 'heads/s',
      note: `${opts.nodes} nodes × ${1000 / opts.blockTimeMs} blocks/s pushed`,
    },
    { name: 'p50 head push → client', value: round(hub.latency.p50), unit: 'ms' },
    { name: 'p99 head push → client', value: round(hub.latency.p99), unit: 'ms', note: `max ${fmt(hub.latency.max, 1)} ms` },
    {
      name: 'heads lost / duplicated (all clients)',
      value: hub.lost + hub.duplicated,
      unit: 'heads',
      note: `${hub.lost} lost, ${hub.duplicated} duplicated, ${hub.disconnected} clients disconnected`,
    },
    {
      name: 'server heap after GC, first third → last third',
      value: round(hub.heap.growth, 2),
      unit: 'MB',
      note: `${fmt(hub.heap.firstThirdMean, 1)} → ${fmt(hub.heap.lastThirdMean, 1)} MB, slope ${fmt(hub.heap.slopePerMinute, 2)} MB/min`,
    },
    { name: 'server RSS, first third → last third', value: round(hub.rss.growth, 2), unit: 'MB', note: `${fmt(hub.rss.firstThirdMean)} → ${fmt(hub.rss.lastThirdMean)} MB` },
    { name: 'server CPU', value: round(hub.serverCpuPct), unit: '% core', note: `clients (bench process): ${fmt(hub.clientsCpuPct)}%` },
    {
      name: 'server CPU per delivered event',
      value: round(hubCost, 1),
      unit: 'µs',
      note: raw ? `bare ws baseline ${fmt(rawCost, 1)} µs (${fmt(raw.eventsPerSecond)} events/s)` : 'no baseline run',
    },
    { name: 'CPU per delivery ratio Socket.IO ÷ bare ws', value: hubCost !== null && rawCost ? round(hubCost / rawCost, 2) : null, unit: 'ratio' },
    { name: 'load average (1 min) at end', value: Number(loadAtEnd.split(' ')[0]), unit: '', note: `at start ${params.loadAverageAtStart}; shared 2-core machine` },
  ];
  return {
    params,
    figures,
    goals: [
      goal(
        'fanout: server heap does not grow',
        `< ${heapLimit.toFixed(1)} MB (last third vs first)`,
        round(hub.heap.growth, 2),
        'MB',
        heapFlat && hub.gc,
        !hub.gc
          ? 'no GC before the samples: run with node --expose-gc (npm run bench does)'
          : hub.heap.growth === null
            ? 'too few memory samples'
            : `heap after GC grows ${fmt(hub.heap.slopePerMinute, 2)} MB/min`,
      ),
      goal(
        `fanout: every head reaches all ${opts.clients} clients exactly once`,
        '0',
        hub.lost + hub.duplicated,
        'heads',
        hub.lost + hub.duplicated === 0 && hub.disconnected === 0,
        `${hub.lost} lost, ${hub.duplicated} duplicated, ${hub.disconnected} clients disconnected`,
      ),
    ],
  };
}
